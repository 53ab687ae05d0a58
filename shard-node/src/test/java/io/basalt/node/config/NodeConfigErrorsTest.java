package io.basalt.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad node.json stops start-up with one line naming the file, the field and what is wrong. */
class NodeConfigErrorsTest {
    private static final String REQUIRED = "\"genesis\":\"g.json\",\"shardId\":0,\"validatorIndex\":1,\"keyFile\":\"v.key\"";

    @TempDir
    Path dir;

    @Test
    void errorsNameTheFileAndTheField() throws IOException {
        assertRefused("{" + REQUIRED + ",\"leaderTimeoutMs\":\"fast\"}", "field 'leaderTimeoutMs' must be a whole number");
        assertRefused("{" + REQUIRED + ",\"idleStrategy\":7}", "field 'idleStrategy' must be a string");
        assertRefused("{" + REQUIRED + ",\"idleStrategy\":\"lazy\"}", "idleStrategy must be backoff, sleeping or busy");
        assertRefused("{" + REQUIRED + ",\"verifierThreads\":0}", "verifierThreads");
        assertRefused("{" + REQUIRED + ",\"leaderTimeout\":50}", "unknown field 'leaderTimeout'");
        assertRefused("{\"shardId\":0,\"validatorIndex\":1,\"keyFile\":\"v.key\"}", "field 'genesis' is required");
        assertRefused("{" + REQUIRED + ",\"embeddedMediaDriver\":\"yes\"}", "field 'embeddedMediaDriver' must be true or false");
        assertRefused("{" + REQUIRED + ",\"shardId\":1e3}", "field 'shardId' must be a whole number");
        assertRefused("{" + REQUIRED + ",\"http\":{\"maxConnections\":0}}", "field 'http'");
        assertRefused("{" + REQUIRED + ",", "is not valid JSON");
        assertRefused("[1]", "must be a JSON object");
        assertRefused("{" + REQUIRED + ",\"bindHost\":\"0.0.0.0:9000\"}", "bindHost must be a host name or IPv4 address without a port");
        assertRefused("{" + REQUIRED + ",\"bindHost\":\" \"}", "bindHost");
    }

    /** bindHost moves where a listener binds, never the advertised endpoint peers and clients use. */
    @Test
    void bindHostKeepsTheAdvertisedPort() throws IOException {
        final Path file = dir.resolve("node.json");
        Files.writeString(file, "{" + REQUIRED + ",\"bindHost\":\"0.0.0.0\"}");
        final NodeConfig config = NodeConfig.read(file);
        assertEquals("0.0.0.0:7001", config.bindEndpoint("10.1.2.3:7001"));
        assertEquals("0.0.0.0:8080", config.bindEndpoint("node-3.example:8080"));
        Files.writeString(file, "{" + REQUIRED + "}");
        assertEquals("10.1.2.3:7001", NodeConfig.read(file).bindEndpoint("10.1.2.3:7001"), "no bindHost: the endpoint itself");
    }

    private void assertRefused(final String json, final String expected) throws IOException {
        final Path file = dir.resolve("node.json");
        Files.writeString(file, json);
        final IOException e = assertThrows(IOException.class, () -> NodeConfig.read(file), json);
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "says '" + expected + "': " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
