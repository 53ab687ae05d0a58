package io.basalt.node.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.node.runtime.ClusterFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad genesis.json stops start-up with one line naming the file and the field. */
class GenesisErrorsTest {
    @TempDir
    Path dir;

    @Test
    void errorsNameTheFileAndTheField() throws IOException {
        ClusterFiles.generate(dir.resolve("net"), 1, 4, List.of("127.0.0.1"), 1, "backoff", 0);
        final Path file = dir.resolve("net").resolve("genesis.json");
        final ObjectMapper json = new ObjectMapper();
        final ObjectNode good = (ObjectNode) json.readTree(file.toFile());

        final ObjectNode wrongType = good.deepCopy();
        ((ObjectNode) wrongType.get("shards").get(0).get("validators").get(2)).put("stake", "lots");
        assertRefused(file, json.writeValueAsString(wrongType), "shards[0].validators[2].stake");

        final ObjectNode unknown = good.deepCopy();
        unknown.put("shardCunt", 1);
        assertRefused(file, json.writeValueAsString(unknown), "shardCunt");

        assertRefused(file, "{\"networkId\":", "is not valid JSON");
    }

    private static void assertRefused(final Path file, final String content, final String expected) throws IOException {
        Files.writeString(file, content);
        final IOException e = assertThrows(IOException.class, () -> Genesis.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "names '" + expected + "': " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
