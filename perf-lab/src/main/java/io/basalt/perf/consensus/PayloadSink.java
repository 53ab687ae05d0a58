package io.basalt.perf.consensus;

import io.basalt.dag.Block;
import io.basalt.dag.CommitSink;
import io.basalt.dag.CommittedSubDag;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One validator's commit sink: reads each committed payload's sequence number and, for payloads
 * submitted at this validator, records intended send → commit latency in the current {@link Step}.
 * Optionally keeps the whole commit order (for the exactness test). Runs on the validator's
 * consensus thread, inside {@code ConsensusCore}; it allocates nothing per payload unless the order
 * is kept.
 */
final class PayloadSink implements CommitSink {
    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);

    private final int self;
    private final int validators;
    private final EpochNanoClock clock;
    private final IntendedTimes intended;
    private final LongArrayList order;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private volatile Step step;
    private long payloads;
    private long foreign;

    PayloadSink(final int self, final int validators, final EpochNanoClock clock, final IntendedTimes intended,
                final boolean keepOrder) {
        this.self = self;
        this.validators = validators;
        this.clock = clock;
        this.intended = intended;
        this.order = keepOrder ? new LongArrayList() : null;
    }

    void step(final Step next) {
        step = next;
    }

    @Override
    public void onCommit(final CommittedSubDag subDag) {
        final long nowNs = clock.nanoTime();
        final Step current = step;
        final boolean commitInWindow = current != null && current.inWindow(nowNs);
        for (final Block block : subDag.blocks()) {
            view.wrap(block.encoded());
            for (int i = 0; i < block.transactionCount(); i++) {
                final int offset = block.transactionOffset(i);
                if (!Payloads.isPayload(view, offset)) {
                    foreign++;
                    continue;
                }
                final long seq = Payloads.seq(view, offset);
                payloads++;
                if (order != null) {
                    order.addLong(seq);
                }
                if (current == null) {
                    continue;
                }
                if (commitInWindow) {
                    current.committedInWindow[self]++;
                }
                if (seq % validators == self) {
                    final long sentNs = intended.get(seq);
                    if (current.inWindow(sentNs)) {
                        current.latencyNs[self].recordValue(Math.max(0, nowNs - sentNs));
                        current.committedOwn[self]++;
                    }
                }
            }
        }
        if (current != null) {
            if (commitInWindow) {
                current.commitsInWindow[self]++;
            }
            // Last: a reader that sees this sees every write above.
            LONG_ARRAY.setRelease(current.published, self, payloads);
        }
    }

    /** Payloads committed here so far. Read after the validator's thread stopped, or for progress only. */
    long payloads() {
        return payloads;
    }

    /** Transactions that were not the benchmark's payloads (there should be none). */
    long foreign() {
        return foreign;
    }

    /** The commit order, when kept; read only after the validator's thread stopped. */
    LongArrayList order() {
        return order;
    }

    /** Acquire-reads the published count of {@code step} for validator {@code v}. */
    static long published(final Step step, final int v) {
        return (long) LONG_ARRAY.getAcquire(step.published, v);
    }
}
