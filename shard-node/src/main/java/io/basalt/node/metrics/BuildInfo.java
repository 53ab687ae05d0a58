package io.basalt.node.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which code this is: the Maven version and the git revision, written by resource filtering into
 * {@code build.properties} (scripts/basalt passes {@code -Dbasalt.revision} from {@code git describe};
 * other builds say "unknown"). One source for {@code basalt_build_info} and {@code basalt version}.
 */
public final class BuildInfo {
    private static final Properties PROPERTIES = load();

    private BuildInfo() {
    }

    public static String version() {
        return PROPERTIES.getProperty("version", "unknown");
    }

    public static String revision() {
        return PROPERTIES.getProperty("revision", "unknown");
    }

    private static Properties load() {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (final IOException e) {
            // No build information: everything says unknown.
        }
        return properties;
    }
}
