package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.Shards;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Keys made on each host: the genesis holds exactly the listed public keys at the listed hosts
     * (the k-th seat on a host gets its k-th ports), no validator key is written, and a validator
     * whose own key is put beside its node.json is the one the genesis names.
     */
    @Test
    void assemblesTheNetworkFromPublicKeysOnly() throws Exception {
        final List<String> lines = new ArrayList<>(List.of("# shard 0, then shard 1", ""));
        final List<Path> keyFiles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final Path key = dir.resolve("host-" + i + ".key");
            assertEquals(0, BasaltCli.execute("keys", "new", "--out", key.toString()));
            keyFiles.add(key);
            lines.add(KeyFiles.read(key).publicKeyHex().toUpperCase(java.util.Locale.ROOT) + "  10.0.0." + (i % 2 + 1));
        }
        final Path list = dir.resolve("validators.txt");
        Files.write(list, lines);
        final Path out = dir.resolve("net");
        assertEquals(0, BasaltCli.execute("genesis", "--shards", "2", "--validators", "2", "--public-keys",
            list.toString(), "--out", out.toString()));

        final Genesis genesis = Genesis.read(out.resolve("genesis.json"));
        for (int g = 0; g < 4; g++) {
            final Genesis.Validator validator = genesis.validator(g / 2, g % 2);
            assertEquals(KeyFiles.read(keyFiles.get(g)).publicKeyHex(), validator.publicKey(), "seat " + g);
            assertEquals("10.0.0." + (g % 2 + 1) + ":" + (20000 + g / 2), validator.consensusEndpoint(), "seat " + g);
            assertFalse(Files.exists(out.resolve("shard-" + g / 2).resolve("validator-" + g % 2).resolve("validator.key")),
                "no validator key is made by the dealer");
        }
    }

    @Test
    void refusesABadPublicKeysFile() throws Exception {
        final Path list = dir.resolve("validators.txt");
        Files.write(list, List.of("ab".repeat(32) + " h1", "not-a-key h2"));
        assertEquals(4, BasaltCli.execute("genesis", "--shards", "1", "--validators", "2", "--public-keys",
            list.toString(), "--out", dir.resolve("a").toString()));
        Files.write(list, List.of("ab".repeat(32) + " h1", "ab".repeat(32) + " h2"));
        assertEquals(4, BasaltCli.execute("genesis", "--shards", "1", "--validators", "2", "--public-keys",
            list.toString(), "--out", dir.resolve("b").toString()), "one key, two seats");
        // Non-ASCII digits that Character.digit would accept are not hex here.
        Files.write(list, List.of("\u0661".repeat(64) + " h1", "cd".repeat(32) + " h2"));
        assertEquals(4, BasaltCli.execute("genesis", "--shards", "1", "--validators", "2", "--public-keys",
            list.toString(), "--out", dir.resolve("c").toString()));
        Files.write(list, List.of("ab".repeat(32) + " h1"));
        assertEquals(4, BasaltCli.execute("genesis", "--shards", "1", "--validators", "2", "--public-keys",
            list.toString(), "--out", dir.resolve("d").toString()), "one seat short");
        assertFalse(Files.exists(dir.resolve("a").resolve("genesis.json")));
    }
}
