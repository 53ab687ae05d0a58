package io.basalt.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticated consensus links on one embedded media driver (IPC): what arrives was sent by the validator named
 * in the header, to this receiver, once; a forged index, an outsider's key, a changed byte, a message meant for
 * another peer and a replay are each dropped and counted before the receiver sees anything.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class ConsensusTransportTest {
    private static final int N = 4;
    private static final int SHARD = 1;
    private static final int NETWORK_ID = 5;
    private static final int TERM_LENGTH = 1024 * 1024;

    @TempDir
    Path dir;

    private AeronMedia media;
    private final PeerMessages keys = new PeerMessages(NETWORK_ID, new int[] {1, N}, 17);
    private final ConsensusTransport[] transports = new ConsensusTransport[N];
    private final List<String> received = new ArrayList<>();

    @BeforeEach
    void start() {
        media = AeronMedia.embedded(dir.resolve("aeron"), false);
        for (int v = 0; v < N; v++) {
            transports[v] = ConsensusTransport.ipc(media.aeron(), media.doorbells(), SHARD, v, N, TERM_LENGTH,
                keys.consensus(SHARD, v), new TransportCounters());
        }
    }

    @AfterEach
    void stop() {
        for (final ConsensusTransport transport : transports) {
            transport.close();
        }
        media.close();
    }

    @Test
    void genuineMessagesArriveWithTheirSenderAndInOrder() {
        awaitTrue(() -> transports[2].isConnected(0) && transports[3].isConnected(0), "publications connect");
        assertTrue(transports[2].send(0, bytes("a")));
        assertTrue(transports[3].send(0, bytes("b")));
        assertTrue(transports[2].send(0, bytes("c")));
        awaitTrue(() -> poll(0) >= 0 && received.size() == 3, "three messages");
        assertEquals(List.of("2 a", "3 b", "2 c"), received);
        final TransportCounters counters = transports[0].counters();
        assertEquals(0, counters.unauthenticated.get() + counters.replayed.get() + counters.malformedHeaders.get());
        assertEquals(3 * MessageHeader.LENGTH + 3, counters.bytesReceived.get());
    }

    @Test
    void forgedTamperedReplayedMisdirectedAndOutsiderMessagesNeverReachTheReceiver() {
        final String channel = "aeron:ipc?term-length=" + TERM_LENGTH;
        try (ExclusivePublication rogue = media.aeron().addExclusivePublication(channel,
            ConsensusTransport.ipcStreamId(SHARD, 0))) {
            awaitTrue(rogue::isConnected, "rogue publication connects");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[MessageHeader.LENGTH + 8]);
            final int length = MessageHeader.LENGTH + 6;

            // Member 3 claims to be 2: it can only tag under key(3 -> 0).
            MessageHeader.write(message, 0, SHARD, 2);
            message.putBytes(MessageHeader.LENGTH, bytes("forged"));
            PeerMessages.sealConsensus(keys.consensus(SHARD, 3), 0, message, 6);
            offer(rogue, message, length);

            // A key in no genesis, in seat 2, with sequence numbers far above the real 2's.
            final PeerAuth outsider = keys.consensusImpostor(PeerMessages.key(new SplittableRandom(1)), SHARD, 2,
                Long.MAX_VALUE / 2);
            message.putBytes(MessageHeader.LENGTH, bytes("strang"));
            PeerMessages.sealConsensus(outsider, 0, message, 6);
            offer(rogue, message, length);

            // Genuine 2 -> 0, then replayed, then with one byte changed, then a genuine 2 -> 1 offered to 0.
            final PeerAuth genuine = keys.consensus(SHARD, 2);
            message.putBytes(MessageHeader.LENGTH, bytes("first!"));
            PeerMessages.sealConsensus(genuine, 0, message, 6);
            offer(rogue, message, length);
            offer(rogue, message, length);
            message.putByte(MessageHeader.LENGTH, (byte) 'F');
            offer(rogue, message, length);
            message.putBytes(MessageHeader.LENGTH, bytes("misdir"));
            PeerMessages.sealConsensus(genuine, 1, message, 6);
            offer(rogue, message, length);
            // A stale number: below the last accepted one, under a good tag.
            final PeerAuth stale = PeerAuth.consensus(PeerMessages.AGREEMENT, keys.key(SHARD, 2), NETWORK_ID, SHARD,
                2, publicKeys(), 1);
            message.putBytes(MessageHeader.LENGTH, bytes("stale!"));
            PeerMessages.sealConsensus(stale, 0, message, 6);
            offer(rogue, message, length);

            message.putBytes(MessageHeader.LENGTH, bytes("second"));
            PeerMessages.sealConsensus(genuine, 0, message, 6);
            offer(rogue, message, length);
            awaitTrue(() -> poll(0) >= 0 && received.contains("2 second"), "the last genuine message arrives");
        }
        assertEquals(List.of("2 first!", "2 second"), received);
        final TransportCounters counters = transports[0].counters();
        assertEquals(4, counters.unauthenticated.get(), "forged index, outsider, changed byte, other receiver");
        assertEquals(2, counters.replayed.get(), "the replay and the stale number");
        assertEquals(0, counters.malformedHeaders.get());
        assertEquals(2, counters.messagesReceived.get());
    }

    @Test
    void keysForAnotherSeatAreRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> ConsensusTransport.ipc(media.aeron(), media.doorbells(),
            SHARD, 1, N, TERM_LENGTH, keys.consensus(SHARD, 2), new TransportCounters()));
        assertThrows(IllegalArgumentException.class, () -> PeerAuth.consensus(PeerMessages.AGREEMENT,
            keys.key(SHARD, 1), NETWORK_ID, SHARD, 2, publicKeys(), 1), "a key that is not the seat's");
        final byte[][] badGenesis = publicKeys();
        badGenesis[3] = new byte[32];
        badGenesis[3][0] = 1; // the identity point: small order, no channel key can come from it
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> PeerAuth.consensus(PeerMessages.AGREEMENT, keys.key(SHARD, 1), NETWORK_ID, SHARD, 1, badGenesis, 1));
        assertTrue(refused.getMessage().startsWith("validator 1/3: "), refused.getMessage());
    }

    private byte[][] publicKeys() {
        final byte[][] committee = new byte[N][];
        for (int v = 0; v < N; v++) {
            committee[v] = keys.key(SHARD, v).publicKey();
        }
        return committee;
    }

    private int poll(final int validator) {
        return transports[validator].poll((from, message) -> received.add(from + " "
            + new String(message, StandardCharsets.UTF_8)), 16);
    }

    private static void offer(final Publication publication, final UnsafeBuffer buffer, final int length) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (publication.offer(buffer, 0, length) < 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("rogue offer not accepted");
            }
            Thread.onSpinWait();
        }
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
