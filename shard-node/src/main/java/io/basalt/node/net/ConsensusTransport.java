package io.basalt.node.net;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import java.util.List;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One validator's consensus links: a subscription on its own channel and one publication per peer.
 * Used by one thread only (the consensus agent), which both sends and polls.
 *
 * <pre>
 *   UDP (one validator per process):            IPC (a local cluster in one process):
 *   sub  aeron:udp?endpoint=own-host:port       sub  aeron:ipc, stream ipcStreamId(shard, self)
 *   pub  aeron:udp?endpoint=peer-host:port      pub  aeron:ipc, stream ipcStreamId(shard, peer)
 *        stream CONSENSUS_STREAM_ID                  (peers of one validator share that log)
 * </pre>
 *
 * Requests and responses travel on the same stream as blocks. Every message is
 * {@link MessageHeader} + SBE bytes, the header carrying a sequence number and a tag under the
 * pairwise key of {@link PeerAuth}. A message is dropped and counted here, and never reaches the
 * receiver, when its header is missing or foreign ({@code malformedHeaders}), its tag does not verify
 * under the key of the sender it names ({@code unauthenticated}: a forged index, a flipped byte, a
 * key that is not the sender's), or its sequence number is not above the last one accepted from that
 * sender ({@code replayed}). What reaches the receiver was sent by the validator named, to us, once.
 *
 * <p>Sizes: Aeron's largest message is a term / 8, so the default {@link #DEFAULT_TERM_LENGTH} of
 * 16 MiB carries 2 MiB messages; blocks are bounded below that at start-up and responses are split
 * by {@link ConsensusOutbox}.
 */
public final class ConsensusTransport implements PeerLink, AutoCloseable {
    public static final int CONSENSUS_STREAM_ID = 1001;
    public static final int IPC_STREAM_BASE = 1_000_000;
    public static final int DEFAULT_TERM_LENGTH = 16 * 1024 * 1024;
    /** Offers retried after back-pressure before the message is dropped. */
    public static final int MAX_OFFER_RETRIES = 3;

    /** Receives one decoded-header message; {@code message} is a fresh array the receiver may keep. */
    @FunctionalInterface
    public interface Receiver {
        void onMessage(int from, byte[] message);
    }

    private final int shardId;
    private final int self;
    private final int committeeSize;
    private final Subscription subscription;
    private final Publication[] publications;
    private final PeerSender[] senders;
    private final TransportCounters counters;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final PeerAuth auth;
    /** The outgoing header: fixed fields written once, sequence and tag rewritten per message and peer. */
    private final byte[] headerBytes = new byte[MessageHeader.LENGTH];
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(headerBytes);
    /** A received header, copied out of the log so that the tag is checked over plain arrays. */
    private final byte[] receivedHeader = new byte[MessageHeader.LENGTH];
    private final UnsafeBuffer payloadView = new UnsafeBuffer(new byte[0]);
    private final int maxMessageBytes;
    /** IPC only: the peers' doorbells, rung after each message sent to them; null entries over UDP. */
    private final Doorbell[] peerDoorbells;
    private final boolean everyPeerRings;
    private Receiver receiver;

    private ConsensusTransport(final Aeron aeron, final int shardId, final int self, final int committeeSize,
                               final String ownChannel, final int ownStream,
                               final String[] peerChannels, final int[] peerStreams,
                               final Doorbell[] peerDoorbells, final PeerAuth auth,
                               final TransportCounters counters) {
        if (auth.shardId() != shardId || auth.self() != self) {
            throw new IllegalArgumentException("peer keys of validator " + auth.shardId() + "/" + auth.self()
                + " handed to the transport of " + shardId + "/" + self);
        }
        for (int peer = 0; peer < committeeSize; peer++) {
            if (peer != self && !auth.hasLink(shardId, peer)) {
                throw new IllegalArgumentException("no peer key for validator " + shardId + "/" + peer);
            }
        }
        this.auth = auth;
        this.shardId = shardId;
        this.self = self;
        this.committeeSize = committeeSize;
        this.counters = counters;
        this.peerDoorbells = peerDoorbells;
        boolean rings = true;
        for (int peer = 0; peer < committeeSize; peer++) {
            rings &= peer == self || peerDoorbells[peer] != null;
        }
        this.everyPeerRings = rings;
        this.publications = new Publication[committeeSize];
        this.senders = new PeerSender[committeeSize];
        MessageHeader.write(headerBuffer, 0, shardId, self);
        Subscription sub = null;
        try {
            sub = aeron.addSubscription(ownChannel, ownStream);
            int max = Integer.MAX_VALUE;
            for (int peer = 0; peer < committeeSize; peer++) {
                if (peer == self) {
                    continue;
                }
                final Publication publication = aeron.addPublication(peerChannels[peer], peerStreams[peer]);
                publications[peer] = publication;
                senders[peer] = new PeerSender(publication::offer, MAX_OFFER_RETRIES, counters);
                max = Math.min(max, publication.maxMessageLength() - MessageHeader.LENGTH);
            }
            this.maxMessageBytes = max;
        } catch (final RuntimeException e) {
            CloseHelper.quietCloseAll(publications);
            CloseHelper.quietClose(sub);
            throw e;
        }
        this.subscription = sub;
    }

    /**
     * Validators in separate processes: UDP to each peer's {@code host:port} from genesis, listening
     * on {@code bindEndpoint} (the own genesis endpoint, or the same port on the node's bindHost).
     */
    public static ConsensusTransport udp(final Aeron aeron, final int shardId, final int self,
                                         final List<String> endpoints, final String bindEndpoint, final int termLength,
                                         final PeerAuth auth, final TransportCounters counters) {
        final int n = endpoints.size();
        final String[] channels = new String[n];
        final int[] streams = new int[n];
        for (int peer = 0; peer < n; peer++) {
            channels[peer] = new ChannelUriStringBuilder().media("udp").endpoint(endpoints.get(peer))
                .termLength(termLength).build();
            streams[peer] = CONSENSUS_STREAM_ID;
        }
        final String own = new ChannelUriStringBuilder().media("udp").endpoint(bindEndpoint).build();
        return new ConsensusTransport(aeron, shardId, self, n, own, CONSENSUS_STREAM_ID, channels, streams,
            new Doorbell[n], auth, counters);
    }

    /**
     * Validators that share one media driver (the local cluster): IPC, one stream per validator.
     * Each send rings the receiving validator's doorbell from {@code doorbells}, so its agent wakes
     * on arrival instead of at the end of its park.
     */
    public static ConsensusTransport ipc(final Aeron aeron, final Doorbells doorbells, final int shardId, final int self,
                                         final int committeeSize, final int termLength, final PeerAuth auth,
                                         final TransportCounters counters) {
        final String channel = new ChannelUriStringBuilder().media("ipc").termLength(termLength).build();
        final String[] channels = new String[committeeSize];
        final int[] streams = new int[committeeSize];
        final Doorbell[] bells = new Doorbell[committeeSize];
        for (int peer = 0; peer < committeeSize; peer++) {
            channels[peer] = channel;
            streams[peer] = ipcStreamId(shardId, peer);
            bells[peer] = peer == self ? null : doorbells.forStream(streams[peer]);
        }
        return new ConsensusTransport(aeron, shardId, self, committeeSize, "aeron:ipc", ipcStreamId(shardId, self),
            channels, streams, bells, auth, counters);
    }

    /** The IPC stream a validator listens on: unique per (shard, index) inside one media driver. */
    public static int ipcStreamId(final int shardId, final int index) {
        return IPC_STREAM_BASE + shardId * 256 + index;
    }

    /**
     * Whether every peer rings this validator's doorbell after each send to it: IPC, where the whole
     * committee shares this process's {@link Doorbells} (the transports of one committee are either
     * all IPC or all UDP).
     */
    public boolean everyPeerRings() {
        return everyPeerRings;
    }

    @Override
    public boolean send(final int peer, final byte[] message) {
        assert peer != self && peer >= 0 && peer < committeeSize : "bad peer " + peer;
        if (message.length > maxMessageBytes) {
            counters.droppedOversized.incrementAndGet();
            return false;
        }
        MessageHeader.sequence(headerBuffer, 0, auth.nextSequence(shardId, peer));
        auth.sendMac(shardId, peer).tag(headerBytes, 0, MessageHeader.AUTHENTICATED_LENGTH, message, 0, message.length,
            headerBytes, MessageHeader.TAG_OFFSET);
        payloadView.wrap(message);
        final boolean sent = senders[peer].send(headerBuffer, MessageHeader.LENGTH, payloadView, 0, message.length);
        if (sent && peerDoorbells[peer] != null) {
            peerDoorbells[peer].ring();
        }
        return sent;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Delivers at most {@code fragmentLimit} fragments' worth of messages; returns fragments read. */
    public int poll(final Receiver receiver, final int fragmentLimit) {
        this.receiver = receiver;
        return subscription.poll(assembler, fragmentLimit);
    }

    /** Whether a peer's publication has a connected subscriber (the peer is up and listening). */
    /** Peers whose publication has a connected subscriber now (this validator not counted). */
    public int connectedPeers() {
        int connected = 0;
        for (int peer = 0; peer < committeeSize; peer++) {
            connected += peer != self && isConnected(peer) ? 1 : 0;
        }
        return connected;
    }

    public int committeeSize() {
        return committeeSize;
    }

    public boolean isConnected(final int peer) {
        return publications[peer] != null && publications[peer].isConnected();
    }

    public String channel() {
        return subscription.channel() + " stream " + subscription.streamId();
    }

    public TransportCounters counters() {
        return counters;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header) {
        final int from = MessageHeader.sender(buffer, offset, length, shardId);
        if (from < 0 || from >= committeeSize || from == self) {
            counters.malformedHeaders.incrementAndGet();
            return;
        }
        buffer.getBytes(offset, receivedHeader);
        final byte[] message = new byte[length - MessageHeader.LENGTH];
        buffer.getBytes(offset + MessageHeader.LENGTH, message);
        if (!auth.receiveMac(shardId, from).verify(receivedHeader, 0, MessageHeader.AUTHENTICATED_LENGTH,
            message, 0, message.length, receivedHeader, MessageHeader.TAG_OFFSET)) {
            counters.unauthenticated.incrementAndGet();
            return;
        }
        if (!auth.acceptSequence(shardId, from, MessageHeader.sequence(buffer, offset))) {
            counters.replayed.incrementAndGet();
            return;
        }
        counters.messagesReceived.incrementAndGet();
        counters.bytesReceived.addAndGet(length);
        receiver.onMessage(from, message);
    }

    @Override
    public void close() {
        CloseHelper.closeAll(publications);
        CloseHelper.close(subscription);
    }
}
