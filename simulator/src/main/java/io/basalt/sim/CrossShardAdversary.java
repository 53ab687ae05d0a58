package io.basalt.sim;

import io.basalt.crypto.Sha256;
import io.basalt.exec.MemoryState;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.BatchAckEncoder;
import io.basalt.protocol.sbe.BatchSignatureDecoder;
import io.basalt.protocol.sbe.BatchSignatureEncoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.xshard.BatchCodec;
import io.basalt.xshard.ShardCommittees;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Byzantine side of the cross-shard relays ({@link CrossBehaviour}). It sits between a
 * validator's relay and the world: it rewrites what the relay sends, watches what the relay
 * receives, and on the relay's tick proposes forgeries into the validator's own blocks.
 *
 * <pre>
 *   relay.send ──▶ outgoing():  WITHHOLD drops; CONFLICT/COLLUDE add a signed conflicting prefix
 *   network   ──▶ observe():   FORGE/COLLUDE gather the signatures they see, by (source, seq, root);
                               COLLUDE proposes what it gathered at once
 *   relay.propose ─▶ proposed(): REPLAY remembers certified batches
 *   relay tick ──▶ act():       FORGE: under-signed, foreign-signed, repeated-signer or invented
 *                                      certificates; acks for batches never applied
 * *                               REPLAY: an old certified batch, proposed again
 * </pre>
 *
 * The conflicting prefix is a function of the real one (first receipt inflated, or a receipt
 * invented when there is none), so colluders sign the same conflicting root.
 */
final class CrossShardAdversary {
    static final long INFLATION = 1_000_000;
    /** Prefixes a forger remembers, and certified batches a replayer remembers. */
    static final int MEMORY = 64;
    /** A false acknowledgement claims this many batches beyond what the shard applied. */
    static final long FALSE_ACK_LEAD = 1_000;
    /** Chance that a Byzantine validator acts on one relay tick. */
    static final double ACT_PROBABILITY = 0.3;
    private static final byte[] ACK_DOMAIN = "basalt/xshard-ack/v1".getBytes(StandardCharsets.US_ASCII);

    /** Where an adversary's actions go: its own validator's mempool, and the cross-shard network. */
    interface Actions {
        void propose(byte[] transaction);

        void send(int shard, int validator, byte[] message);
    }

    /** Counts of what the adversaries did, over the run. */
    static final class Tally {
        long conflictingSignatures;
        long withheld;
        long forgeries;
        long falseAcks;
        long replays;
    }

    /** Signatures one forger saw for one (source, seq, root). */
    private static final class Gathered {
        final int source;
        final byte[] prefix;
        final TreeMap<Integer, byte[]> signatures = new TreeMap<>();
        int proposedWith;

        Gathered(final int source, final byte[] prefix) {
            this.source = source;
            this.prefix = prefix;
        }
    }

    /** One Byzantine validator's memory. */
    private static final class Agent {
        final int shard;
        final int validator;
        final int global;
        final CrossBehaviour behaviour;
        final LinkedHashMap<String, Gathered> gathered = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Gathered> eldest) {
                return size() > MEMORY;
            }
        };
        final List<byte[]> certified = new ArrayList<>();
        int nextCertified;

        Agent(final int shard, final int validator, final int global, final CrossBehaviour behaviour) {
            this.shard = shard;
            this.validator = validator;
            this.global = global;
            this.behaviour = behaviour;
        }
    }

    private final int validatorsPerShard;
    private final SimCrypto crypto;
    private final ShardCommittees committees;
    private final Workload workload;
    private final SplittableRandom random;
    private final Map<Integer, Agent> agents = new TreeMap<>();
    private final Tally tally = new Tally();
    private final BatchCodec codec = new BatchCodec();
    private final Sha256 sha = new Sha256();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BatchSignatureDecoder signatureDecoder = new BatchSignatureDecoder();
    private final CertifiedMessageDecoder certifiedDecoder = new CertifiedMessageDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    CrossShardAdversary(final Scenario scenario, final SimCrypto crypto, final ShardCommittees committees,
                        final Workload workload, final SplittableRandom random) {
        this.validatorsPerShard = scenario.validators();
        this.crypto = crypto;
        this.committees = committees;
        this.workload = workload;
        this.random = random;
        for (int s = 0; s < scenario.shards(); s++) {
            for (int v = 0; v < scenario.validators(); v++) {
                final CrossBehaviour b = scenario.crossBehaviour(s, v);
                if (b != CrossBehaviour.HONEST) {
                    agents.put(s * validatorsPerShard + v, new Agent(s, v, s * validatorsPerShard + v, b));
                }
            }
        }
    }

    Tally tally() {
        return tally;
    }

    boolean isByzantine(final int global) {
        return agents.containsKey(global);
    }

    // ------------------------------------------------------------------------------- the relay's sends

    /** What the relay of validator {@code global} actually puts on the wire when it sends {@code message}. */
    List<byte[]> outgoing(final int global, final byte[] message) {
        final Agent agent = agents.get(global);
        if (agent == null) {
            return List.of(message);
        }
        return switch (agent.behaviour) {
            case WITHHOLD -> {
                tally.withheld++;
                yield List.of();
            }
            case CONFLICT, COLLUDE -> withConflict(agent, message);
            default -> List.of(message);
        };
    }

    private List<byte[]> withConflict(final Agent agent, final byte[] message) {
        final byte[] prefix = batchSignaturePrefix(message);
        if (prefix == null) {
            return List.of(message);
        }
        final byte[] conflicting = conflictingPrefix(prefix);
        final byte[] signature = crypto.signDigest(agent.global, codec.statementDigest(SimCrypto.NETWORK_ID, conflicting));
        tally.conflictingSignatures++;
        return List.of(encodeSignature(agent.validator, signature, conflicting), message);
    }

    /** The real batch with its first receipt inflated, or with an invented receipt when it has none. */
    byte[] conflictingPrefix(final byte[] prefix) {
        final byte[] probe = BatchCodec.certify(prefix, new int[] {0}, new byte[][] {new byte[Layout.SIGNATURE_LENGTH]}, 1);
        certifiedDecoder.wrapAndApplyHeader(new UnsafeBuffer(probe), 0, headerDecoder);
        final int source = certifiedDecoder.sourceShard();
        final int dest = certifiedDecoder.destShard();
        final long seq = certifiedDecoder.seq();
        final long time = certifiedDecoder.sourceTimeMs();
        final List<BatchCodec.Receipt> receipts = new ArrayList<>();
        for (final CertifiedMessageDecoder.ReceiptsDecoder r : certifiedDecoder.receipts()) {
            final byte[] txId = new byte[32];
            final byte[] to = new byte[32];
            r.getTxId(txId, 0, 32);
            r.getTo(to, 0, 32);
            receipts.add(new BatchCodec.Receipt(txId, to, (int) r.assetId(), r.amount()));
        }
        final List<BatchCodec.Vote> votes = new ArrayList<>();
        for (final CertifiedMessageDecoder.VotesDecoder v : certifiedDecoder.votes()) {
            final byte[] swapId = new byte[32];
            v.getSwapId(swapId, 0, 32);
            final byte[] swap = new byte[v.swapLength()];
            v.getSwap(swap, 0, swap.length);
            votes.add(new BatchCodec.Vote(swapId, v.vote(), swap));
        }
        if (receipts.isEmpty()) {
            final byte[] txId = new byte[32];
            sha.digest(prefix, 0, prefix.length, txId, 0);
            receipts.add(new BatchCodec.Receipt(txId, workload.fundedAccount(dest, (int) seq), 0, INFLATION));
        } else {
            final BatchCodec.Receipt first = receipts.get(0);
            receipts.set(0, new BatchCodec.Receipt(first.txId(), first.to(), first.assetId(), first.amount() + INFLATION));
        }
        return codec.encodePrefix(source, dest, seq, time, receipts, votes);
    }

    // ------------------------------------------------------------------------------- what the relay sees

    /**
     * A message arrived for validator {@code global}; forgers remember the batch signatures in it,
     * and a colluder proposes its under-signed certificate at once, to race the honest one.
     */
    void observe(final int global, final int fromShard, final int fromValidator, final byte[] message,
                 final Actions actions) {
        final Agent agent = agents.get(global);
        if (agent == null || agent.behaviour != CrossBehaviour.FORGE && agent.behaviour != CrossBehaviour.COLLUDE) {
            return;
        }
        final byte[] prefix = batchSignaturePrefix(message);
        if (prefix == null || signatureDecoder.signer() != fromValidator) {
            return;
        }
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        signatureDecoder.getSignature(signature, 0, signature.length);
        view.wrap(prefix);
        final byte[] root = new byte[32];
        BatchCodec.payloadRoot(view, 0, root);
        final String key = fromShard + "/" + BatchCodec.seq(view, 0) + "/" + Workload.hex(root);
        agent.gathered.computeIfAbsent(key, k -> new Gathered(fromShard, prefix)).signatures.put(fromValidator, signature);
        if (agent.behaviour == CrossBehaviour.COLLUDE) {
            proposeGathered(agent, actions, Integer.MAX_VALUE);
        }
    }

    /** The relay of validator {@code global} proposed a certified batch; replayers keep it for later. */
    void proposed(final int global, final byte[] certified) {
        final Agent agent = agents.get(global);
        if (agent == null || agent.behaviour != CrossBehaviour.REPLAY) {
            return;
        }
        if (agent.certified.size() < MEMORY) {
            agent.certified.add(certified);
        } else {
            agent.certified.set(agent.nextCertified, certified);
            agent.nextCertified = (agent.nextCertified + 1) % MEMORY;
        }
    }

    // ------------------------------------------------------------------------------- on the relay's tick

    /** What Byzantine validator {@code global} does on one tick of its relay. */
    void act(final int global, final MemoryState state, final Actions actions) {
        final Agent agent = agents.get(global);
        if (agent == null || random.nextDouble() >= ACT_PROBABILITY) {
            return;
        }
        switch (agent.behaviour) {
            case FORGE -> forge(agent, state, actions);
            case REPLAY -> replay(agent, actions);
            default -> {
            }
        }
    }

    private void forge(final Agent agent, final MemoryState state, final Actions actions) {
        switch (random.nextInt(5)) {
            case 0 -> proposeGathered(agent, actions, -1);
            case 1 -> forgeWithOwnKey(agent, actions, pickGathered(agent));
            case 2 -> forgeRepeatedSigners(agent, actions, pickGathered(agent));
            case 3 -> forgeWithOwnKey(agent, actions, inventedPrefix(agent, state));
            default -> falseAcks(agent, state, actions);
        }
    }

    /**
     * One certificate from gathered signatures that does not reach a quorum, for a root whose count
     * grew since its last one: with {@code cap} -1 (FORGE) at most 2f signatures of any root, else
     * (COLLUDE) all signatures of a root that has fewer than 2f+1, the conflicting ones.
     */
    private void proposeGathered(final Agent agent, final Actions actions, final int cap) {
        for (final Gathered g : agent.gathered.values()) {
            final int quorum = (int) committees.quorumThreshold(g.source);
            final int limit = cap < 0 ? quorum - 1 : g.signatures.size() < quorum ? cap : 0;
            final int count = Math.min(g.signatures.size(), limit);
            if (count > g.proposedWith) {
                g.proposedWith = count;
                final int[] signers = new int[count];
                final byte[][] signatures = new byte[count][];
                int i = 0;
                for (final Map.Entry<Integer, byte[]> e : g.signatures.entrySet()) {
                    if (i == count) {
                        break;
                    }
                    signers[i] = e.getKey();
                    signatures[i++] = e.getValue();
                }
                tally.forgeries++;
                actions.propose(BatchCodec.certify(g.prefix, signers, signatures, count));
                return;
            }
        }
    }

    private Gathered pickGathered(final Agent agent) {
        if (agent.gathered.isEmpty()) {
            return null;
        }
        int skip = random.nextInt(agent.gathered.size());
        for (final Gathered g : agent.gathered.values()) {
            if (skip-- == 0) {
                return g;
            }
        }
        return null;
    }

    /** A quorum of signer slots, every signature made with the forger's own key (a member of another shard). */
    private void forgeWithOwnKey(final Agent agent, final Actions actions, final Gathered g) {
        if (g == null) {
            return;
        }
        final int quorum = (int) committees.quorumThreshold(g.source);
        final byte[] signature = crypto.signDigest(agent.global, codec.statementDigest(SimCrypto.NETWORK_ID, g.prefix));
        final int[] signers = new int[quorum];
        final byte[][] signatures = new byte[quorum][];
        for (int i = 0; i < quorum; i++) {
            signers[i] = i;
            signatures[i] = signature;
        }
        tally.forgeries++;
        actions.propose(BatchCodec.certify(g.prefix, signers, signatures, quorum));
    }

    /** Real signatures, each listed twice: the wire format forbids it, so no honest block can carry it. */
    private void forgeRepeatedSigners(final Agent agent, final Actions actions, final Gathered g) {
        if (g == null || g.signatures.isEmpty()) {
            return;
        }
        final int entry = Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH;
        final int count = 2 * g.signatures.size();
        final byte[] out = new byte[g.prefix.length + Layout.GROUP_HEADER_LENGTH + count * entry];
        System.arraycopy(g.prefix, 0, out, 0, g.prefix.length);
        final UnsafeBuffer b = new UnsafeBuffer(out);
        int p = g.prefix.length;
        b.putShort(p, (short) entry, ByteOrder.LITTLE_ENDIAN);
        b.putShort(p + 2, (short) count, ByteOrder.LITTLE_ENDIAN);
        p += Layout.GROUP_HEADER_LENGTH;
        for (final Map.Entry<Integer, byte[]> e : g.signatures.entrySet()) {
            for (int twice = 0; twice < 2; twice++, p += entry) {
                b.putShort(p, (short) (int) e.getKey(), ByteOrder.LITTLE_ENDIAN);
                b.putBytes(p + 2, e.getValue(), 0, Layout.SIGNATURE_LENGTH);
            }
        }
        tally.forgeries++;
        actions.propose(out);
    }

    /** A batch nobody cut: the next seq of a random source's stream, crediting an account of the forger's shard. */
    private Gathered inventedPrefix(final Agent agent, final MemoryState state) {
        final int source = (agent.shard + 1 + random.nextInt(committees.shardCount() - 1)) % committees.shardCount();
        final byte[] txId = new byte[32];
        for (int i = 0; i < 32; i++) {
            txId[i] = (byte) random.nextInt(256);
        }
        final byte[] prefix = codec.encodePrefix(source, agent.shard, state.inboundNext(source), state.consensusTimeMs(),
            List.of(new BatchCodec.Receipt(txId, workload.fundedAccount(agent.shard, agent.validator), 0, INFLATION)),
            List.of());
        return new Gathered(source, prefix);
    }

    /** Acks, validly signed by the forger, for far more of each stream than its shard applied. */
    private void falseAcks(final Agent agent, final MemoryState state, final Actions actions) {
        for (int source = 0; source < committees.shardCount(); source++) {
            if (source == agent.shard) {
                continue;
            }
            final long through = state.inboundNext(source) - 1 + FALSE_ACK_LEAD;
            final byte[] signature = crypto.signDigest(agent.global, ackDigest(source, agent.shard, through));
            final byte[] message = new byte[Layout.MESSAGE_HEADER_LENGTH + BatchAckEncoder.BLOCK_LENGTH];
            new BatchAckEncoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, headerEncoder)
                .sourceShard(source).destShard(agent.shard).appliedThrough(through).signer(agent.validator)
                .putSignature(signature, 0, signature.length);
            for (int v = 0; v < committees.size(source); v++) {
                actions.send(source, v, message);
            }
            tally.falseAcks++;
        }
    }

    private void replay(final Agent agent, final Actions actions) {
        if (!agent.certified.isEmpty()) {
            tally.replays++;
            actions.propose(agent.certified.get(random.nextInt(agent.certified.size())));
        }
    }

    // ------------------------------------------------------------------------------- encoding

    /** The prefix of a well-formed BatchSignature (the decoder left on it), or null for anything else. */
    private byte[] batchSignaturePrefix(final byte[] message) {
        view.wrap(message);
        if (!MessageValidator.validate(view, 0, message.length).isOk()
            || Templates.templateId(view, 0) != Templates.BATCH_SIGNATURE) {
            return null;
        }
        signatureDecoder.wrapAndApplyHeader(view, 0, headerDecoder);
        final byte[] prefix = new byte[signatureDecoder.prefixLength()];
        signatureDecoder.getPrefix(prefix, 0, prefix.length);
        return prefix.length >= BatchCodec.STATEMENT_LENGTH ? prefix : null;
    }

    private byte[] encodeSignature(final int signer, final byte[] signature, final byte[] prefix) {
        final byte[] message = new byte[Layout.MESSAGE_HEADER_LENGTH + BatchSignatureEncoder.BLOCK_LENGTH
            + Layout.TX_LENGTH_PREFIX + prefix.length];
        new BatchSignatureEncoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, headerEncoder)
            .signer(signer).putSignature(signature, 0, signature.length).putPrefix(prefix, 0, prefix.length);
        return message;
    }

    /**
     * The digest a BatchAck signs, as the relay's javadoc lays it out: SHA-256("basalt/xshard-ack/v1"
     * | networkId u32 | source u16 | dest u16 | appliedThrough u64), little-endian.
     */
    static byte[] ackDigest(final int sourceShard, final int destShard, final long through) {
        final byte[] bytes = new byte[ACK_DOMAIN.length + 16];
        System.arraycopy(ACK_DOMAIN, 0, bytes, 0, ACK_DOMAIN.length);
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        final int p = ACK_DOMAIN.length;
        b.putInt(p, SimCrypto.NETWORK_ID, ByteOrder.LITTLE_ENDIAN);
        b.putShort(p + 4, (short) sourceShard, ByteOrder.LITTLE_ENDIAN);
        b.putShort(p + 6, (short) destShard, ByteOrder.LITTLE_ENDIAN);
        b.putLong(p + 8, through, ByteOrder.LITTLE_ENDIAN);
        final byte[] digest = new byte[32];
        new Sha256().digest(bytes, 0, bytes.length, digest, 0);
        return digest;
    }
}
