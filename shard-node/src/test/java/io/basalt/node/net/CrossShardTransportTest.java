package io.basalt.node.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-shard links on one embedded media driver: IPC routing to exactly the addressed validators,
 * a fragmented 100 KB message over loopback UDP beside consensus on the same endpoints, garbage on
 * the stream counted by reason and never delivered, oversized sends refused.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
final class CrossShardTransportTest {
    private static final int TERM_LENGTH = CrossShardTransport.DEFAULT_TERM_LENGTH;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int FRAGMENT_LIMIT = 16;
    private static final int NETWORK_ID = 3;

    @TempDir
    Path dir;

    private AeronMedia media;
    /** The genesis keys of the last {@link #ipcCluster}. */
    private PeerMessages keys;
    private final ArrayDeque<AutoCloseable> opened = new ArrayDeque<>();

    /** One delivered message, as the receiver saw it. */
    private record Received(int fromShard, int fromValidator, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A validator's cross-shard end and what it received. */
    private static final class Node implements CrossShardTransport.Receiver {
        final int shard;
        final int index;
        final CrossShardTransport transport;
        final List<Received> received = new ArrayList<>();

        Node(final int shard, final int index, final CrossShardTransport transport) {
            this.shard = shard;
            this.index = index;
            this.transport = transport;
        }

        int poll() {
            return transport.poll(this, FRAGMENT_LIMIT);
        }

        @Override
        public void onMessage(final int fromShard, final int fromValidator, final byte[] payload) {
            received.add(new Received(fromShard, fromValidator, payload));
        }

        boolean got(final String text) {
            return received.stream().anyMatch(r -> r.text().equals(text));
        }
    }

    @BeforeEach
    void startMedia() {
        media = AeronMedia.embedded(dir.resolve("aeron"), false);
    }

    @AfterEach
    void stopMedia() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
        media.close();
    }

    @Test
    void ipcDeliversToExactlyTheAddressedValidators() {
        final int[] sizes = {4, 4};
        final Node[][] nodes = ipcCluster(sizes);
        final Node sender = nodes[0][1];
        awaitConnected(sender, 1);
        awaitConnected(nodes[1][3], 0);
        awaitConnected(nodes[0][0], 1);

        assertTrue(sender.transport.send(1, 2, bytes("xx direct xx"), 3, 6));
        assertEquals(4, sender.transport.broadcast(1, bytes("broadcast"), 0, 9));
        // Sentinels last: each receiver's stream is one log, so once a sentinel is in, everything
        // sent to that receiver before it has been seen too, and "nothing else" can be asserted.
        assertEquals(4, nodes[1][3].transport.broadcast(0, bytes("sentinel"), 0, 8));
        assertEquals(4, nodes[0][0].transport.broadcast(1, bytes("sentinel"), 0, 8));
        awaitAll(nodes, () -> everyNodeGot(nodes, "sentinel"), "sentinels everywhere");

        for (final Node node : nodes[0]) {
            assertEquals(List.of("1/3 sentinel"), describe(node), "shard 0 validator " + node.index);
        }
        for (final Node node : nodes[1]) {
            final List<String> expected = node.index == 2
                ? List.of("0/1 direct", "0/1 broadcast", "0/0 sentinel")
                : List.of("0/1 broadcast", "0/0 sentinel");
            assertEquals(expected, describe(node), "shard 1 validator " + node.index);
        }
        final CrossShardCounters sent = sender.transport.counters();
        assertEquals(5, sent.messagesSent.get());
        assertEquals(5 * CrossShardHeader.LENGTH + 6 + 4 * 9, sent.bytesSent.get());
        assertEquals(3, nodes[1][2].transport.counters().messagesReceived.get());
        assertEquals(3 * CrossShardHeader.LENGTH + 6 + 9 + 8, nodes[1][2].transport.counters().bytesReceived.get());
        for (final Node[] shard : nodes) {
            for (final Node node : shard) {
                assertEquals(0, node.transport.counters().malformed(), node.shard + "/" + node.index);
                assertEquals(0, node.transport.counters().droppedSends(), node.shard + "/" + node.index);
            }
        }
    }

    @Test
    void sendsWithNoRouteAreRefusedAndCounted() {
        final Node[][] nodes = ipcCluster(new int[] {2, 3});
        final CrossShardTransport transport = nodes[0][0].transport;
        final byte[] payload = bytes("nowhere");
        assertFalse(transport.send(0, 1, payload, 0, payload.length), "own shard goes over consensus, not here");
        assertFalse(transport.send(1, 3, payload, 0, payload.length), "shard 1 has 3 validators");
        assertFalse(transport.send(2, 0, payload, 0, payload.length), "there are 2 shards");
        assertFalse(transport.send(-1, 0, payload, 0, payload.length));
        assertEquals(0, transport.broadcast(0, payload, 0, payload.length));
        assertEquals(5, transport.counters().droppedNoRoute.get());
        assertEquals(0, transport.counters().messagesSent.get());
    }

    @Test
    void aSingleShardOpensNoPublicationAndHasNothingToDo() {
        final CrossShardCounters counters = new CrossShardCounters();
        final CrossShardTransport transport = open(CrossShardTransport.ipc(media.aeron(), 0, 2, new int[] {4},
            TERM_LENGTH, new PeerMessages(NETWORK_ID, new int[] {4}, 1).crossShard(0, 2), counters));
        assertEquals(TERM_LENGTH / 8 - CrossShardHeader.LENGTH, transport.maxMessageBytes());
        assertEquals(0, transport.broadcast(0, new byte[1], 0, 1));
        assertEquals(0, transport.poll((s, v, p) -> {
            throw new AssertionError("nothing can arrive");
        }, FRAGMENT_LIMIT));
        assertEquals(0, counters.messagesSent.get());
    }

    @Test
    void udpCarriesAFragmentedMessageBesideConsensusOnTheSameEndpoints() {
        final int shards = 2;
        final int validators = 2;
        final List<List<String>> endpoints = freeLoopbackEndpoints(shards, validators);
        final Node[][] nodes = new Node[shards][validators];
        final PeerMessages udpKeys = new PeerMessages(NETWORK_ID, new int[] {validators, validators}, 2);
        final ConsensusTransport[][] consensus = new ConsensusTransport[shards][validators];
        for (int s = 0; s < shards; s++) {
            for (int v = 0; v < validators; v++) {
                // Shard 1 listens on every interface (a node config's bindHost "0.0.0.0") while its
                // genesis endpoints, the ones peers send to, stay on 127.0.0.1.
                final String advertised = endpoints.get(s).get(v);
                final String bind = s == 1 ? "0.0.0.0" + advertised.substring(advertised.lastIndexOf(':')) : advertised;
                consensus[s][v] = open(ConsensusTransport.udp(media.aeron(), s, v, endpoints.get(s), bind, TERM_LENGTH,
                    udpKeys.consensus(s, v), new TransportCounters()));
                nodes[s][v] = new Node(s, v, open(CrossShardTransport.udp(media.aeron(), s, v, endpoints, bind,
                    TERM_LENGTH, udpKeys.crossShard(s, v), new CrossShardCounters())));
            }
        }
        final Node sender = nodes[0][0];
        final Node target = nodes[1][1];
        awaitAll(nodes, () -> sender.transport.isConnected(1, 1) && consensus[0][0].isConnected(1),
            "udp publications connect");

        final byte[] big = new byte[100_000];
        new Random(42).nextBytes(big);
        assertTrue(big.length > 64 * 1024 && big.length <= sender.transport.maxMessageBytes(),
            "many MTUs, one message");
        assertTrue(sender.transport.send(1, 1, big, 0, big.length));
        assertTrue(consensus[0][0].send(1, bytes("consensus")));
        final List<String> consensusSeen = new ArrayList<>();
        awaitAll(nodes, () -> {
            consensus[0][1].poll((from, message) -> consensusSeen.add(from + " " + new String(message,
                StandardCharsets.UTF_8)), FRAGMENT_LIMIT);
            return !target.received.isEmpty() && !consensusSeen.isEmpty();
        }, "the big message and the consensus message arrive");

        assertEquals(1, target.received.size());
        final Received got = target.received.getFirst();
        assertEquals(0, got.fromShard());
        assertEquals(0, got.fromValidator());
        assertArrayEquals(big, got.payload());
        assertEquals(List.of("0 consensus"), consensusSeen, "stream 1001 still carries consensus");
        assertEquals(0, consensus[0][1].counters().malformedHeaders.get(), "no cross-shard bytes on stream 1001");
        assertEquals(0, target.transport.counters().malformed(), "no consensus bytes on stream 1002");
        assertEquals(big.length + CrossShardHeader.LENGTH, target.transport.counters().bytesReceived.get());
        assertTrue(target.transport.channel().endsWith("stream " + CrossShardTransport.CROSS_SHARD_STREAM_ID),
            target.transport.channel());
        assertTrue(target.transport.channel().contains("0.0.0.0:"), "bound apart from its advertised endpoint: "
            + target.transport.channel());
    }

    @Test
    void malformedMessagesAreCountedByReasonAndNotDelivered() {
        final Node[][] nodes = ipcCluster(new int[] {2, 3, 1});
        final Node target = nodes[0][0];
        final String channel = "aeron:ipc?term-length=" + TERM_LENGTH;
        try (ExclusivePublication rogue = media.aeron().addExclusivePublication(channel,
            CrossShardTransport.ipcStreamId(0, 0))) {
            awaitAll(nodes, rogue::isConnected, "rogue publication connects");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            offer(rogue, message, 3); // shorter than a header
            MessageHeader.write(message, 0, 0, 1); // a consensus header: another magic
            offer(rogue, message, 40);
            CrossShardHeader.write(message, 0, 1, 0, 0);
            message.putShort(2, (short) (CrossShardHeader.VERSION + 1), ByteOrder.LITTLE_ENDIAN);
            offer(rogue, message, 40); // another version
            CrossShardHeader.write(message, 0, 1, 0, 2);
            offer(rogue, message, 40); // for shard 2
            CrossShardHeader.write(message, 0, 0, 1, 0);
            offer(rogue, message, 40); // from our own shard
            CrossShardHeader.write(message, 0, 3, 0, 0);
            offer(rogue, message, 40); // from a shard the genesis does not have
            CrossShardHeader.write(message, 0, 1, 3, 0);
            offer(rogue, message, 40); // shard 1 has validators 0..2
            CrossShardHeader.write(message, 0, 2, 1, 0);
            offer(rogue, message, 40); // shard 2 has validator 0 only
            CrossShardHeader.write(message, 0, 1, 2, 0);
            message.putBytes(CrossShardHeader.LENGTH, bytes("valid"));
            PeerMessages.sealCrossShard(keys.crossShard(1, 2), 0, 0, message, 5);
            offer(rogue, message, CrossShardHeader.LENGTH + 5); // the one that counts: sealed with 1/2's key
            awaitAll(nodes, () -> target.got("valid"), "the valid message arrives after the garbage");
        }
        assertEquals(List.of("1/2 valid"), describe(target));
        final CrossShardCounters counters = target.transport.counters();
        assertEquals(3, counters.malformedHeader.get(), "short, magic, version");
        assertEquals(1, counters.malformedDestShard.get());
        assertEquals(2, counters.malformedSourceShard.get(), "own shard, no such shard");
        assertEquals(2, counters.malformedSender.get());
        assertEquals(8, counters.malformed());
        assertEquals(1, counters.messagesReceived.get());
    }

    @Test
    void forgedTamperedReplayedAndOutsiderMessagesAreDroppedCountedAndNeverDelivered() {
        final Node[][] nodes = ipcCluster(new int[] {2, 3});
        final Node target = nodes[0][0];
        final String channel = "aeron:ipc?term-length=" + TERM_LENGTH;
        final long now = PeerAuth.firstSequence(System.currentTimeMillis());
        try (ExclusivePublication rogue = media.aeron().addExclusivePublication(channel,
            CrossShardTransport.ipcStreamId(0, 0))) {
            awaitAll(nodes, rogue::isConnected, "rogue publication connects");
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final int length = CrossShardHeader.LENGTH + 6;

            // Validator 1/1, a member of the genesis, claims to be 1/2: its tag is under key(1/1 -> 0/0).
            CrossShardHeader.write(message, 0, 1, 2, 0);
            message.putBytes(CrossShardHeader.LENGTH, bytes("forged"));
            PeerMessages.sealCrossShard(keys.crossShard(1, 1), 0, 0, message, 6);
            offer(rogue, message, length);

            // A key that is in no genesis, sitting in seat 1/2.
            final PeerAuth outsider = keys.crossShardImpostor(PeerMessages.key(new java.util.SplittableRandom(99)),
                1, 2, now);
            message.putBytes(CrossShardHeader.LENGTH, bytes("strang"));
            PeerMessages.sealCrossShard(outsider, 0, 0, message, 6);
            offer(rogue, message, length);

            // A genuine message from 1/2, then the same bytes again, then a copy with one payload byte changed.
            final PeerAuth genuine = keys.crossShard(1, 2);
            message.putBytes(CrossShardHeader.LENGTH, bytes("first!"));
            PeerMessages.sealCrossShard(genuine, 0, 0, message, 6);
            offer(rogue, message, length);
            offer(rogue, message, length);
            message.putByte(length - 1, (byte) '?');
            offer(rogue, message, length);
            // A genuine message to 0/1 offered to 0/0: the receiver's seat is bound by the key.
            message.putBytes(CrossShardHeader.LENGTH, bytes("misdir"));
            PeerMessages.sealCrossShard(genuine, 0, 1, message, 6);
            offer(rogue, message, length);

            message.putBytes(CrossShardHeader.LENGTH, bytes("second"));
            PeerMessages.sealCrossShard(genuine, 0, 0, message, 6);
            offer(rogue, message, length);
            awaitAll(nodes, () -> target.got("second"), "the last genuine message arrives");
        }
        assertEquals(List.of("1/2 first!", "1/2 second"), describe(target));
        final CrossShardCounters counters = target.transport.counters();
        assertEquals(4, counters.unauthenticated.get(), "forged index, outsider key, changed byte, other receiver");
        assertEquals(1, counters.replayed.get());
        assertEquals(0, counters.malformed());
        assertEquals(2, counters.messagesReceived.get());
        assertTrue(nodes[0][1].received.isEmpty());
    }

    @Test
    void oversizedSendsAreRefusedAndCountedAndTheLargestMessageCrosses() {
        final Node[][] nodes = ipcCluster(new int[] {1, 2});
        final Node sender = nodes[0][0];
        awaitConnected(sender, 1);
        final int max = sender.transport.maxMessageBytes();
        assertEquals(TERM_LENGTH / 8 - CrossShardHeader.LENGTH, max);
        final byte[] payload = new byte[max + 1];
        ThreadLocalRandom.current().nextBytes(payload);

        assertFalse(sender.transport.send(1, 0, payload, 0, max + 1));
        assertEquals(0, sender.transport.broadcast(1, payload, 0, max + 1));
        final CrossShardCounters counters = sender.transport.counters();
        assertEquals(3, counters.droppedOversized.get(), "once for the send, once per validator of the broadcast");
        assertEquals(0, counters.messagesSent.get(), "nothing oversized reached a publication");

        assertTrue(sender.transport.send(1, 1, payload, 1, max), "exactly the limit is carried");
        awaitAll(nodes, () -> !nodes[1][1].received.isEmpty(), "the largest message arrives");
        final byte[] expected = new byte[max];
        System.arraycopy(payload, 1, expected, 0, max);
        assertEquals(1, nodes[1][1].received.size());
        assertArrayEquals(expected, nodes[1][1].received.getFirst().payload());
        assertTrue(nodes[1][0].received.isEmpty());
        assertNotEquals(CrossShardTransport.ipcStreamId(1, 0), ConsensusTransport.ipcStreamId(1, 0));
    }

    private Node[][] ipcCluster(final int[] sizes) {
        keys = new PeerMessages(NETWORK_ID, sizes, 1);
        final Node[][] nodes = new Node[sizes.length][];
        for (int s = 0; s < sizes.length; s++) {
            nodes[s] = new Node[sizes[s]];
            for (int v = 0; v < sizes[s]; v++) {
                nodes[s][v] = new Node(s, v, open(CrossShardTransport.ipc(media.aeron(), s, v, sizes, TERM_LENGTH,
                    keys.crossShard(s, v), new CrossShardCounters())));
            }
        }
        return nodes;
    }

    private <T extends AutoCloseable> T open(final T closeable) {
        opened.push(closeable);
        return closeable;
    }

    private static void awaitConnected(final Node node, final int destShard) {
        awaitTrue(() -> {
            for (int v = 0; v < node.transport.committeeSize(destShard); v++) {
                if (!node.transport.isConnected(destShard, v)) {
                    return false;
                }
            }
            return true;
        }, node.shard + "/" + node.index + " connected to shard " + destShard);
    }

    /** Polls every node until {@code done} holds; fails after {@link #DEADLINE_NS}. */
    private static void awaitAll(final Node[][] nodes, final BooleanSupplier done, final String what) {
        awaitTrue(() -> {
            int work = 0;
            for (final Node[] shard : nodes) {
                for (final Node node : shard) {
                    work += node.poll();
                }
            }
            if (work == 0) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
            return done.getAsBoolean();
        }, what);
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static boolean everyNodeGot(final Node[][] nodes, final String text) {
        for (final Node[] shard : nodes) {
            for (final Node node : shard) {
                if (!node.got(text)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> describe(final Node node) {
        return node.received.stream().map(r -> r.fromShard() + "/" + r.fromValidator() + " " + r.text()).toList();
    }

    private static void offer(final Publication publication, final UnsafeBuffer buffer, final int length) {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (publication.offer(buffer, 0, length) < 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("rogue offer not accepted");
            }
            Thread.onSpinWait();
        }
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code shards x validators} loopback endpoints on distinct UDP ports that bind now. Drawn below
     * the usual ephemeral range (so no outgoing socket holds them meanwhile) and away from the
     * 20000+ consensus ports of a developer's {@code basalt local}.
     */
    private static List<List<String>> freeLoopbackEndpoints(final int shards, final int validators) {
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        final Set<Integer> taken = new HashSet<>();
        final List<List<String>> endpoints = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            final List<String> shard = new ArrayList<>();
            for (int v = 0; v < validators; v++) {
                shard.add("127.0.0.1:" + freeUdpPort(loopback, taken));
            }
            endpoints.add(shard);
        }
        return endpoints;
    }

    private static int freeUdpPort(final InetAddress loopback, final Set<Integer> taken) {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            final int port = ThreadLocalRandom.current().nextInt(10_240, 19_999);
            if (taken.contains(port)) {
                continue;
            }
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                assert socket.isBound();
                taken.add(port);
                return port;
            } catch (final IOException e) {
                // in use: draw another
            }
        }
        throw new IllegalStateException("no free loopback UDP port found");
    }
}
