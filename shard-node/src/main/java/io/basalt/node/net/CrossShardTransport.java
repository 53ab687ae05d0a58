package io.basalt.node.net;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.aeron.logbuffer.LogBufferDescriptor;
import io.basalt.protocol.ProtocolLimits;
import java.util.List;
import java.util.Objects;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One validator's links to the validators of every other shard: a single subscription for all
 * cross-shard traffic addressed to it, and one publication per remote validator. Used by one thread
 * only (the cross-shard agent), which both sends and polls.
 *
 * <pre>
 *   UDP (one validator per process):               IPC (a local cluster in one process):
 *   sub  aeron:udp?endpoint=own-host:port          sub  aeron:ipc, stream ipcStreamId(shard, self)
 *        stream CROSS_SHARD_STREAM_ID (1002)       pub  aeron:ipc, stream ipcStreamId(s, v)
 *   pub  aeron:udp?endpoint=remote-host:port            for every v of every shard s != own
 *        stream CROSS_SHARD_STREAM_ID
 *
 *   the UDP endpoint is the genesis consensusEndpoint, shared with ConsensusTransport:
 *
 *        udp 127.0.0.1:20000 ──┬── stream 1001  ConsensusTransport   (validators of this shard)
 *                              └── stream 1002  CrossShardTransport  (validators of other shards)
 * </pre>
 *
 * Sharing the endpoint keeps the genesis as it is (one port per validator) and lets the media driver
 * serve both streams from one socket; the subscription's channel is built exactly as
 * ConsensusTransport builds its own, so the driver sees one channel with two streams rather than
 * two channels fighting over one port.
 *
 * <p>Every message is {@link CrossShardHeader} + SBE bytes, the header carrying a sequence number and
 * a tag under the pairwise cross-shard key of {@link PeerAuth}. A message whose header is missing,
 * foreign, for another shard, from our own shard or from a validator the genesis does not know is
 * counted by reason in {@link CrossShardCounters} and dropped; so is one whose tag does not verify
 * under the named sender's key ({@code unauthenticated}) or whose sequence number is not above the
 * last accepted from that sender ({@code replayed}). The payload of the others goes to the
 * {@link Receiver} with a source that sent it. The relay's retransmissions are new messages with new
 * sequence numbers, so they pass; a captured copy of one replayed by someone else does not.
 *
 * <p>Sends never block: back-pressure is retried {@link #MAX_OFFER_RETRIES} times, then the message is
 * dropped and counted, as on the consensus links. The protocols above (receipt batches, swap votes)
 * are certified and idempotent, so their senders re-send what was not acknowledged; waiting here for
 * one slow remote validator would stall the traffic to all the others.
 *
 * <p>With a single shard there is nobody to talk to: no publication is opened, {@link #broadcast}
 * reaches nobody, and the subscription simply stays empty.
 */
public final class CrossShardTransport implements AutoCloseable {
    /** UDP stream of cross-shard traffic on the consensus endpoint; consensus itself uses 1001. */
    public static final int CROSS_SHARD_STREAM_ID = 1002;
    /** First IPC stream id; above {@link ConsensusTransport}'s whole IPC range (see {@link #checkRelations}). */
    public static final int IPC_STREAM_BASE = 2_000_000;
    /** Largest shard count these links serve; bounds the IPC stream range and fits the uint16 header field. */
    public static final int MAX_SHARDS = 1024;
    /**
     * Term length for cross-shard publications when the caller has no reason to choose another:
     * 1 MiB terms carry 128 KiB messages, enough for a fully certified receipt batch, at a sixteenth
     * of the sparse log a consensus publication takes. A validator opens one publication per remote
     * validator, so this is multiplied by (shards - 1) x committee size.
     */
    public static final int DEFAULT_TERM_LENGTH = 1024 * 1024;
    /** Offers retried after back-pressure before the message is dropped; the same as consensus. */
    public static final int MAX_OFFER_RETRIES = ConsensusTransport.MAX_OFFER_RETRIES;

    /** IPC stream ids per shard: one per possible committee member. */
    private static final int IPC_STREAMS_PER_SHARD = ProtocolLimits.MAX_COMMITTEE;
    private static final int MAX_UINT16 = 0xFFFF;

    static {
        checkRelations();
    }

    /** Receives one message with a valid header; {@code payload} is a fresh array the receiver may keep. */
    @FunctionalInterface
    public interface Receiver {
        void onMessage(int fromShard, int fromValidator, byte[] payload);
    }

    private final int shardId;
    private final int self;
    private final int[] committeeSizeByShard;
    private final Subscription subscription;
    /** By shard, then validator; the row of our own shard is empty. */
    private final Publication[][] publications;
    private final PeerSender[][] senders;
    private final CrossShardCounters counters;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    /** Source fields written once; the destination shard is rewritten before each send. */
    private final byte[] headerBytes = new byte[CrossShardHeader.LENGTH];
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(headerBytes);
    /** A received header, copied out of the log so that the tag is checked over plain arrays. */
    private final byte[] receivedHeader = new byte[CrossShardHeader.LENGTH];
    private final PeerAuth auth;
    private final UnsafeBuffer payloadView = new UnsafeBuffer(new byte[0]);
    private final int maxMessageBytes;
    private Receiver receiver;

    private CrossShardTransport(final Aeron aeron, final int shardId, final int self, final int[] committeeSizeByShard,
                                final String ownChannel, final int ownStream, final String[][] remoteChannels,
                                final int[][] remoteStreams, final int termLength, final PeerAuth auth,
                                final CrossShardCounters counters) {
        checkKeys(auth, shardId, self, committeeSizeByShard);
        this.auth = auth;
        this.shardId = shardId;
        this.self = self;
        this.committeeSizeByShard = committeeSizeByShard;
        this.counters = Objects.requireNonNull(counters, "counters");
        final int shardCount = committeeSizeByShard.length;
        this.publications = new Publication[shardCount][];
        this.senders = new PeerSender[shardCount][];
        CrossShardHeader.write(headerBuffer, 0, shardId, self, 0);
        Subscription sub = null;
        try {
            sub = aeron.addSubscription(ownChannel, ownStream);
            int max = FrameDescriptor.computeMaxMessageLength(termLength) - CrossShardHeader.LENGTH;
            for (int s = 0; s < shardCount; s++) {
                final int size = s == shardId ? 0 : committeeSizeByShard[s];
                publications[s] = new Publication[size];
                senders[s] = new PeerSender[size];
                for (int v = 0; v < size; v++) {
                    final Publication publication = aeron.addPublication(remoteChannels[s][v], remoteStreams[s][v]);
                    publications[s][v] = publication;
                    senders[s][v] = new PeerSender(publication::offer, MAX_OFFER_RETRIES, counters);
                    max = Math.min(max, publication.maxMessageLength() - CrossShardHeader.LENGTH);
                }
            }
            this.maxMessageBytes = max;
        } catch (final RuntimeException e) {
            closeAll(publications, true);
            CloseHelper.quietClose(sub);
            throw e;
        }
        this.subscription = sub;
    }

    /**
     * Validators in separate processes: UDP to each remote validator's consensus {@code host:port}
     * from genesis, {@code endpointsByShard.get(s).get(v)} being that of validator {@code v} of shard
     * {@code s}.
     */
    public static CrossShardTransport udp(final Aeron aeron, final int shardId, final int self,
                                          final List<List<String>> endpointsByShard, final String bindEndpoint,
                                          final int termLength,
                                          final PeerAuth auth, final CrossShardCounters counters) {
        final int[] sizes = new int[endpointsByShard.size()];
        for (int s = 0; s < sizes.length; s++) {
            sizes[s] = endpointsByShard.get(s).size();
        }
        checkTopology(shardId, self, sizes, termLength);
        final String[][] channels = new String[sizes.length][];
        final int[][] streams = new int[sizes.length][];
        for (int s = 0; s < sizes.length; s++) {
            channels[s] = new String[sizes[s]];
            streams[s] = new int[sizes[s]];
            for (int v = 0; v < sizes[s]; v++) {
                channels[s][v] = new ChannelUriStringBuilder().media("udp").endpoint(endpointsByShard.get(s).get(v))
                    .termLength(termLength).build();
                streams[s][v] = CROSS_SHARD_STREAM_ID;
            }
        }
        // Exactly ConsensusTransport's subscription channel, so that the driver shares its socket.
        final String own = new ChannelUriStringBuilder().media("udp").endpoint(bindEndpoint).build();
        return new CrossShardTransport(aeron, shardId, self, sizes, own, CROSS_SHARD_STREAM_ID, channels, streams,
            termLength, auth, counters);
    }

    /** Validators that share one media driver (the local cluster): IPC, one stream per validator. */
    public static CrossShardTransport ipc(final Aeron aeron, final int shardId, final int self,
                                          final int[] committeeSizeByShard, final int termLength,
                                          final PeerAuth auth, final CrossShardCounters counters) {
        final int[] sizes = committeeSizeByShard.clone();
        checkTopology(shardId, self, sizes, termLength);
        final String channel = new ChannelUriStringBuilder().media("ipc").termLength(termLength).build();
        final String[][] channels = new String[sizes.length][];
        final int[][] streams = new int[sizes.length][];
        for (int s = 0; s < sizes.length; s++) {
            channels[s] = new String[sizes[s]];
            streams[s] = new int[sizes[s]];
            for (int v = 0; v < sizes[s]; v++) {
                channels[s][v] = channel;
                streams[s][v] = ipcStreamId(s, v);
            }
        }
        return new CrossShardTransport(aeron, shardId, self, sizes, "aeron:ipc", ipcStreamId(shardId, self),
            channels, streams, termLength, auth, counters);
    }

    /**
     * The IPC stream a validator listens on for cross-shard traffic: unique per (shard, index) inside
     * one media driver and disjoint from {@link ConsensusTransport#ipcStreamId}.
     */
    public static int ipcStreamId(final int shardId, final int index) {
        return IPC_STREAM_BASE + shardId * IPC_STREAMS_PER_SHARD + index;
    }

    /**
     * Sends one message to validator {@code destValidator} of shard {@code destShard}; false when it
     * was dropped (counted): no such remote validator, larger than {@link #maxMessageBytes()}, not
     * connected, or still back-pressured after the retries.
     *
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} leave {@code payload}: a
     *                                   bug of the caller, not bad input, and never read past the array
     */
    public boolean send(final int destShard, final int destValidator, final byte[] payload, final int offset,
                        final int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (!isRemoteShard(destShard) || destValidator < 0 || destValidator >= committeeSizeByShard[destShard]) {
            counters.droppedNoRoute.incrementAndGet();
            return false;
        }
        if (length > maxMessageBytes) {
            counters.droppedOversized.incrementAndGet();
            return false;
        }
        return offer(destShard, destValidator, payload, offset, length);
    }

    /**
     * Sends one message to every validator of {@code destShard}; returns how many accepted it. A
     * refused message counts once per validator it would have reached, so that sent plus dropped
     * stays the number of messages asked for; an unknown shard counts once.
     */
    public int broadcast(final int destShard, final byte[] payload, final int offset, final int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (!isRemoteShard(destShard)) {
            counters.droppedNoRoute.incrementAndGet();
            return 0;
        }
        final int size = committeeSizeByShard[destShard];
        if (length > maxMessageBytes) {
            counters.droppedOversized.addAndGet(size);
            return 0;
        }
        int accepted = 0;
        for (int v = 0; v < size; v++) {
            if (offer(destShard, v, payload, offset, length)) {
                accepted++;
            }
        }
        return accepted;
    }

    /** The largest payload {@link #send} carries, header excluded. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Delivers at most {@code fragmentLimit} fragments' worth of messages; returns fragments read. */
    public int poll(final Receiver receiver, final int fragmentLimit) {
        this.receiver = receiver;
        return subscription.poll(assembler, fragmentLimit);
    }

    /** Whether a remote validator's publication has a connected subscriber (it is up and listening). */
    public boolean isConnected(final int destShard, final int destValidator) {
        return isRemoteShard(destShard) && destValidator >= 0 && destValidator < publications[destShard].length
            && publications[destShard][destValidator].isConnected();
    }

    public int shardCount() {
        return committeeSizeByShard.length;
    }

    public int committeeSize(final int shard) {
        return committeeSizeByShard[shard];
    }

    public String channel() {
        return subscription.channel() + " stream " + subscription.streamId();
    }

    public CrossShardCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        closeAll(publications, false);
        CloseHelper.close(subscription);
    }

    private boolean isRemoteShard(final int shard) {
        return shard >= 0 && shard < committeeSizeByShard.length && shard != shardId;
    }

    private boolean offer(final int destShard, final int destValidator, final byte[] payload, final int offset,
                          final int length) {
        CrossShardHeader.destShard(headerBuffer, 0, destShard);
        CrossShardHeader.sequence(headerBuffer, 0, auth.nextSequence(destShard, destValidator));
        auth.sendMac(destShard, destValidator).tag(headerBytes, 0, CrossShardHeader.AUTHENTICATED_LENGTH, payload,
            offset, length, headerBytes, CrossShardHeader.TAG_OFFSET);
        payloadView.wrap(payload);
        return senders[destShard][destValidator].send(headerBuffer, CrossShardHeader.LENGTH, payloadView, offset,
            length);
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header) {
        final CrossShardHeader.Verdict verdict = CrossShardHeader.check(buffer, offset, length, shardId,
            committeeSizeByShard);
        if (verdict != CrossShardHeader.Verdict.VALID) {
            counters.malformed(verdict);
            return;
        }
        final int sourceShard = CrossShardHeader.sourceShard(buffer, offset);
        final int sender = CrossShardHeader.sender(buffer, offset);
        buffer.getBytes(offset, receivedHeader);
        final byte[] payload = new byte[length - CrossShardHeader.LENGTH];
        buffer.getBytes(offset + CrossShardHeader.LENGTH, payload);
        if (!auth.receiveMac(sourceShard, sender).verify(receivedHeader, 0, CrossShardHeader.AUTHENTICATED_LENGTH,
            payload, 0, payload.length, receivedHeader, CrossShardHeader.TAG_OFFSET)) {
            counters.unauthenticated.incrementAndGet();
            return;
        }
        if (!auth.acceptSequence(sourceShard, sender, CrossShardHeader.sequence(buffer, offset))) {
            counters.replayed.incrementAndGet();
            return;
        }
        counters.messagesReceived.incrementAndGet();
        counters.bytesReceived.addAndGet(length);
        receiver.onMessage(sourceShard, sender, payload);
    }

    /** Configuration errors of the caller (a genesis that slipped past its checks): refuse to start. */
    private static void checkTopology(final int shardId, final int self, final int[] sizes, final int termLength) {
        if (sizes.length < 1 || sizes.length > MAX_SHARDS) {
            throw new IllegalArgumentException("shard count must be in 1.." + MAX_SHARDS + ": " + sizes.length);
        }
        for (int s = 0; s < sizes.length; s++) {
            if (sizes[s] < 1 || sizes[s] > ProtocolLimits.MAX_COMMITTEE) {
                throw new IllegalArgumentException("shard " + s + " has " + sizes[s] + " validators, outside 1.."
                    + ProtocolLimits.MAX_COMMITTEE);
            }
        }
        if (shardId < 0 || shardId >= sizes.length || self < 0 || self >= sizes[shardId]) {
            throw new IllegalArgumentException("validator " + shardId + "/" + self + " is not in the topology");
        }
        // Checked here too because a single shard opens no publication for Aeron to check it.
        LogBufferDescriptor.checkTermLength(termLength);
    }

    /** Keys for another seat, or missing for a remote validator: a wiring bug, refused at start-up. */
    private static void checkKeys(final PeerAuth auth, final int shardId, final int self, final int[] sizes) {
        Objects.requireNonNull(auth, "auth");
        if (auth.shardId() != shardId || auth.self() != self) {
            throw new IllegalArgumentException("peer keys of validator " + auth.shardId() + "/" + auth.self()
                + " handed to the cross-shard transport of " + shardId + "/" + self);
        }
        for (int s = 0; s < sizes.length; s++) {
            for (int v = 0; s != shardId && v < sizes[s]; v++) {
                if (!auth.hasLink(s, v)) {
                    throw new IllegalArgumentException("no cross-shard peer key for validator " + s + "/" + v);
                }
            }
        }
    }

    private static void closeAll(final Publication[][] byShard, final boolean quietly) {
        for (final Publication[] row : byShard) {
            if (row != null) {
                if (quietly) {
                    CloseHelper.quietCloseAll(row);
                } else {
                    CloseHelper.closeAll(row);
                }
            }
        }
    }

    /**
     * The stream-id plan, checked when the class loads so that an edit breaking it fails every test:
     *
     * <pre>
     *   1001 1002      1,000,000 ... consensus IPC ...   2,000,000 ... cross-shard IPC ...
     *   udp streams    shard*256 + index, MAX_SHARDS     shard*256 + index, MAX_SHARDS
     * </pre>
     */
    static void checkRelations() {
        require(CROSS_SHARD_STREAM_ID != ConsensusTransport.CONSENSUS_STREAM_ID,
            "cross-shard and consensus UDP streams differ on the shared endpoint");
        require(ConsensusTransport.ipcStreamId(MAX_SHARDS - 1, ProtocolLimits.MAX_COMMITTEE - 1) < IPC_STREAM_BASE,
            "the consensus IPC range of MAX_SHARDS shards ends below the cross-shard IPC range");
        require(ConsensusTransport.IPC_STREAM_BASE > CROSS_SHARD_STREAM_ID,
            "IPC ranges lie above the UDP stream ids");
        require((long) IPC_STREAM_BASE + (long) MAX_SHARDS * IPC_STREAMS_PER_SHARD <= Integer.MAX_VALUE,
            "cross-shard IPC stream ids fit an int");
        require(MAX_SHARDS - 1 <= MAX_UINT16 && ProtocolLimits.MAX_COMMITTEE - 1 <= MAX_UINT16,
            "shard and validator indices fit the uint16 header fields");
        require(FrameDescriptor.computeMaxMessageLength(DEFAULT_TERM_LENGTH) - CrossShardHeader.LENGTH
                >= ProtocolLimits.MAX_CERTIFIED_BYTES,
            "a fully certified message fits one message of the default term");
    }

    private static void require(final boolean relation, final String description) {
        if (!relation) {
            throw new IllegalStateException("cross-shard transport limits are inconsistent: expected " + description);
        }
    }
}
