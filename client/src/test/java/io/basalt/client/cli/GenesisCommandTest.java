package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.Shards;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class GenesisCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesKeysGenesisAndRelativeNodeConfigsSpreadOverHosts() throws Exception {
        final Path out = dir.resolve("net");
        assertEquals(0, BasaltCli.execute("genesis", "--shards", "2", "--validators", "4",
            "--hosts", "10.0.0.1,10.0.0.2", "--out", out.toString()));

        final Genesis genesis = Genesis.read(out.resolve("genesis.json"));
        assertEquals(2, genesis.shardCount());
        // Global index g = shard * 4 + index goes to host g % 2, slot g / 2 on that host.
        assertEquals("10.0.0.2:20001", genesis.validator(0, 3).consensusEndpoint());
        assertEquals("10.0.0.1:8082", genesis.validator(1, 0).httpEndpoint());
        assertEquals("10.0.0.2:9006", genesis.validator(1, 3).clientEndpoint());
        for (int s = 0; s < 2; s++) {
            final var faucet = KeyFiles.read(out.resolve("faucet-shard-" + s + ".key"));
            assertEquals(s, Shards.shardOf(faucet.publicKey(), 2), "each faucet lives on its shard");
            for (int v = 0; v < 4; v++) {
                final Path folder = out.resolve("shard-" + s).resolve("validator-" + v);
                final NodeConfig config = NodeConfig.read(folder.resolve("node.json"));
                assertEquals(s, config.shardId());
                assertEquals(v, config.validatorIndex());
                assertEquals(out.resolve("genesis.json").toAbsolutePath().normalize(), config.genesis().normalize());
                assertEquals(folder.resolve("data").toAbsolutePath(), config.dataDir());
                assertEquals(genesis.validator(s, v).publicKey(), KeyFiles.read(config.keyFile()).publicKeyHex());
            }
        }
        assertEquals(4, BasaltCli.execute("genesis", "--out", out.toString()), "refuses to overwrite a network");
    }
}
