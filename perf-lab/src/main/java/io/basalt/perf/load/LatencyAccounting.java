package io.basalt.perf.load;

import io.basalt.protocol.RejectCode;
import java.util.EnumMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Turns a step's raw arrays into its statistics. Pure (no clock, no cluster), so the math is unit
 * tested. The rules:
 * <ul>
 *   <li>Offered, accepted, rejected, latency and submit lag are counted over the transactions whose
 *       <em>intended</em> send time is in the window.</li>
 *   <li>Latency = COMMITTED seen − intended send time (coordinated-omission-safe): time a transaction
 *       spent waiting for a late submitter counts.</li>
 *   <li>Throughput = COMMITTED events whose time is in the window, whichever transaction they belong
 *       to, divided by the window's length.</li>
 * </ul>
 */
final class LatencyAccounting {
    /** Latencies above this are recorded as this (the histogram's range); 2 minutes is far beyond any expiry. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(2);
    static final int SIGNIFICANT_DIGITS = 3;

    private LatencyAccounting() {
    }

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    static StepResult account(final StepRaw raw) {
        final OpenLoopSchedule schedule = raw.schedule();
        final int first = schedule.firstMeasured();
        final int total = schedule.total();
        final long windowStart = schedule.warmupNs();
        final long windowEnd = schedule.windowEndNs();
        final RejectCode[] codes = RejectCode.values();
        final EnumMap<RejectCode, Long> rejects = new EnumMap<>(RejectCode.class);
        final Histogram latency = newHistogram();
        final Histogram submitLag = newHistogram();
        long accepted = 0;
        long notSent = 0;
        long committedOfWindow = 0;
        long notCommitted = 0;
        for (int i = first; i < total; i++) {
            final long intended = schedule.intendedNs(i);
            final byte code = raw.rejectCodes()[i];
            if (code == StepRaw.NOT_SENT_CODE) {
                notSent++;
                continue;
            }
            submitLag.recordValue(clamp(raw.submitNs()[i] - intended));
            if (code != 0) {
                rejects.merge(codes[code], 1L, Long::sum);
                continue;
            }
            accepted++;
            final long commit = raw.commitNs()[i];
            if (commit == StepRaw.NOT_COMMITTED) {
                notCommitted++;
            } else {
                committedOfWindow++;
                latency.recordValue(clamp(commit - intended));
            }
        }
        long committedInWindow = 0;
        for (int i = 0; i < total; i++) {
            final long commit = raw.commitNs()[i];
            if (commit != StepRaw.NOT_COMMITTED && commit >= windowStart && commit < windowEnd) {
                committedInWindow++;
            }
        }
        return new StepResult(raw.label(), schedule, total - first, accepted, committedInWindow, committedOfWindow,
            notCommitted, rejects, notSent, latency, submitLag, raw.failedExecutions(), raw.cpu(), raw.node(), raw.stages());
    }

    /**
     * A negative difference cannot happen (a transaction is sent no earlier than intended and commits
     * after it is sent) unless clocks are misused; it is recorded as 0 rather than thrown away.
     */
    static long clamp(final long ns) {
        assert ns >= 0 : "negative latency " + ns;
        return Math.min(Math.max(ns, 0), HIGHEST_TRACKABLE_NS);
    }
}
