package io.basalt.sim;

import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import io.basalt.exec.Allocation;
import io.basalt.exec.EffectsCodec;
import io.basalt.exec.ExecConfig;
import io.basalt.exec.HeightEffects;
import io.basalt.exec.HeightExecutor;
import io.basalt.exec.MemoryState;
import io.basalt.exec.StateView;
import io.basalt.exec.SwapRecord;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.xshard.BatchCodec;
import io.basalt.xshard.ShardCommittees;
import io.basalt.xshard.SignatureVerifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One validator's execution: its {@link MemoryState} (which survives crashes: it is the disk) and
 * the real {@link HeightExecutor}. Every committed sub-DAG is executed in the order consensus
 * emits it, transaction by transaction in block order, exactly as the node's execution stage does.
 *
 * <p>A {@link WrongRule} is imposed here, from outside the executor, by altering what it is fed:
 * a certificate topped up to a quorum, or a state that pretends a replayed batch is the next one.
 */
final class NodeLedger {
    /** What one height did here: the effects, each transaction's result in execution order, the state digest. */
    record Height(HeightEffects effects, ExecResult[] results, byte[] digest) {
    }

    private final int shard;
    private final int validatorsPerShard;
    private final MemoryState state;
    private final HeightExecutor executor;
    private final WrongRule wrongRule;
    private final SeqBlindView blindView;
    private final ShardCommittees committees;
    private final SignatureVerifier verifier;
    private final SimCrypto crypto;
    private final BatchCodec codec = new BatchCodec();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    NodeLedger(final int shard, final Scenario scenario, final List<Allocation> genesis,
               final ShardCommittees committees, final SimCrypto crypto) {
        final ExecConfig config = new ExecConfig(shard, scenario.shards(), SimCrypto.NETWORK_ID, Workload.FEE);
        this.shard = shard;
        this.validatorsPerShard = scenario.validators();
        this.state = new MemoryState(config, genesis, 0);
        this.verifier = crypto.crossShardVerifier();
        this.executor = new HeightExecutor(config, committees, verifier);
        this.wrongRule = scenario.wrongRule();
        this.blindView = wrongRule == WrongRule.SEQ_BLIND ? new SeqBlindView(state) : null;
        this.committees = committees;
        this.crypto = crypto;
    }

    MemoryState state() {
        return state;
    }

    long height() {
        return state.height();
    }

    /** Executes one committed sub-DAG and applies its effects; the height must be the next one. */
    Height apply(final CommittedSubDag subDag) {
        executor.begin(blindView != null ? blindView : state, subDag.height(), subDag.consensusTimeMs());
        final ExecResult[] results = new ExecResult[subDag.transactionCount()];
        int i = 0;
        for (final Block block : subDag.blocks()) {
            view.wrap(block.encoded());
            for (int t = 0; t < block.transactionCount(); t++) {
                results[i++] = execute(view, block.transactionOffset(t), block.transactionLength(t));
            }
        }
        final HeightEffects effects = executor.finish();
        final byte[] record = state.commit(effects);
        return new Height(effects, results, EffectsCodec.digestOf(record, record.length));
    }

    private ExecResult execute(final DirectBuffer buffer, final int offset, final int length) {
        if (wrongRule == WrongRule.NONE || Templates.templateId(buffer, offset) != Templates.CERTIFIED_MESSAGE) {
            return executor.execute(buffer, offset, length);
        }
        if (wrongRule == WrongRule.LENIENT_CERTIFICATES) {
            final byte[] toppedUp = topUp(buffer, offset, length);
            if (toppedUp != null) {
                return executor.execute(new UnsafeBuffer(toppedUp), 0, toppedUp.length);
            }
            return executor.execute(buffer, offset, length);
        }
        pretendNext(buffer, offset);
        try {
            return executor.execute(buffer, offset, length);
        } finally {
            blindView.forget();
        }
    }

    // ------------------------------------------------------------------------------- WrongRule.SEQ_BLIND

    /** A batch already applied (seq below the stream's next) is shown to the executor as the next one. */
    private void pretendNext(final DirectBuffer buffer, final int offset) {
        final int source = BatchCodec.sourceShard(buffer, offset);
        final long seq = BatchCodec.seq(buffer, offset);
        if (BatchCodec.destShard(buffer, offset) == shard && source != shard && source < committees.shardCount()
            && seq >= 1 && seq < state.inboundNext(source)) {
            blindView.pretend(source, seq);
        }
    }

    /** The committed state, except that one source's next expected seq is what {@link #pretend} says. */
    private static final class SeqBlindView implements StateView {
        private final MemoryState state;
        private int source = -1;
        private long next;

        SeqBlindView(final MemoryState state) {
            this.state = state;
        }

        void pretend(final int sourceShard, final long seq) {
            source = sourceShard;
            next = seq;
        }

        void forget() {
            source = -1;
        }

        @Override
        public long inboundNext(final int sourceShard) {
            return sourceShard == source ? next : state.inboundNext(sourceShard);
        }

        @Override
        public long balance(final byte[] account, final int assetId) {
            return state.balance(account, assetId);
        }

        @Override
        public long assetSupply(final int assetId) {
            return state.assetSupply(assetId);
        }

        @Override
        public long assetEscrowed(final int assetId) {
            return state.assetEscrowed(assetId);
        }

        @Override
        public byte[] assetIssuer(final int assetId) {
            return state.assetIssuer(assetId);
        }

        @Override
        public long replayExpiry(final byte[] txId) {
            return state.replayExpiry(txId);
        }

        @Override
        public long outboundNext(final int destShard) {
            return state.outboundNext(destShard);
        }

        @Override
        public SwapRecord swap(final byte[] swapId) {
            return state.swap(swapId);
        }
    }

    // ------------------------------------------------------------------------------- WrongRule.LENIENT_CERTIFICATES

    /**
     * A certified message whose valid signatures from the source committee reach f+1 but not 2f+1,
     * rewritten with the missing members' signatures added: to the executor's (right) check it then
     * looks like a quorum. Null when the message is not such a certificate.
     */
    private byte[] topUp(final DirectBuffer buffer, final int offset, final int length) {
        final int source = BatchCodec.sourceShard(buffer, offset);
        if (source >= committees.shardCount() || source == shard) {
            return null;
        }
        final byte[] digest = codec.statementDigest(SimCrypto.NETWORK_ID, buffer, offset);
        final Map<Integer, byte[]> valid = validSignatures(buffer, offset, length, source, digest);
        final long quorum = committees.quorumThreshold(source);
        if (valid.size() < committees.validityThreshold(source) || valid.size() >= quorum) {
            return null;
        }
        for (int v = 0; v < committees.size(source) && valid.size() < quorum; v++) {
            valid.computeIfAbsent(v, member -> crypto.signDigest(source * validatorsPerShard + member, digest));
        }
        final int prefixLength = SignedRegion.signedLength(buffer, offset, length);
        final byte[] prefix = new byte[prefixLength];
        buffer.getBytes(offset, prefix);
        final int[] signers = new int[valid.size()];
        final byte[][] signatures = new byte[valid.size()][];
        int i = 0;
        for (final Map.Entry<Integer, byte[]> e : valid.entrySet()) {
            signers[i] = e.getKey();
            signatures[i++] = e.getValue();
        }
        return BatchCodec.certify(prefix, signers, signatures, signers.length);
    }

    private Map<Integer, byte[]> validSignatures(final DirectBuffer buffer, final int offset, final int length,
                                                 final int source, final byte[] digest) {
        final Map<Integer, byte[]> valid = new TreeMap<>();
        for (int i = 0; i < SignedRegion.signatureCount(buffer, offset, length); i++) {
            final int signer = SignedRegion.certifiedSigner(buffer, offset, length, i);
            final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
            buffer.getBytes(SignedRegion.signatureOffset(buffer, offset, length, i), signature, 0, signature.length);
            if (signer < committees.size(source)
                && verifier.verify(committees.publicKey(source, signer), digest, 0, digest.length, signature, 0)) {
                valid.put(signer, signature);
            }
        }
        return valid;
    }

    @Override
    public String toString() {
        return "ledger of shard " + shard + " at height " + state.height() + " digest "
            + Arrays.toString(Arrays.copyOf(state.digest(), 4));
    }
}
