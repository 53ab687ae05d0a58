package io.basalt.perf.load;

import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.FinalityListener;
import io.basalt.protocol.TxState;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Records when COMMITTED is seen for each transaction of the current step, on the validator the
 * transaction was submitted to (a client waits on the validator it talks to). One {@link
 * #listener(int)} per validator is subscribed once for the whole run; a step is installed with
 * {@link #begin} and taken down with {@link #end}.
 *
 * <p>The listeners run on each validator's execution thread and must return at once: they do a
 * hash lookup and one compare-and-set, nothing else. Every validator announces every transaction it
 * executes, so each listener ignores those sent elsewhere; events of earlier steps find no index and
 * are ignored too.
 */
final class CommitTracker implements OpenLoopRun.StepTracker {
    /** One step's state, published through a volatile field. */
    private static final class Step {
        final SignedWorkload workload;
        final int validators;
        final long startNs;
        final AtomicLongArray commitNs;
        final AtomicLong committed = new AtomicLong();
        final AtomicLong failedExecutions = new AtomicLong();

        Step(final SignedWorkload workload, final int validators, final long startNs) {
            this.workload = workload;
            this.validators = validators;
            this.startNs = startNs;
            this.commitNs = new AtomicLongArray(workload.size());
        }
    }

    private volatile Step step;

    /** The validator transaction i goes to: round-robin. */
    static int validatorOf(final int index, final int validators) {
        return index % validators;
    }

    FinalityListener listener(final int validator) {
        return event -> onFinality(validator, event);
    }

    @Override
    public void begin(final SignedWorkload workload, final int validators, final long startNs) {
        step = new Step(workload, validators, startNs);
    }

    @Override
    public long done() {
        return committed();
    }

    long committed() {
        final Step s = step;
        return s == null ? 0 : s.committed.get();
    }

    /**
     * What a step recorded: commit times relative to its start ({@link StepRaw#NOT_COMMITTED} if none),
     * and, from a client path, the reject codes learnt after submit returned (null in this JVM).
     */
    record Recorded(long[] commitNs, long failedExecutions, byte[] lateCodes) {
        Recorded(final long[] commitNs, final long failedExecutions) {
            this(commitNs, failedExecutions, null);
        }
    }

    /** Stops recording and returns what was seen. */
    @Override
    public Recorded end() {
        final Step s = step;
        step = null;
        final long[] out = new long[s.commitNs.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.commitNs.get(i);
        }
        return new Recorded(out, s.failedExecutions.get());
    }

    private void onFinality(final int validator, final FinalityEvent event) {
        if (event.level() != TxState.COMMITTED) {
            return;
        }
        final long now = System.nanoTime();
        final Step s = step;
        if (s == null) {
            return;
        }
        final int index = s.workload.indexOf(event.txId());
        if (index < 0 || validatorOf(index, s.validators) != validator) {
            return;
        }
        // Relative times are > 0: the step starts before anything of it is sent. Max guards the sentinel.
        if (s.commitNs.compareAndSet(index, StepRaw.NOT_COMMITTED, Math.max(1, now - s.startNs))) {
            s.committed.incrementAndGet();
            if (event.result() != 0) {
                s.failedExecutions.incrementAndGet();
            }
        }
    }
}
