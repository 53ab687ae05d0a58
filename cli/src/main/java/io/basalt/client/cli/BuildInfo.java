package io.basalt.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Build facts written by Maven resource filtering into {@code basalt-build.properties}. */
final class BuildInfo {
    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    private static Properties load() {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/basalt-build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
