package io.basalt.node.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.basalt.dag.CommittedSubDag;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.TxState;
import io.basalt.protocol.ExecResult;
import io.basalt.node.exec.ExecutionListener;
import io.basalt.node.exec.Ledger;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The execution Disruptor: the consensus agent publishes committed sub-DAGs, one handler thread
 * (the single writer of the {@link Ledger}) applies them in height order and announces COMMITTED.
 *
 * <pre>
 *   consensus agent ──tryPublish──▶ [ ring, 1024 sub-DAGs ] ──▶ execution thread: ledger.apply
 *                                                                 ├─▶ in-flight set: remove ids
 *                                                                 ├─▶ finality listeners: COMMITTED, SETTLED
 *                                                                 ├─▶ cross-shard agent: batches cut, streams applied
 *                                                                 └─▶ executed-state snapshot (status)
 * </pre>
 *
 * A failure inside {@code apply} is not bad input: the ledger found an invariant broken (or its
 * disk failed). The node stops rather than continue with state it cannot trust.
 */
final class ExecutionStage implements AutoCloseable {
    static final int RING_SIZE = 1024;

    /** What status answers read: the state after the last applied height. */
    record Executed(long height, byte[] stateDigest, long consensusTimeMs) {
    }

    static final class Event {
        CommittedSubDag subDag;
    }

    private static final EventTranslatorOneArg<Event, CommittedSubDag> TRANSLATOR =
        (event, sequence, subDag) -> event.subDag = subDag;

    private final Disruptor<Event> disruptor;
    private final RingBuffer<Event> ring;
    private volatile Executed executed;

    /** Where execution hands cross-shard work; never blocks. */
    interface CrossShardSink {
        CrossShardSink NONE = new CrossShardSink() {
            @Override
            public void onBatch(final int destShard, final long seq, final byte[] prefix) {
            }

            @Override
            public void onHeight() {
            }
        };

        void onBatch(int destShard, long seq, byte[] prefix);

        void onHeight();
    }

    ExecutionStage(final Ledger ledger, final InFlight inFlight, final NodeMetrics metrics, final FinalityHub finality,
                   final CrossShardSink crossShard, final Consumer<Throwable> onFatal, final IdleMode idle,
                   final ThreadFactory threads) {
        this.executed = new Executed(ledger.appliedHeight(), ledger.stateDigest(), ledger.consensusTimeMs());
        metrics.executedHeight = ledger.appliedHeight();
        disruptor = new Disruptor<>(Event::new, RING_SIZE, threads, ProducerType.SINGLE, idle.ringWaitStrategy());
        disruptor.handleEventsWith(new Applier(ledger, inFlight, metrics, finality, crossShard));
        disruptor.setDefaultExceptionHandler(new StopOnFailure(onFatal));
        ring = disruptor.start();
    }

    /** Called by the consensus agent only; false when the ring is full. */
    boolean tryPublish(final CommittedSubDag subDag) {
        return ring.tryPublishEvent(TRANSLATOR, subDag);
    }

    Executed executed() {
        return executed;
    }

    /** Waits (bounded) for what is in the ring to be applied, then stops the thread. */
    @Override
    public void close() {
        try {
            disruptor.shutdown(5, TimeUnit.SECONDS);
        } catch (final TimeoutException e) {
            disruptor.halt();
        }
    }

    private final class Applier implements EventHandler<Event>, ExecutionListener {
        private final Ledger ledger;
        private final InFlight inFlight;
        private final NodeMetrics metrics;
        private final FinalityHub finality;
        private final CrossShardSink crossShard;

        Applier(final Ledger ledger, final InFlight inFlight, final NodeMetrics metrics, final FinalityHub finality,
                final CrossShardSink crossShard) {
            this.ledger = ledger;
            this.inFlight = inFlight;
            this.metrics = metrics;
            this.finality = finality;
            this.crossShard = crossShard;
        }

        @Override
        public void onEvent(final Event event, final long sequence, final boolean endOfBatch) {
            final CommittedSubDag subDag = event.subDag;
            event.subDag = null;
            final long applied = ledger.appliedHeight();
            if (subDag.height() <= applied) {
                return; // replayed by the core after a restart, already durable in the ledger
            }
            if (subDag.height() != applied + 1) {
                throw new IllegalStateException("execution gap: applied " + applied + ", got height " + subDag.height());
            }
            final long startNs = System.nanoTime();
            ledger.apply(subDag, this);
            metrics.recordApplyNs(System.nanoTime() - startNs);
            metrics.subDagsExecuted.incrementAndGet();
        }

        @Override
        public void onExecuted(final byte[] txIdBuffer, final int txIdOffset, final ExecResult result,
                               final long height, final long consensusTimeMs) {
            metrics.transactionsExecuted.incrementAndGet();
            metrics.executed(result);
            final InFlight.Entry entry = inFlight.remove(txIdBuffer, txIdOffset);
            if (entry != null) {
                metrics.recordCommitNs(System.nanoTime() - entry.admittedNs());
            }
            if (finality.hasListeners()) {
                final byte[] txId = Arrays.copyOfRange(txIdBuffer, txIdOffset, txIdOffset + 32);
                finality.publish(new FinalityEvent(txId, TxState.COMMITTED, result.code(), height, consensusTimeMs));
            }
        }

        @Override
        public void onSettled(final byte[] txId, final ExecResult result, final long height, final long consensusTimeMs) {
            metrics.transactionsSettled.incrementAndGet();
            if (finality.hasListeners()) {
                finality.publish(new FinalityEvent(txId.clone(), TxState.SETTLED, result.code(), height, consensusTimeMs));
            }
        }

        @Override
        public void onBatch(final int destShard, final long seq, final byte[] prefix) {
            metrics.batchesCut.incrementAndGet();
            crossShard.onBatch(destShard, seq, prefix);
        }

        @Override
        public void onHeight(final long height, final byte[] stateDigest, final long consensusTimeMs) {
            executed = new Executed(height, stateDigest.clone(), consensusTimeMs);
            metrics.executedHeight = height;
            crossShard.onHeight();
        }
    }

    private static final class StopOnFailure implements ExceptionHandler<Event> {
        private final Consumer<Throwable> onFatal;

        StopOnFailure(final Consumer<Throwable> onFatal) {
            this.onFatal = onFatal;
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Event event) {
            onFatal.accept(ex);
            throw new IllegalStateException("execution stopped at ring sequence " + sequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            onFatal.accept(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex) {
        }
    }
}
