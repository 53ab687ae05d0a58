package io.basalt.perf.load;

import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.FinalityListener;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.TxState;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Records, for each transaction of a multi-shard step, when three events are first seen (nanoseconds
 * after the step's start) and their result codes:
 * <pre>
 *   slot 0  COMMITTED_HERE   COMMITTED on the validator it was submitted to        (every kind)
 *   slot 1  SETTLED_HERE     SETTLED on that same validator                         (cross-shard kinds)
 *   slot 2  SETTLED_THERE    SETTLED on validator 0 of the other shard              (cross-shard kinds)
 * </pre>
 * One {@link #listener(int)} per validator (numbered as {@code LocalCluster.nodes()} lists them) is
 * subscribed for the whole run; a step is installed with {@link #begin} and taken down with {@link
 * #end}. Listeners run on the validators' execution and cross-shard threads and must return at once:
 * a hash lookup, a compare-and-set, nothing else; events of other validators, other kinds of event
 * and transactions not of this step are ignored.
 *
 * <p>A transaction is <em>done</em> when every slot its kind awaits is filled, or when its COMMITTED
 * says no settlement will follow ({@link #settlementFollows}); the drain waits for {@link #done()}.
 */
final class MixedTracker {
    static final int COMMITTED_HERE = 0;
    static final int SETTLED_HERE = 1;
    static final int SETTLED_THERE = 2;
    static final int SLOTS = 3;
    static final long NOT_SEEN = 0;

    /** One step's state, published through a volatile field. */
    private static final class Step {
        final MixedWorkload workload;
        final int n;
        final long startNs;
        final AtomicLongArray times; // slot · n + i
        final AtomicIntegerArray results;
        final AtomicIntegerArray remaining;
        final AtomicLong done = new AtomicLong();

        Step(final MixedWorkload workload, final long startNs) {
            this.workload = workload;
            this.n = workload.size();
            this.startNs = startNs;
            this.times = new AtomicLongArray(SLOTS * n);
            this.results = new AtomicIntegerArray(SLOTS * n);
            this.remaining = new AtomicIntegerArray(n);
            for (int i = 0; i < n; i++) {
                remaining.set(i, awaited(workload.plan().kind(i)));
            }
        }
    }

    private volatile Step step;

    /** How many events a transaction of this kind is awaited for. */
    static int awaited(final TxKind kind) {
        return kind.crossShard() ? SLOTS : 1;
    }

    /**
     * Whether SETTLED events follow a COMMITTED with this result. A cross-shard transfer that failed
     * moved nothing, so nothing settles. A swap settles after every outcome of its ordering except
     * the guard clauses (expired, duplicate, fee, wrong shard or network, invalid), which leave no
     * record: an uncovered leg votes ABORT and settles SWAP_ABORTED on both shards.
     */
    static boolean settlementFollows(final TxKind kind, final int commitResult) {
        return switch (kind) {
            case SAME_SHARD_TRANSFER -> false;
            case CROSS_SHARD_TRANSFER -> commitResult == ExecResult.SUCCESS.code();
            case CROSS_SHARD_SWAP -> commitResult == ExecResult.SUCCESS.code()
                || commitResult == ExecResult.INSUFFICIENT_BALANCE.code();
        };
    }

    FinalityListener listener(final int node) {
        return event -> onFinality(node, event);
    }

    void begin(final MixedWorkload workload, final long startNs) {
        step = new Step(workload, startNs);
    }

    /** Accepted transactions of the current step that are done (see the class comment). */
    long done() {
        final Step s = step;
        return s == null ? 0 : s.done.get();
    }

    /** What a step recorded, by slot: times after its start ({@link #NOT_SEEN} if none) and result codes. */
    record Recorded(long[][] timesNs, int[][] results) {
    }

    /** Stops recording and returns what was seen. */
    Recorded end() {
        final Step s = step;
        step = null;
        final long[][] times = new long[SLOTS][s.n];
        final int[][] results = new int[SLOTS][s.n];
        for (int slot = 0; slot < SLOTS; slot++) {
            for (int i = 0; i < s.n; i++) {
                times[slot][i] = s.times.get(slot * s.n + i);
                results[slot][i] = s.results.get(slot * s.n + i);
            }
        }
        return new Recorded(times, results);
    }

    private void onFinality(final int node, final FinalityEvent event) {
        final TxState level = event.level();
        if (level != TxState.COMMITTED && level != TxState.SETTLED) {
            return;
        }
        final long now = System.nanoTime();
        final Step s = step;
        if (s == null) {
            return;
        }
        final int i = s.workload.indexOf(event.txId());
        if (i < 0) {
            return;
        }
        final MixPlan plan = s.workload.plan();
        final TxKind kind = plan.kind(i);
        final int slot;
        if (level == TxState.COMMITTED) {
            if (node != plan.submitNodes()[i]) {
                return;
            }
            slot = COMMITTED_HERE;
        } else if (!kind.crossShard()) {
            return;
        } else if (node == plan.submitNodes()[i]) {
            slot = SETTLED_HERE;
        } else if (node == plan.otherNodes()[i]) {
            slot = SETTLED_THERE;
        } else {
            return;
        }
        // Relative times are > 0: the step starts before anything of it is sent. Max guards the sentinel.
        if (!s.times.compareAndSet(slot * s.n + i, NOT_SEEN, Math.max(1, now - s.startNs))) {
            return;
        }
        s.results.set(slot * s.n + i, event.result());
        if (slot == COMMITTED_HERE && kind.crossShard() && !settlementFollows(kind, event.result())) {
            if (s.remaining.getAndSet(i, 0) > 0) {
                s.done.incrementAndGet();
            }
            return;
        }
        while (true) {
            final int left = s.remaining.get(i);
            if (left <= 0) {
                return;
            }
            if (s.remaining.compareAndSet(i, left, left - 1)) {
                if (left == 1) {
                    s.done.incrementAndGet();
                }
                return;
            }
        }
    }
}
