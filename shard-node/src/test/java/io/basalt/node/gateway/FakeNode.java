package io.basalt.node.gateway;

import io.basalt.crypto.Sha256;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.FinalityListener;
import io.basalt.node.api.NodeApi;
import io.basalt.node.api.NodeStatus;
import io.basalt.node.metrics.ValidatorRegistry;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.protocol.TxState;
import io.basalt.node.api.TxStatus;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A test double of a validator: records submissions, answers from tables the test fills, and emits
 * finality events when the test says so (or at once, with {@link #autoCommit}). Test code only.
 */
final class FakeNode implements NodeApi {
    static final int NETWORK_ID = 7;
    static final int SHARD_COUNT = 1;

    final List<byte[]> submitted = new CopyOnWriteArrayList<>();
    final Map<ByteBuffer, TxStatus> statuses = new ConcurrentHashMap<>();
    final Map<ByteBuffer, Map<Integer, Long>> balances = new ConcurrentHashMap<>();
    final List<FinalityListener> listeners = new CopyOnWriteArrayList<>();
    volatile RejectCode nextReject;
    volatile boolean ready = true;
    volatile boolean autoCommit;
    volatile boolean failing;
    /** Refusals leave the id out, as a node may for codes decided before it hashed the bytes. */
    volatile boolean omitIdOnReject;
    /** While set, every submit waits on it: a node so slow that submissions hold the gateway's workers. */
    volatile java.util.concurrent.CountDownLatch submitGate;
    final java.util.concurrent.atomic.AtomicInteger waitingSubmits = new java.util.concurrent.atomic.AtomicInteger();
    volatile long consensusTimeMs = 1_700_000_000_000L;
    /** A node's own registry, labelled like {@link #status()}: shard 0, validator 2. */
    final ValidatorRegistry metrics = new ValidatorRegistry(0, 2);

    FakeNode() {
        metrics.gauge("basalt_node_height", "Committed height.", () -> 42);
    }

    static byte[] txId(final byte[] tx) {
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final byte[] id = new byte[32];
        new Sha256().digest(tx, 0, SignedRegion.signedLength(buffer, 0, tx.length), id, 0);
        return id;
    }

    @Override
    public SubmitResult submit(final byte[] transaction) {
        if (failing) {
            throw new IllegalStateException("node exploded");
        }
        final java.util.concurrent.CountDownLatch gate = submitGate;
        if (gate != null) {
            waitingSubmits.incrementAndGet();
            try {
                gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waitingSubmits.decrementAndGet();
            }
        }
        if (!MessageValidator.validateUserTransaction(new UnsafeBuffer(transaction), 0, transaction.length).isOk()) {
            return new SubmitResult(null, RejectCode.MALFORMED);
        }
        final byte[] id = txId(transaction);
        if (nextReject != null) {
            return new SubmitResult(omitIdOnReject ? new byte[0] : id, nextReject);
        }
        if (statuses.containsKey(ByteBuffer.wrap(id))) {
            return new SubmitResult(id, RejectCode.DUPLICATE);
        }
        submitted.add(transaction);
        statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0));
        emit(new FinalityEvent(id, TxState.ACCEPTED, 0, 0, consensusTimeMs));
        if (autoCommit) {
            commit(id, 0);
        }
        return new SubmitResult(id, RejectCode.NONE);
    }

    void commit(final byte[] id, final int result) {
        statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.COMMITTED, result, RejectCode.NONE, 5, consensusTimeMs));
        emit(new FinalityEvent(id, TxState.COMMITTED, result, 5, consensusTimeMs));
    }

    void emit(final FinalityEvent event) {
        for (final FinalityListener listener : listeners) {
            listener.onFinality(event);
        }
    }

    @Override
    public TxStatus txStatus(final byte[] txId) {
        return statuses.getOrDefault(ByteBuffer.wrap(txId), TxStatus.UNKNOWN);
    }

    @Override
    public Map<Integer, Long> balances(final byte[] account) {
        return balances.getOrDefault(ByteBuffer.wrap(account), Map.of());
    }

    @Override
    public NodeStatus status() {
        if (failing) {
            throw new IllegalStateException("node exploded");
        }
        return new NodeStatus(NETWORK_ID, 0, SHARD_COUNT, 2, 4, 5, 5, 17, "ab".repeat(32), consensusTimeMs, ready);
    }

    @Override
    public AutoCloseable subscribe(final FinalityListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public String metricsText() {
        return metrics.render();
    }
}
