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

    /** A committed sub-DAG and when the consensus agent handed it over ({@link System#nanoTime()}). */
    record Committed(CommittedSubDag subDag, long committedNs) {
    }

    static final class Event {
        Committed committed;
    }

    private static final EventTranslatorOneArg<Event, Committed> TRANSLATOR =
        (event, sequence, committed) -> event.committed = committed;

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

    ExecutionStage(final Ledger ledger, final InFlight inFlight, final OwnBlockTimes ownBlockTimes,
                   final NodeMetrics metrics, final FinalityHub finality, final CrossShardSink crossShard,
                   final Consumer<Throwable> onFatal, final IdleMode idle, final ThreadFactory threads) {
        this.executed = new Executed(ledger.appliedHeight(), ledger.stateDigest(), ledger.consensusTimeMs());
        metrics.executedHeight = ledger.appliedHeight();
        disruptor = new Disruptor<>(Event::new, RING_SIZE, threads, ProducerType.SINGLE, idle.ringWaitStrategy());
        disruptor.handleEventsWith(new Applier(ledger, inFlight, ownBlockTimes, metrics, finality, crossShard));
        disruptor.setDefaultExceptionHandler(new StopOnFailure(onFatal));
        ring = disruptor.start();
    }

    /** Called by the consensus agent only; false when the ring is full. */
    boolean tryPublish(final Committed committed) {
        return ring.tryPublishEvent(TRANSLATOR, committed);
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
        private final OwnBlockTimes ownBlockTimes;
        private final NodeMetrics metrics;
        private final FinalityHub finality;
        private final CrossShardSink crossShard;
        private long committedNs;

        Applier(final Ledger ledger, final InFlight inFlight, final OwnBlockTimes ownBlockTimes, final NodeMetrics metrics,
                final FinalityHub finality, final CrossShardSink crossShard) {
            this.ledger = ledger;
            this.inFlight = inFlight;
            this.ownBlockTimes = ownBlockTimes;
            this.metrics = metrics;
            this.finality = finality;
            this.crossShard = crossShard;
        }

        @Override
        public void onEvent(final Event event, final long sequence, final boolean endOfBatch) {
            final CommittedSubDag subDag = event.committed.subDag();
            committedNs = event.committed.committedNs();
            event.committed = null;
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
            final AdmittedTx admitted = inFlight.remove(txIdBuffer, txIdOffset);
            final long executedNs = System.nanoTime();
            if (admitted != null) {
                metrics.recordCommitNs(executedNs - admitted.startNs);
            }
            if (finality.hasListeners()) {
                final byte[] txId = Arrays.copyOfRange(txIdBuffer, txIdOffset, txIdOffset + 32);
                if (isRecorded(ledger.executed(txId), result, height) && ledger.settled(txId) == null) {
                    finality.publish(new FinalityEvent(txId, TxState.COMMITTED, result.code(), height, consensusTimeMs));
                }
            }
            if (admitted != null && admitted.proposedNs != 0) {
                recordStages(admitted, executedNs, System.nanoTime());
            }
        }

        /** The consecutive stages of a transaction this validator admitted and proposed itself. */
        private void recordStages(final AdmittedTx tx, final long executedNs, final long deliveredNs) {
            final long quorumNs = ownBlockTimes.quorumNs(tx.round);
            metrics.recordStageNs(NodeMetrics.Stage.ADMISSION, tx.admittedNs - tx.startNs);
            metrics.recordStageNs(NodeMetrics.Stage.QUEUED, tx.proposedNs - tx.admittedNs);
            if (quorumNs != 0) {
                metrics.recordStageNs(NodeMetrics.Stage.QUORUM, quorumNs - tx.proposedNs);
                metrics.recordStageNs(NodeMetrics.Stage.COMMIT, committedNs - quorumNs);
            }
            metrics.recordStageNs(NodeMetrics.Stage.EXECUTE, executedNs - committedNs);
            metrics.recordStageNs(NodeMetrics.Stage.DELIVER, deliveredNs - executedNs);
        }

        @Override
        public void onSettled(final byte[] txId, final ExecResult result, final long height, final long consensusTimeMs) {
            metrics.transactionsSettled.incrementAndGet();
            if (finality.hasListeners() && isRecorded(ledger.settled(txId), result, height)) {
                finality.publish(new FinalityEvent(txId.clone(), TxState.SETTLED, result.code(), height, consensusTimeMs));
            }
        }

        /**
         * Whether this outcome is the one status answers report for its id. The ledger keeps the
         * outcome that used the id and ignores later copies (a client's repeat that a second
         * validator also proposed executes as DUPLICATE, a no-op): an event is pushed only when it
         * says what {@code GET} status says, so a later copy never contradicts the first COMMITTED.
         * The ledger records a height's outcomes before it tells the listener.
         */
        private static boolean isRecorded(final Ledger.TxRecord record, final ExecResult result, final long height) {
            return record != null && record.result() == result && record.height() == height;
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
