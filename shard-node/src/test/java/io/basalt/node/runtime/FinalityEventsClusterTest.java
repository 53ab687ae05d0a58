package io.basalt.node.runtime;

import static io.basalt.node.runtime.ValidatorClusterTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.SubmitResult;
import io.basalt.node.api.TxStatus;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1, against a real cluster (4 validators, Chronicle ledgers): bytes that merely
 * share a genuine transaction's id (a copy with a flipped signature bit, a re-send, a copy that a
 * second validator also proposed and that executes as DUPLICATE) never show as REJECTED or as a
 * second COMMITTED, to any subscriber (the hub both the WebSocket stream and the Aeron client
 * gateway read) or in status; every pushed event says what status says.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class FinalityEventsClusterTest {
    @TempDir
    Path dir;

    @Test
    void aForgedCopyIsRefusedToItsSenderAloneAndTheGenuineOneCommits() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(1, 4, dir.resolve("c"), false, false)) {
            final Fixture f = new Fixture(cluster);
            final byte[] genuine = f.transfer(1);
            final byte[] forged = genuine.clone();
            forged[forged.length - 1] ^= 1; // the last byte of the signature: same signed prefix, same id

            final ValidatorNode onlyForgery = cluster.nodes().get(3);
            final SubmitResult refused = onlyForgery.submit(forged);
            assertEquals(RejectCode.BAD_SIGNATURE, refused.code(), "the forger hears why");
            final byte[] id = refused.txId();
            assertEquals(32, id.length, "the refusal carries the id it was refused under");
            assertEquals(TxState.UNKNOWN, onlyForgery.txStatus(id).state(),
                "a validator that saw only the forgery does not call the id REJECTED");

            final SubmitResult admitted = cluster.nodes().get(0).submit(genuine);
            assertEquals(RejectCode.NONE, admitted.code());
            assertArrayEquals(id, admitted.txId());
            assertEquals(RejectCode.BAD_SIGNATURE, cluster.nodes().get(0).submit(forged).code());
            assertEquals(TxState.ACCEPTED, cluster.nodes().get(0).txStatus(id).state(), "pending stays pending");
            assertEquals(RejectCode.BAD_SIGNATURE, onlyForgery.submit(forged).code());

            f.awaitCommittedEverywhere(id);
            for (final ValidatorNode node : cluster.nodes()) {
                assertEquals(RejectCode.BAD_SIGNATURE, node.submit(forged).code());
            }
            f.awaitSomeHeights();
            f.assertOneTrueStory(id);
        }
    }

    @Test
    void resendsAndCopiesExecutedAsDuplicateNeverContradictTheFirstCommit() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(1, 4, dir.resolve("c"), false, false)) {
            final Fixture f = new Fixture(cluster);
            final byte[] tx = f.transfer(1);
            // The same bytes to every validator at once: several admit it before any executes it,
            // so several blocks carry it and every copy after the first executes as DUPLICATE.
            int admittedBy = 0;
            byte[] id = null;
            for (final ValidatorNode node : cluster.nodes()) {
                final SubmitResult r = node.submit(tx);
                id = r.txId();
                admittedBy += r.code() == RejectCode.NONE ? 1 : 0;
            }
            assertTrue(admittedBy >= 2, "precondition: at least two validators admitted the bytes, " + admittedBy);
            for (final ValidatorNode node : cluster.nodes()) {
                assertEquals(RejectCode.DUPLICATE, node.submit(tx).code(), "a re-send while pending");
            }
            f.awaitCommittedEverywhere(id);
            for (final ValidatorNode node : cluster.nodes()) {
                assertEquals(RejectCode.DUPLICATE, node.submit(tx).code(), "a re-send after the commit");
            }
            f.awaitSomeHeights();
            f.assertOneTrueStory(id);
        }
    }

    /** A cluster with a recorder of finality events on each validator. */
    private static final class Fixture {
        final LocalCluster cluster;
        final List<List<FinalityEvent>> events = new ArrayList<>();
        final Transfers transfers;
        final KeyPair faucet;
        final byte[] recipient;

        Fixture(final LocalCluster cluster) throws IOException {
            this.cluster = cluster;
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final var genesis = cluster.nodes().getFirst().genesis();
            transfers = new Transfers(ed25519, genesis.networkId(), genesis.fee());
            faucet = KeyFiles.read(ClusterFiles.faucetKey(cluster.dir(), 0));
            recipient = ed25519.generateKeyPair(new SecureRandom()).publicKey();
            for (final ValidatorNode node : cluster.nodes()) {
                final List<FinalityEvent> recorded = new CopyOnWriteArrayList<>();
                events.add(recorded);
                node.subscribe(recorded::add);
            }
            awaitTrue(() -> cluster.nodes().stream().allMatch(n -> n.status().executedHeight() >= 2), "first commits");
        }

        byte[] transfer(final long nonce) {
            return transfers.transfer(faucet, recipient, 1_000, nonce, System.currentTimeMillis() + 30_000);
        }

        void awaitCommittedEverywhere(final byte[] id) {
            for (final ValidatorNode node : cluster.nodes()) {
                awaitTrue(() -> node.txStatus(id).state() == TxState.COMMITTED, "committed everywhere");
            }
        }

        /** Lets every block that may carry a late copy execute. */
        void awaitSomeHeights() {
            final long target = cluster.nodes().stream().mapToLong(n -> n.status().executedHeight()).max().orElseThrow() + 4;
            awaitTrue(() -> cluster.nodes().stream().allMatch(n -> n.status().executedHeight() >= target), "more heights");
        }

        /** On every validator: at most ACCEPTED, then exactly one COMMITTED, the one status reports. */
        void assertOneTrueStory(final byte[] id) {
            for (int v = 0; v < cluster.nodes().size(); v++) {
                final ValidatorNode node = cluster.nodes().get(v);
                assertNull(node.failure());
                final TxStatus status = node.txStatus(id);
                assertEquals(TxState.COMMITTED, status.state());
                assertEquals(0, status.result(), "GET: COMMITTED SUCCESS");
                final List<FinalityEvent> forId = events.get(v).stream().filter(e -> Arrays.equals(e.txId(), id)).toList();
                final String story = "validator " + v + ": " + forId.stream().map(e -> e.level() + "/" + e.result()).toList();
                assertTrue(forId.stream().noneMatch(e -> e.level() == TxState.REJECTED), "no REJECTED, " + story);
                final List<FinalityEvent> committed = forId.stream().filter(e -> e.level() == TxState.COMMITTED).toList();
                assertEquals(1, committed.size(), "one COMMITTED, " + story);
                assertEquals(status.result(), committed.getFirst().result(), story);
                assertEquals(status.height(), committed.getFirst().height(), story);
                assertEquals(TxState.COMMITTED, forId.getLast().level(), "nothing after COMMITTED, " + story);
            }
        }
    }
}
