package io.basalt.node.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Coverage-guided fuzzing of the genesis file (docs/fuzzing.md): {@link Genesis#read} on any bytes
 * gives a value or an IOException whose one-line message names the file, never another exception.
 * Seeds are a generated four-validator genesis.
 */
final class GenesisFileFuzz {
    /** Its own file: JUnit may run this class in the same JVM as {@link ConfigFilesFuzz} when replaying. */
    private static final Path FILE = ConfigFilesFuzz.tempFile();

    @FuzzTest(maxDuration = "60s")
    void genesis(final byte[] data) throws IOException {
        Files.write(FILE, data);
        try {
            assertNotNull(Genesis.read(FILE));
        } catch (final IOException e) {
            ConfigFilesFuzz.namesTheFile(e, FILE);
        }
    }
}
