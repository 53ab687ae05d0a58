package io.basalt.node.runtime;

import static io.basalt.node.runtime.ValidatorClusterTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.protocol.TxState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster with its real block stores and ledgers (FileBlockStore, ChronicleLedger):
 * a transfer commits on every validator into one state digest, and after a restart of the whole
 * cluster the state and heights are still there and consensus goes on.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class LocalClusterTest {
    @TempDir
    Path dir;

    @Test
    void commitsAndKeepsItsStateAcrossRestarts() throws IOException {
        final Path data = dir.resolve("local");
        final Ed25519 ed25519 = Ed25519.fromSystemProperties();
        final byte[] recipient = ed25519.generateKeyPair(new SecureRandom()).publicKey();
        final long heightBefore;
        try (LocalCluster cluster = LocalCluster.start(1, 4, data, false, false)) {
            assertTrue(cluster.describe().contains("shard 0 validator 3"), cluster.describe());
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ClusterFiles.validatorDir(data, 0, 0).resolve("validator.key"))));
            final KeyPair faucet = KeyFiles.read(ClusterFiles.faucetKey(data, 0));
            final var genesis = cluster.nodes().getFirst().genesis();
            final Transfers transfers = new Transfers(ed25519, genesis.networkId(), genesis.fee());
            awaitTrue(() -> cluster.nodes().stream().allMatch(n -> n.status().executedHeight() >= 2), "first commits");
            final SubmitResult result = cluster.nodes().get(2).submit(
                transfers.transfer(faucet, recipient, 1_000, 1, System.currentTimeMillis() + 30_000));
            assertEquals(RejectCode.NONE, result.code());
            for (final ValidatorNode node : cluster.nodes()) {
                awaitTrue(() -> node.txStatus(result.txId()).state() == TxState.COMMITTED, "committed everywhere");
                assertEquals(Long.valueOf(1_000), node.balances(recipient).get(0));
                assertEquals(0, node.txStatus(result.txId()).result());
            }
            // Every validator applied the same sequence: at a common height the digests agree.
            awaitTrue(() -> sameDigestAtSomeHeight(cluster), "validators agree on a state digest");
            heightBefore = cluster.nodes().stream().mapToLong(n -> n.status().executedHeight()).min().orElseThrow();
            cluster.nodes().forEach(n -> assertNull(n.failure()));
        }

        assertThrows(IOException.class, () -> LocalCluster.start(2, 4, data, false, false), "another shape");
        try (LocalCluster cluster = LocalCluster.start(1, 4, data, false, false)) {
            for (final ValidatorNode node : cluster.nodes()) {
                assertTrue(node.status().executedHeight() >= heightBefore, "state survived the restart");
                assertEquals(Long.valueOf(1_000), node.balances(recipient).get(0));
            }
            awaitTrue(() -> cluster.nodes().stream().allMatch(n -> n.status().executedHeight() > heightBefore + 5),
                "consensus goes on after the restart");
        }

        try (LocalCluster cluster = LocalCluster.start(1, 4, data, true, false)) {
            assertTrue(cluster.nodes().getFirst().balances(recipient).isEmpty(), "--reset starts a new network");
        }
    }

    @Test
    void refusesAFolderWhoseFaucetLivesOnAnotherShard() throws IOException {
        final Path data = dir.resolve("misplaced");
        final ClusterFiles.Layout layout = ClusterFiles.generate(data, 2, 1, java.util.List.of("127.0.0.1"),
            ClusterFiles.DEFAULT_FEE, "backoff", LocalCluster.MIN_ROUND_INTERVAL_MS);
        for (int s = 0; s < 2; s++) {
            final KeyPair faucet = KeyFiles.read(layout.faucetKeys().get(s));
            assertEquals(s, io.basalt.crypto.Shards.shardOf(faucet.publicKey(), 2), "generated faucets live on their shard");
        }
        // Swap the two faucet keys: each now funds the other shard's account.
        final Path swap = data.resolve("swap.key");
        Files.move(layout.faucetKeys().get(0), swap);
        Files.move(layout.faucetKeys().get(1), layout.faucetKeys().get(0));
        Files.move(swap, layout.faucetKeys().get(1));

        final IOException e = assertThrows(IOException.class, () -> LocalCluster.start(2, 1, data, false, false));
        assertTrue(e.getMessage().contains("faucet-shard-0.key is for shard 0 but its account lives on shard 1"), e.getMessage());
        assertTrue(Files.notExists(data.resolve("aeron")), "nothing started");
    }

    private static boolean sameDigestAtSomeHeight(final LocalCluster cluster) {
        final Set<Long> heights = new HashSet<>();
        final Set<String> digests = new HashSet<>();
        for (final ValidatorNode node : cluster.nodes()) {
            heights.add(node.status().executedHeight());
            digests.add(node.status().stateDigestHex());
        }
        return heights.size() == 1 && digests.size() == 1;
    }
}
