package io.basalt.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpLimitsConfigTest {
    private static final String BASE = "{\"genesis\":\"genesis.json\",\"shardId\":0,\"validatorIndex\":1,\"keyFile\":\"v.key\","
        + "\"dataDir\":\"data\",\"aeronDir\":null,\"embeddedMediaDriver\":true,\"idleStrategy\":\"backoff\",\"verifierThreads\":1,"
        + "\"leaderTimeoutMs\":50,\"minRoundIntervalMs\":0,\"maxBlockTransactions\":100,\"stateEntries\":1000,"
        + "\"faucetKeyFile\":null,\"idleRoundIntervalMs\":50";

    @TempDir
    Path dir;

    private NodeConfig read(final String json) throws IOException {
        final Path file = dir.resolve("node.json");
        Files.writeString(file, json);
        return NodeConfig.read(file);
    }

    @Test
    void aConfigWithoutHttpTakesTheDefaults() throws IOException {
        assertEquals(HttpLimits.DEFAULT, read(BASE + "}").http());
    }

    @Test
    void absentHttpFieldsTakeTheirDefault() throws IOException {
        final HttpLimits limits = read(BASE + ",\"http\":{\"maxStreams\":5,\"faucetEnabled\":false}}").http();
        assertEquals(5, limits.maxStreams());
        assertFalse(limits.faucetEnabled());
        assertEquals(HttpLimits.DEFAULT.bodyReadTimeoutMs(), limits.bodyReadTimeoutMs());
        assertEquals(HttpLimits.DEFAULT.maxConnectionsPerClient(), limits.maxConnectionsPerClient());
    }

    @Test
    void limitsThatLetOneClientTakeEverythingAreRefused() {
        assertThrows(IOException.class, () -> read(BASE + ",\"http\":{\"maxConnections\":10,\"maxConnectionsPerClient\":10}}"));
        assertThrows(IOException.class, () -> read(BASE + ",\"http\":{\"bodyReadTimeoutMs\":0}}"));
        assertThrows(IOException.class, () -> read(BASE + ",\"http\":{\"noSuchLimit\":1}}"));
    }

    @Test
    void aWrittenConfigReadsBackTheSame() throws IOException {
        final HttpLimits limits = new HttpLimits(5_000, 1_000, 100, 10, 50, 20, false, 5, 0);
        final NodeConfig config = new NodeConfig(dir.resolve("g.json"), 0, 1, dir.resolve("v.key"), dir.resolve("data"), null,
            true, "backoff", 1, 50, 0, 100, 1000, null, 50, limits);
        config.write(dir.resolve("out.json"));
        assertEquals(limits, NodeConfig.read(dir.resolve("out.json")).http());
    }
}
