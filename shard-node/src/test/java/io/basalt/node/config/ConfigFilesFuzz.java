package io.basalt.node.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the node config file an operator hands a node (docs/fuzzing.md).
 * Contract of {@link NodeConfig#read} on any bytes: a value, or an IOException whose one-line message
 * names the file; never another exception. The genesis file is {@link GenesisFileFuzz}, with the same
 * contract and this class's helpers. Seeds are the shipped example config.
 */
final class ConfigFilesFuzz {
    /** One file, rewritten per input: the readers take a path, and a fresh file per run would be slower. */
    static final Path FILE = tempFile();

    @FuzzTest(maxDuration = "60s")
    void nodeConfig(final byte[] data) throws IOException {
        Files.write(FILE, data);
        try {
            assertNotNull(NodeConfig.read(FILE));
        } catch (final IOException e) {
            namesTheFile(e, FILE);
        }
    }

    static void namesTheFile(final IOException e, final Path file) {
        assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    static Path tempFile() {
        try {
            final Path dir = Files.createTempDirectory("basalt-config-fuzz");
            dir.toFile().deleteOnExit();
            final Path file = dir.resolve("input.json");
            file.toFile().deleteOnExit();
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
