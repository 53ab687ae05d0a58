package io.basalt.xshard;

import io.basalt.crypto.Sha256;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.ProtocolLimits;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.BatchAckDecoder;
import io.basalt.protocol.sbe.BatchAckEncoder;
import io.basalt.protocol.sbe.BatchSignatureDecoder;
import io.basalt.protocol.sbe.BatchSignatureEncoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One validator's part in moving certified batches between shards. A pure state machine: events
 * and the time come in as arguments, messages and proposals go out through {@link Outbox}; the
 * validator runs it on its cross-shard agent, the simulator on virtual time.
 *
 * <pre>
 *   source shard S                                       destination shard D
 *   execution cuts batch (D, seq, prefix)
 *     └▶ onBatch: sign digest ── BatchSignature ──▶ every validator of D ──▶ onMessage:
 *        resend every resendNs until acknowledged        check signer, root, seq window
 *                                                        2f+1 matching ─▶ certificate ─▶ propose
 *                                                        (again every reproposeNs until applied)
 *   onMessage(BatchAck) ◀──────── BatchAck(through k) ── onApplied(S, next): D executed up to k
 *     f+1 acks ≥ k ─▶ Outbox.acknowledged(D, seq ≤ k)    (sent when the stream moves, and in
 *     (the node prunes its outbox, announces SETTLED)      answer to a batch it has already applied)
 * </pre>
 *
 * Why these thresholds: a certificate needs 2f+1 of the source so that at least f+1 honest
 * validators vouch for the batch, which they derived from their own committed history; an
 * acknowledgement needs f+1 of the destination so that at least one honest validator has seen
 * the batch applied in its shard's committed order. Neither threshold lets a Byzantine minority
 * of either shard forge a credit or hide a batch for good: a batch is sent again until f+1 of the
 * destination acknowledge it.
 *
 * <p>Bounds: per source, signatures are kept only for the next {@link RelayConfig#maxAheadBatches}
 * batches; per destination, at most {@link RelayConfig#maxSendsPerTick} batches go out per tick.
 * Bad input (undecodable bytes, a signer outside the committee, a wrong root or signature, a
 * foreign destination) is counted in {@link Counters} and dropped.
 */
public final class CrossShardRelay {
    /** What the relay asks of the validator around it. */
    public interface Outbox {
        /** Sends bytes to one validator of another shard; may drop (the relay retries). */
        void send(int shard, int validator, byte[] message);

        /** Puts a certified batch into this validator's mempool, as a system transaction. */
        void propose(byte[] certifiedMessage);

        /** f+1 validators of {@code destShard} say their shard applied batch {@code seq}. */
        void acknowledged(int destShard, long seq, byte[] prefix);
    }

    /** Signs a 32-byte digest with this validator's key. */
    @FunctionalInterface
    public interface Signer {
        byte[] sign(byte[] digest);
    }

    /** What the relay saw, for metrics; read from any thread (plain longs, monotonic). */
    public static final class Counters {
        public volatile long batchesSigned;
        public volatile long batchSends;
        public volatile long signaturesAccepted;
        public volatile long certificatesFormed;
        public volatile long proposals;
        public volatile long acksSent;
        public volatile long acksAccepted;
        public volatile long batchesAcknowledged;
        public volatile long malformed;
        public volatile long badSignatures;
        public volatile long staleBatches;
        public volatile long aheadDropped;
        public volatile long conflictingRoots;
    }

    /** "Long ago" for timers: far enough back that any delay has passed, near enough not to overflow. */
    private static final long NEVER = Long.MIN_VALUE / 4;
    private static final byte[] ACK_DOMAIN = "basalt/xshard-ack/v1".getBytes(StandardCharsets.US_ASCII);

    private final int networkId;
    private final int shard;
    private final int self;
    private final ShardCommittees committees;
    private final SignatureVerifier verifier;
    private final Signer signer;
    private final Outbox outbox;
    private final RelayConfig config;
    private final Counters counters = new Counters();
    private final BatchCodec codec = new BatchCodec();
    private final Sha256 sha = new Sha256();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BatchSignatureDecoder signatureDecoder = new BatchSignatureDecoder();
    private final BatchSignatureEncoder signatureEncoder = new BatchSignatureEncoder();
    private final BatchAckDecoder ackDecoder = new BatchAckDecoder();
    private final BatchAckEncoder ackEncoder = new BatchAckEncoder();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    // ---- source side, per destination shard
    private final TreeMap<Long, Outgoing>[] pending;
    private final long[][] ackedBy;
    private final long[] ackedThrough;

    // ---- destination side, per source shard
    private final long[] inboundNext;
    private final TreeMap<Long, Collecting>[] collecting;
    private final long[] ackSentThrough;
    private final long[] ackSentNs;

    private static final class Outgoing {
        final byte[] prefix;
        final byte[] message;
        long lastSentNs = NEVER;

        Outgoing(final byte[] prefix, final byte[] message) {
            this.prefix = prefix;
            this.message = message;
        }
    }

    /** Signatures gathered for one (source, seq), by payload root: an honest source has one root. */
    private static final class Collecting {
        final Map<String, Votes> byRoot = new TreeMap<>();
        byte[] certified;
        long proposedNs = NEVER;
    }

    private static final class Votes {
        final byte[] prefix;
        final TreeMap<Integer, byte[]> signatures = new TreeMap<>();
        long stake;

        Votes(final byte[] prefix) {
            this.prefix = prefix;
        }
    }

    @SuppressWarnings("unchecked")
    public CrossShardRelay(final int networkId, final int shard, final int self, final ShardCommittees committees,
                           final SignatureVerifier verifier, final Signer signer, final Outbox outbox,
                           final RelayConfig config) {
        if (shard < 0 || shard >= committees.shardCount() || self < 0 || self >= committees.size(shard)) {
            throw new IllegalArgumentException("validator " + shard + "/" + self + " is not in the committees");
        }
        this.networkId = networkId;
        this.shard = shard;
        this.self = self;
        this.committees = committees;
        this.verifier = verifier;
        this.signer = signer;
        this.outbox = outbox;
        this.config = config;
        final int shards = committees.shardCount();
        pending = new TreeMap[shards];
        collecting = new TreeMap[shards];
        ackedBy = new long[shards][];
        ackedThrough = new long[shards];
        inboundNext = new long[shards];
        ackSentThrough = new long[shards];
        ackSentNs = new long[shards];
        for (int s = 0; s < shards; s++) {
            pending[s] = new TreeMap<>();
            collecting[s] = new TreeMap<>();
            ackedBy[s] = new long[committees.size(s)];
            inboundNext[s] = 1;
            ackSentNs[s] = NEVER;
        }
    }

    public Counters counters() {
        return counters;
    }

    // ------------------------------------------------------------------------------- source side

    /** Execution cut a batch for {@code destShard} (or recovery found one still unacknowledged). */
    public void onBatch(final int destShard, final long seq, final byte[] prefix, final long nowNs) {
        if (seq <= ackedThrough[destShard]) {
            // Cut while this validator caught up, after the destination had acknowledged it.
            outbox.acknowledged(destShard, seq, prefix);
            return;
        }
        if (pending[destShard].containsKey(seq)) {
            return;
        }
        final byte[] digest = codec.statementDigest(networkId, prefix);
        final byte[] signature = signer.sign(digest);
        counters.batchesSigned++;
        final Outgoing out = new Outgoing(prefix, encodeSignature(prefix, signature));
        pending[destShard].put(seq, out);
        sendBatch(destShard, out, nowNs);
    }

    private void sendBatch(final int destShard, final Outgoing out, final long nowNs) {
        for (int v = 0; v < committees.size(destShard); v++) {
            outbox.send(destShard, v, out.message);
        }
        out.lastSentNs = nowNs;
        counters.batchSends++;
    }

    private void onAck(final int fromShard, final int fromValidator, final long nowNs) {
        if (ackDecoder.sourceShard() != shard || ackDecoder.destShard() != fromShard
            || ackDecoder.signer() != fromValidator || fromValidator >= committees.size(fromShard)) {
            counters.malformed++;
            return;
        }
        final long through = ackDecoder.appliedThrough();
        if (through <= ackedBy[fromShard][fromValidator]) {
            return; // nothing new from this validator; no need to check the signature again
        }
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ackDecoder.getSignature(signature, 0, signature.length);
        final byte[] digest = ackDigest(shard, fromShard, through);
        if (!verifier.verify(committees.publicKey(fromShard, fromValidator), digest, 0, digest.length, signature, 0)) {
            counters.badSignatures++;
            return;
        }
        counters.acksAccepted++;
        ackedBy[fromShard][fromValidator] = through;
        final long agreed = validityQuorumValue(fromShard);
        while (!pending[fromShard].isEmpty() && pending[fromShard].firstKey() <= agreed) {
            final Map.Entry<Long, Outgoing> done = pending[fromShard].pollFirstEntry();
            counters.batchesAcknowledged++;
            outbox.acknowledged(fromShard, done.getKey(), done.getValue().prefix);
        }
        ackedThrough[fromShard] = Math.max(ackedThrough[fromShard], agreed);
    }

    /** The highest value that validators of more than a third of the stake have acknowledged. */
    private long validityQuorumValue(final int destShard) {
        final Integer[] order = new Integer[committees.size(destShard)];
        for (int v = 0; v < order.length; v++) {
            order[v] = v;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ackedBy[destShard][b], ackedBy[destShard][a]));
        long stake = 0;
        for (final int v : order) {
            stake += committees.stake(destShard, v);
            if (stake >= committees.validityThreshold(destShard)) {
                return ackedBy[destShard][v];
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------------------- destination side

    /** This shard executed the stream from {@code sourceShard} up to {@code next - 1}. */
    public void onApplied(final int sourceShard, final long next, final long nowNs) {
        if (next <= inboundNext[sourceShard]) {
            return;
        }
        inboundNext[sourceShard] = next;
        collecting[sourceShard].headMap(next).clear();
        sendAck(sourceShard, nowNs);
    }

    private void onBatchSignature(final int fromShard, final int fromValidator, final long nowNs) {
        final int signerIndex = signatureDecoder.signer();
        if (signerIndex != fromValidator || fromValidator >= committees.size(fromShard)) {
            counters.malformed++;
            return;
        }
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        signatureDecoder.getSignature(signature, 0, signature.length);
        final byte[] prefix = new byte[signatureDecoder.prefixLength()];
        signatureDecoder.getPrefix(prefix, 0, prefix.length);
        if (!wellFormed(prefix, fromShard)) {
            counters.malformed++;
            return;
        }
        view.wrap(prefix);
        final long seq = BatchCodec.seq(view, 0);
        if (seq < inboundNext[fromShard]) {
            counters.staleBatches++;
            sendAck(fromShard, nowNs); // it keeps sending what we applied: tell it again
            return;
        }
        if (seq - inboundNext[fromShard] >= config.maxAheadBatches()) {
            counters.aheadDropped++;
            return;
        }
        final Collecting c = collecting[fromShard].computeIfAbsent(seq, s -> new Collecting());
        if (c.certified != null) {
            return;
        }
        if (!codec.rootMatches(view, 0, prefix.length)) {
            counters.malformed++;
            return;
        }
        final byte[] digest = codec.statementDigest(networkId, view, 0);
        if (!verifier.verify(committees.publicKey(fromShard, fromValidator), digest, 0, digest.length, signature, 0)) {
            counters.badSignatures++;
            return;
        }
        counters.signaturesAccepted++;
        final String root = java.util.HexFormat.of().formatHex(digest);
        if (!c.byRoot.isEmpty() && !c.byRoot.containsKey(root)) {
            counters.conflictingRoots++; // a Byzantine source validator signed another batch for this seq
        }
        final Votes votes = c.byRoot.computeIfAbsent(root, r -> new Votes(prefix));
        if (votes.signatures.putIfAbsent(fromValidator, signature) == null) {
            votes.stake += committees.stake(fromShard, fromValidator);
        }
        if (votes.stake >= committees.quorumThreshold(fromShard)) {
            c.certified = certify(votes);
            counters.certificatesFormed++;
            propose(fromShard, seq, c, nowNs);
        }
    }

    /** The prefix of a batch from {@code fromShard} to us that is a valid CertifiedMessage once signed. */
    private boolean wellFormed(final byte[] prefix, final int fromShard) {
        if (prefix.length < BatchCodec.STATEMENT_LENGTH || prefix.length > ProtocolLimits.MAX_CERTIFIED_BYTES) {
            return false;
        }
        final byte[] probe = BatchCodec.certify(prefix, new int[] {0}, new byte[][] {new byte[Layout.SIGNATURE_LENGTH]}, 1);
        view.wrap(probe);
        return MessageValidator.validate(view, 0, probe.length, Templates.CERTIFIED_MESSAGE).isOk()
            && BatchCodec.sourceShard(view, 0) == fromShard && BatchCodec.destShard(view, 0) == shard;
    }

    private static byte[] certify(final Votes votes) {
        final int[] signers = new int[votes.signatures.size()];
        final byte[][] signatures = new byte[signers.length][];
        int i = 0;
        for (final Map.Entry<Integer, byte[]> e : votes.signatures.entrySet()) {
            signers[i] = e.getKey();
            signatures[i++] = e.getValue();
        }
        return BatchCodec.certify(votes.prefix, signers, signatures, signers.length);
    }

    private void propose(final int sourceShard, final long seq, final Collecting c, final long nowNs) {
        // Only the next few batches of a stream can apply; later ones wait until their turn.
        if (seq - inboundNext[sourceShard] < config.maxSendsPerTick()) {
            outbox.propose(c.certified);
            c.proposedNs = nowNs;
            counters.proposals++;
        }
    }

    private void sendAck(final int sourceShard, final long nowNs) {
        final long through = inboundNext[sourceShard] - 1;
        if (through < 1) {
            return;
        }
        if (through == ackSentThrough[sourceShard] && nowNs - ackSentNs[sourceShard] < config.resendNs() / 2) {
            return; // answered this recently; a retrying source must not make us sign in a loop
        }
        final byte[] signature = signer.sign(ackDigest(sourceShard, shard, through));
        final byte[] message = new byte[Layout.MESSAGE_HEADER_LENGTH + BatchAckEncoder.BLOCK_LENGTH];
        ackEncoder.wrapAndApplyHeader(new UnsafeBuffer(message), 0, headerEncoder)
            .sourceShard(sourceShard).destShard(shard).appliedThrough(through).signer(self)
            .putSignature(signature, 0, signature.length);
        for (int v = 0; v < committees.size(sourceShard); v++) {
            outbox.send(sourceShard, v, message);
        }
        ackSentThrough[sourceShard] = through;
        ackSentNs[sourceShard] = nowNs;
        counters.acksSent++;
    }

    // ------------------------------------------------------------------------------- events

    /** A message from validator {@code fromValidator} of shard {@code fromShard} (the transport vouches for neither). */
    public void onMessage(final int fromShard, final int fromValidator, final byte[] message, final long nowNs) {
        if (fromShard < 0 || fromShard >= committees.shardCount() || fromShard == shard) {
            counters.malformed++;
            return;
        }
        view.wrap(message);
        if (!MessageValidator.validate(view, 0, message.length).isOk()) {
            counters.malformed++;
            return;
        }
        final int template = Templates.templateId(view, 0);
        if (template == Templates.BATCH_SIGNATURE) {
            signatureDecoder.wrapAndApplyHeader(view, 0, headerDecoder);
            onBatchSignature(fromShard, fromValidator, nowNs);
        } else if (template == Templates.BATCH_ACK) {
            ackDecoder.wrapAndApplyHeader(view, 0, headerDecoder);
            onAck(fromShard, fromValidator, nowNs);
        } else {
            counters.malformed++;
        }
    }

    /** Resends unacknowledged batches, proposes again certified ones not yet applied, repeats acks. */
    public void tick(final long nowNs) {
        for (int s = 0; s < committees.shardCount(); s++) {
            if (s == shard) {
                continue;
            }
            int sent = 0;
            for (final Iterator<Outgoing> it = pending[s].values().iterator(); it.hasNext() && sent < config.maxSendsPerTick(); ) {
                final Outgoing out = it.next();
                if (nowNs - out.lastSentNs >= config.resendNs()) {
                    sendBatch(s, out, nowNs);
                    sent++;
                }
            }
            for (final Map.Entry<Long, Collecting> e : collecting[s].entrySet()) {
                final Collecting c = e.getValue();
                if (c.certified != null && nowNs - c.proposedNs >= config.reproposeNs()) {
                    propose(s, e.getKey(), c, nowNs);
                }
                if (e.getKey() - inboundNext[s] >= config.maxSendsPerTick()) {
                    break;
                }
            }
            // Progress that a rate-limited answer left unannounced. A stable stream is not acknowledged
            // again on a timer: its source resends what it has not seen acknowledged, and a resent
            // batch is answered (onBatchSignature), so repeats cost only where an ack was lost.
            if (inboundNext[s] - 1 != ackSentThrough[s] && nowNs - ackSentNs[s] >= config.ackIntervalNs()) {
                sendAck(s, nowNs);
            }
        }
    }

    /** Batches signed but not yet acknowledged, over all destinations. */
    public int pendingBatches() {
        int n = 0;
        for (final TreeMap<Long, Outgoing> p : pending) {
            n += p.size();
        }
        return n;
    }

    // ------------------------------------------------------------------------------- encoding

    private byte[] encodeSignature(final byte[] prefix, final byte[] signature) {
        final byte[] message = new byte[Layout.MESSAGE_HEADER_LENGTH + BatchSignatureEncoder.BLOCK_LENGTH
            + Layout.TX_LENGTH_PREFIX + prefix.length];
        signatureEncoder.wrapAndApplyHeader(new UnsafeBuffer(message), 0, headerEncoder)
            .signer(self).putSignature(signature, 0, signature.length).putPrefix(prefix, 0, prefix.length);
        return message;
    }

    /** SHA-256("basalt/xshard-ack/v1" | networkId u32 | source u16 | dest u16 | appliedThrough u64), LE. */
    byte[] ackDigest(final int sourceShard, final int destShard, final long through) {
        final byte[] bytes = new byte[ACK_DOMAIN.length + 16];
        System.arraycopy(ACK_DOMAIN, 0, bytes, 0, ACK_DOMAIN.length);
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        int p = ACK_DOMAIN.length;
        b.putInt(p, networkId, java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort(p + 4, (short) sourceShard, java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort(p + 6, (short) destShard, java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(p + 8, through, java.nio.ByteOrder.LITTLE_ENDIAN);
        final byte[] digest = new byte[32];
        sha.digest(bytes, 0, bytes.length, digest, 0);
        return digest;
    }
}
