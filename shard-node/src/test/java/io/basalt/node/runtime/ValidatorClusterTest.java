package io.basalt.node.runtime;

import io.basalt.node.api.SubmitCallback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Publication;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.dag.RejectReason;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.metrics.PromText;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.protocol.TxState;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.net.AeronMedia;
import io.basalt.node.net.ConsensusTransport;
import io.basalt.node.net.MessageHeader;
import io.basalt.node.net.PeerAuth;
import io.basalt.node.net.PeerMessages;
import io.basalt.node.net.TransportCounters;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four validators in one JVM on one embedded media driver, talking IPC, with in-memory block
 * stores and ledgers: transfers submitted through {@code NodeApi} commit everywhere into the same
 * state, and garbage on a consensus stream is counted without stopping anyone; so are messages that
 * forge a peer's index, replay a captured message, change a byte or come from a key outside the
 * genesis, which never reach a core.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ValidatorClusterTest {
    private static final int N = 4;
    private static final int NETWORK_ID = 7;
    private static final long FEE = 1;

    @TempDir
    static Path dir;

    private final Ed25519 ed25519 = Ed25519.fromSystemProperties();
    private final KeyPair faucet = ed25519.generateKeyPair(new SecureRandom());
    private final List<ValidatorNode> nodes = new ArrayList<>();
    private final List<KeyPair> keys = new ArrayList<>();
    private final List<MemoryLedger> ledgers = new ArrayList<>();
    private AeronMedia media;
    private Genesis genesis;

    @BeforeAll
    void startCluster() {
        final List<Genesis.Validator> validators = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            final KeyPair key = ed25519.generateKeyPair(new SecureRandom());
            keys.add(key);
            validators.add(new Genesis.Validator(i, key.publicKeyHex(), 1, "127.0.0.1:" + (21000 + i),
                "127.0.0.1:" + (18080 + i), "127.0.0.1:" + (19080 + i)));
        }
        genesis = new Genesis(NETWORK_ID, 1, FEE, System.currentTimeMillis(),
            List.of(new Genesis.Shard(0, validators)),
            List.of(new Genesis.Allocation(faucet.publicKeyHex(), 0, 1_000_000_000L)));
        media = AeronMedia.embedded(dir.resolve("aeron"), false);
        for (int i = 0; i < N; i++) {
            final NodeConfig config = new NodeConfig(dir.resolve("genesis.json"), 0, i, dir.resolve("v" + i + ".key"),
                dir.resolve("v" + i), null, true, "backoff", 2, 50, 5, 500, 10_000, null, 0);
            final MemoryLedger ledger = new MemoryLedger(genesis, 0);
            ledgers.add(ledger);
            nodes.add(ValidatorNode.start(config, genesis, keys.get(i),
                NodeResources.inProcess(media).withBackends(new MemoryStorage(), ledger)));
        }
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(ValidatorNode::close);
        if (media != null) {
            media.close();
        }
    }

    @Test
    void transfersCommitEverywhereIntoTheSameState() throws Exception {
        awaitTrue(() -> nodes.stream().allMatch(n -> n.status().committedHeight() >= 3), "first commits");
        final ConcurrentLinkedQueue<FinalityEvent> events = new ConcurrentLinkedQueue<>();
        final AutoCloseable subscription = nodes.get(1).subscribe(events::add);

        final Transfers transfers = new Transfers(ed25519, NETWORK_ID, FEE);
        final long expiryMs = System.currentTimeMillis() + 50_000;
        final List<byte[]> ids = new ArrayList<>();
        final byte[] recipient = ed25519.generateKeyPair(new SecureRandom()).publicKey();
        final int count = 200;
        for (int i = 0; i < count; i++) {
            final byte[] tx = transfers.transfer(faucet, recipient, 10, i, expiryMs);
            final SubmitResult result = nodes.get(i % N).submit(tx);
            assertEquals(RejectCode.NONE, result.code(), "transfer " + i);
            ids.add(result.txId());
            if (i == 0) {
                assertEquals(RejectCode.DUPLICATE, nodes.get(0).submit(tx).code(), "in flight already");
                final byte[] forged = tx.clone();
                forged[forged.length - 1] ^= 1;
                assertEquals(RejectCode.BAD_SIGNATURE, nodes.get(1).submit(forged).code());
                assertEquals(RejectCode.MALFORMED, nodes.get(2).submit(new byte[] {1, 2, 3}).code());
            }
        }
        final CountDownLatch asyncDone = new CountDownLatch(1);
        final RejectCode[] asyncCode = new RejectCode[1];
        nodes.get(3).submitAsync(transfers.transfer(faucet, recipient, 10, count, expiryMs), 42, (correlation, txId, code) -> {
            asyncCode[0] = correlation == 42 ? code : null;
            ids.add(txId.clone());
            asyncDone.countDown();
        });
        assertTrue(asyncDone.await(10, TimeUnit.SECONDS), "async admission answers");
        assertEquals(RejectCode.NONE, asyncCode[0]);

        for (final ValidatorNode node : nodes) {
            awaitTrue(() -> ids.stream().allMatch(id -> node.txStatus(id).state() == TxState.COMMITTED),
                "all transfers committed at " + node.consensusChannel());
        }
        final long expected = 1_000_000_000L - (count + 1) * (10 + FEE);
        for (final ValidatorNode node : nodes) {
            assertEquals(Long.valueOf((count + 1) * 10L), node.balances(recipient).get(0));
            assertEquals(Long.valueOf(expected), node.balances(faucet.publicKey()).get(0));
        }
        // Same committed sequence, same state: compare digests at a height every validator executed.
        final long common = nodes.stream().mapToLong(n -> n.status().executedHeight()).min().orElseThrow();
        final Set<String> digests = new HashSet<>();
        ledgers.forEach(l -> digests.add(l.digestAt(common)));
        assertEquals(1, digests.size(), "state digests at height " + common + ": " + digests);

        final Set<String> committedHere = new HashSet<>();
        events.stream().filter(e -> e.level() == TxState.COMMITTED).forEach(e -> committedHere.add(HexFormat.of().formatHex(e.txId())));
        assertEquals(ids.size(), committedHere.size(), "a COMMITTED event per transfer");
        subscription.close();

        final Map<String, PromText.Family> metrics = PromText.parse(nodes.get(0).metricsText());
        final Map<String, String> self = Map.of("shard", "0", "validator", "0");
        assertEquals(50.0, metrics.get("basalt_tx_admitted_total").value("basalt_tx_admitted_total", self));
        assertEquals(1.0, metrics.get("basalt_tx_rejected_total").value("basalt_tx_rejected_total",
            Map.of("shard", "0", "validator", "0", "code", "DUPLICATE")));
        assertEquals("histogram", metrics.get("basalt_commit_latency_seconds").type());
        nodes.forEach(n -> assertNull(n.failure()));
    }

    @Test
    void garbageOnTheConsensusStreamIsCountedNotFatal() {
        final ValidatorNode target = nodes.get(0);
        final String channel = "aeron:ipc?term-length=" + ConsensusTransport.DEFAULT_TERM_LENGTH;
        try (Publication rogue = media.aeron().addPublication(channel, ConsensusTransport.ipcStreamId(0, 0))) {
            awaitTrue(rogue::isConnected, "rogue publication connects");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            offer(rogue, message, 3); // shorter than a header
            MessageHeader.write(message, 0, 5, 1); // a foreign shard
            offer(rogue, message, 40);
            MessageHeader.write(message, 0, 0, 0); // claims to be the receiver itself
            offer(rogue, message, 40);
            MessageHeader.write(message, 0, 0, 2); // a real peer's header over bytes that are no message
            for (int i = MessageHeader.LENGTH; i < 64; i++) {
                message.putByte(i, (byte) (i * 31));
            }
            offer(rogue, message, 64);
        }
        awaitTrue(() -> target.metrics().transport().malformedHeaders.get() >= 3, "bad headers counted");
        // Not tagged under peer 2's channel key, the last one never reaches the core to be blamed on peer 2.
        awaitTrue(() -> target.metrics().transport().unauthenticated.get() >= 1, "untagged payload counted");
        final long before = target.status().committedHeight();
        awaitTrue(() -> target.status().committedHeight() > before + 3, "still committing");
        assertEquals(0, target.metrics().consensusRejectCount(RejectReason.MALFORMED), "nothing forged reached the core");
        assertNull(target.failure());
        assertEquals(3.0, PromText.parse(target.metricsText()).get("basalt_net_malformed_headers_total")
            .value("basalt_net_malformed_headers_total", Map.of("shard", "0", "validator", "0")));
    }

    @Test
    void forgedReplayedTamperedAndOutsiderMessagesAreDroppedAndCountedWhileTheClusterCommits() {
        final ValidatorNode target = nodes.get(0);
        final TransportCounters counters = target.metrics().transport();
        final long unauthenticatedBefore = counters.unauthenticated.get();
        final long replayedBefore = counters.replayed.get();
        final long rejectsBefore = coreRejects(target);
        final byte[] captured = captureFrom(1, ConsensusTransport.ipcStreamId(0, 0));
        final byte[][] committee = new byte[N][];
        for (int v = 0; v < N; v++) {
            committee[v] = keys.get(v).publicKey();
        }
        final long farAhead = PeerAuth.firstSequence(System.currentTimeMillis()) * 2;
        final String channel = "aeron:ipc?term-length=" + ConsensusTransport.DEFAULT_TERM_LENGTH;
        try (Publication rogue = media.aeron().addPublication(channel, ConsensusTransport.ipcStreamId(0, 0))) {
            awaitTrue(rogue::isConnected, "rogue publication connects");
            // 1. The captured message from validator 1, offered again as it was.
            final UnsafeBuffer replay = new UnsafeBuffer(captured.clone());
            offer(rogue, replay, captured.length);
            // 2. The same message with one payload byte changed and a sequence number far ahead.
            final UnsafeBuffer tampered = new UnsafeBuffer(captured.clone());
            tampered.putByte(captured.length - 1, (byte) ~tampered.getByte(captured.length - 1));
            MessageHeader.sequence(tampered, 0, farAhead);
            offer(rogue, tampered, captured.length);
            // 3. Validator 3, a member, speaks as validator 2, sending bytes that are no message: delivered,
            //    the core would count them MALFORMED against validator 2.
            final UnsafeBuffer forged = new UnsafeBuffer(captured.clone());
            scramble(forged, captured.length);
            MessageHeader.write(forged, 0, 0, 2);
            PeerMessages.sealConsensus(PeerAuth.consensus(PeerMessages.AGREEMENT, keys.get(3), NETWORK_ID, 0, 3,
                committee, farAhead), 0, forged, captured.length - MessageHeader.LENGTH);
            offer(rogue, forged, captured.length);
            // 4. A key outside the genesis in seat 2.
            final UnsafeBuffer outsider = new UnsafeBuffer(captured.clone());
            scramble(outsider, captured.length);
            MessageHeader.write(outsider, 0, 0, 2);
            final byte[][] withOutsider = committee.clone();
            final KeyPair stranger = ed25519.generateKeyPair(new SecureRandom());
            withOutsider[2] = stranger.publicKey();
            PeerMessages.sealConsensus(PeerAuth.consensus(PeerMessages.AGREEMENT, stranger, NETWORK_ID, 0, 2,
                withOutsider, farAhead), 0, outsider, captured.length - MessageHeader.LENGTH);
            offer(rogue, outsider, captured.length);
        }
        awaitTrue(() -> counters.unauthenticated.get() - unauthenticatedBefore >= 3, "bad tags counted");
        awaitTrue(() -> counters.replayed.get() - replayedBefore >= 1, "replay counted");
        final long before = target.status().committedHeight();
        awaitTrue(() -> target.status().committedHeight() > before + 3, "still committing");
        assertEquals(3, counters.unauthenticated.get() - unauthenticatedBefore, "tampered, forged index, outsider");
        assertEquals(1, counters.replayed.get() - replayedBefore);
        assertEquals(rejectsBefore, coreRejects(target), "the core saw none of them (no MALFORMED, no BAD_SIGNATURE)");
        nodes.forEach(n -> assertNull(n.failure()));
        assertTrue(PromText.parse(target.metricsText()).get("basalt_net_unauthenticated_total")
            .value("basalt_net_unauthenticated_total", Map.of("shard", "0", "validator", "0", "reason", "replay")) >= 1);
    }

    /** One whole message from {@code sender} on a validator's consensus stream, header included, as sent. */
    private byte[] captureFrom(final int sender, final int streamId) {
        final byte[][] captured = new byte[1][];
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
            if (captured[0] == null && MessageHeader.sender(buffer, offset, length, 0) == sender) {
                captured[0] = new byte[length];
                buffer.getBytes(offset, captured[0]);
            }
        });
        // A spy holds the publishers back while it lags (IPC flow control follows the slowest subscriber),
        // so it polls eagerly and closes as soon as it has its copy.
        try (Subscription spy = media.aeron().addSubscription("aeron:ipc", streamId)) {
            awaitTrue(() -> {
                spy.poll(assembler, 64);
                return captured[0] != null;
            }, "a message from validator " + sender);
        }
        return captured[0];
    }

    /**
     * The core's rejects that honest peers never cause (DUPLICATE or BELOW_GC come with honest re-sends):
     * what the attacks above would add, had they reached the core.
     */
    private static long coreRejects(final ValidatorNode node) {
        return node.metrics().consensusRejectCount(RejectReason.MALFORMED)
            + node.metrics().consensusRejectCount(RejectReason.BAD_SIGNATURE);
    }

    /** Overwrites a message's payload with bytes that decode as no consensus message. */
    private static void scramble(final UnsafeBuffer message, final int length) {
        for (int i = MessageHeader.LENGTH; i < length; i++) {
            message.putByte(i, (byte) (0xEE ^ i));
        }
    }

    private static void offer(final Publication publication, final UnsafeBuffer buffer, final int length) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (publication.offer(buffer, 0, length) < 0) {
            assertTrue(System.nanoTime() < deadline, "offer timed out");
            Thread.onSpinWait();
        }
    }

    static void awaitTrue(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
