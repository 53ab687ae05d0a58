package io.basalt.node.runtime;

import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import io.basalt.exec.HeightEffects;
import io.basalt.exec.HeightExecutor;
import io.basalt.exec.MemoryState;
import io.basalt.exec.TxView;
import io.basalt.node.config.Genesis;
import io.basalt.node.exec.ExecutionListener;
import io.basalt.node.exec.Ledger;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test stand-in for the Chronicle ledger: the real execution rules ({@link HeightExecutor}) over
 * an in-memory {@link MemoryState}, one lock, no files. Certificates are never valid here (no
 * cross-shard traffic in the tests that use it), so the rules are exactly the node's otherwise.
 */
final class MemoryLedger implements Ledger {
    private final Genesis genesis;
    private final MemoryState state;
    private final HeightExecutor executor;
    private final TxView view = new TxView();
    private final Map<ByteBuffer, TxRecord> executed = new HashMap<>();
    private final Map<ByteBuffer, TxRecord> settled = new HashMap<>();
    private final Map<Long, String> digestByHeight = new HashMap<>();

    MemoryLedger(final Genesis genesis, final int shardId) {
        this.genesis = genesis;
        this.state = new MemoryState(genesis.execConfig(shardId), genesis.execAllocations(), genesis.genesisTimeMs());
        this.executor = new HeightExecutor(genesis.execConfig(shardId), genesis.shardCommittees(),
            (key, message, offset, length, signature, signatureOffset) -> false);
        digestByHeight.put(0L, HexFormat.of().formatHex(state.digest()));
    }

    @Override
    public synchronized void apply(final CommittedSubDag subDag, final ExecutionListener listener) {
        if (subDag.height() != state.height() + 1) {
            throw new IllegalStateException("height " + subDag.height() + " after " + state.height());
        }
        final long now = Math.max(state.consensusTimeMs(), subDag.consensusTimeMs());
        executor.begin(state, subDag.height(), now);
        for (final Block block : subDag.blocks()) {
            final UnsafeBuffer buffer = new UnsafeBuffer(block.encoded());
            for (int i = 0; i < block.transactionCount(); i++) {
                executor.execute(buffer, block.transactionOffset(i), block.transactionLength(i));
            }
        }
        final HeightEffects e = executor.finish();
        state.commit(e);
        digestByHeight.put(e.height, HexFormat.of().formatHex(state.digest()));
        for (final HeightEffects.Outcome o : e.results) {
            if (o.result() != ExecResult.DUPLICATE) {
                executed.putIfAbsent(ByteBuffer.wrap(o.txId()), new TxRecord(o.result(), e.height, e.consensusTimeMs));
            }
            listener.onExecuted(o.txId(), 0, o.result(), e.height, e.consensusTimeMs);
        }
        for (final HeightEffects.Outcome o : e.settled) {
            settled.put(ByteBuffer.wrap(o.txId()), new TxRecord(o.result(), e.height, e.consensusTimeMs));
            listener.onSettled(o.txId(), o.result(), e.height, e.consensusTimeMs);
        }
        listener.onHeight(e.height, state.digest(), e.consensusTimeMs);
    }

    synchronized String digestAt(final long h) {
        return digestByHeight.get(h);
    }

    @Override
    public synchronized long appliedHeight() {
        return state.height();
    }

    @Override
    public synchronized byte[] stateDigest() {
        return state.digest();
    }

    @Override
    public synchronized long consensusTimeMs() {
        return state.consensusTimeMs();
    }

    @Override
    public synchronized Map<Integer, Long> balances(final byte[] account) {
        final Map<Integer, Long> out = new TreeMap<>();
        for (final int asset : state.assets().keySet()) {
            final long balance = state.balance(account, asset);
            if (balance != 0) {
                out.put(asset, balance);
            }
        }
        return out;
    }

    @Override
    public synchronized RejectCode precheck(final byte[] tx, final int offset, final int length) {
        if (!view.wrap(new UnsafeBuffer(tx), offset, length)) {
            return RejectCode.MALFORMED;
        }
        return HeightExecutor.precheck(state.config(), view, state, state.consensusTimeMs()).rejectCode();
    }

    @Override
    public synchronized RejectCode precheck(final io.basalt.exec.TxView tx) {
        return HeightExecutor.precheck(state.config(), tx, state, state.consensusTimeMs()).rejectCode();
    }

    @Override
    public synchronized TxRecord executed(final byte[] txId) {
        return executed.get(ByteBuffer.wrap(txId));
    }

    @Override
    public synchronized TxRecord settled(final byte[] txId) {
        return settled.get(ByteBuffer.wrap(txId));
    }

    @Override
    public synchronized boolean transferSettled(final byte[] txId) {
        return false; // no cross-shard traffic in the tests that use this ledger
    }

    @Override
    public synchronized boolean transferSent(final byte[] txId) {
        return false;
    }

    @Override
    public synchronized long inboundNext(final int sourceShard) {
        return state.inboundNext(sourceShard);
    }

    @Override
    public synchronized long outboundNext(final int destShard) {
        return state.outboundNext(destShard);
    }

    @Override
    public synchronized SortedMap<Long, byte[]> outbox(final int destShard, final long fromSeq, final int max) {
        final SortedMap<Long, byte[]> out = new TreeMap<>();
        for (final Map.Entry<Long, byte[]> e : state.outbox(destShard, fromSeq).entrySet()) {
            if (out.size() == max) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Override
    public synchronized void pruneOutbox(final int destShard, final long throughSeq) {
        state.pruneOutbox(destShard, throughSeq);
    }

    @Override
    public void close() {
    }
}
