package io.basalt.perf.load;

import io.basalt.protocol.RejectCode;
import java.util.EnumMap;
import org.HdrHistogram.Histogram;

/**
 * One step's numbers over its measured window. Rates are per second of the window.
 *
 * @param label               what the step was for
 * @param schedule            its rate, warm-up and window
 * @param windowTxs           transactions whose intended send time is in the window (the offered load)
 * @param accepted            of those, how many the validator admitted
 * @param committedInWindow   COMMITTED events (of this step) observed inside the window: the throughput
 * @param committedOfWindow   window transactions whose COMMITTED was seen before the drain ended
 * @param notCommitted        window transactions accepted but never seen committed: their latency is unknown, so
 *                            when this is not zero every percentile is a lower bound
 * @param rejects             window transactions refused, by code
 * @param notSent             window transactions never submitted (the run was cut short)
 * @param latencyNs           intended send time → COMMITTED, for window transactions that committed
 * @param submitLagNs         intended send time → submit call: how late the generator itself was
 * @param failedExecutions    COMMITTED with a failed execution result (should be 0: senders are funded)
 * @param cpu                 CPU over the window
 * @param node                validator 0's rounds and heights over the window
 * @param stages              the validators' stage breakdown over the window ({@link StageBreakdown#ABSENT} if none)
 */
record StepResult(String label, OpenLoopSchedule schedule, long windowTxs, long accepted, long committedInWindow,
                  long committedOfWindow, long notCommitted, EnumMap<RejectCode, Long> rejects, long notSent,
                  Histogram latencyNs, Histogram submitLagNs, long failedExecutions, CpuUsage cpu,
                  StepRaw.NodeProgress node, StageBreakdown stages) {

    StepResult(final String label, final OpenLoopSchedule schedule, final long windowTxs, final long accepted,
               final long committedInWindow, final long committedOfWindow, final long notCommitted,
               final EnumMap<RejectCode, Long> rejects, final long notSent, final Histogram latencyNs,
               final Histogram submitLagNs, final long failedExecutions, final CpuUsage cpu,
               final StepRaw.NodeProgress node) {
        this(label, schedule, windowTxs, accepted, committedInWindow, committedOfWindow, notCommitted, rejects, notSent,
            latencyNs, submitLagNs, failedExecutions, cpu, node, StageBreakdown.ABSENT);
    }

    double offeredPerSecond() {
        return windowTxs / schedule.durationSeconds();
    }

    double acceptedPerSecond() {
        return accepted / schedule.durationSeconds();
    }

    double committedPerSecond() {
        return committedInWindow / schedule.durationSeconds();
    }

    long rejected() {
        return rejects.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Latency percentile in milliseconds; NaN when nothing committed. */
    double latencyMs(final double percentile) {
        return latencyNs.getTotalCount() == 0 ? Double.NaN : latencyNs.getValueAtPercentile(percentile) / 1e6;
    }

    double maxLatencyMs() {
        return latencyNs.getTotalCount() == 0 ? Double.NaN : latencyNs.getMaxValue() / 1e6;
    }

    double submitLagMs(final double percentile) {
        return submitLagNs.getTotalCount() == 0 ? Double.NaN : submitLagNs.getValueAtPercentile(percentile) / 1e6;
    }

    /** Mean transactions per committed height on validator 0 over the window. */
    double txPerHeight() {
        return node.heights() > 0 ? (double) committedInWindow / node.heights() : Double.NaN;
    }

    /**
     * Whether the cluster kept up with the offered rate: (almost) everything admitted, committed at
     * the offered rate, nothing lost, and p99 within {@code maxP99Ms}.
     */
    boolean sustained(final double maxP99Ms) {
        final double offered = offeredPerSecond();
        return notSent == 0
            && acceptedPerSecond() >= 0.99 * offered
            && committedPerSecond() >= 0.95 * offered
            && notCommitted == 0
            && latencyNs.getTotalCount() > 0
            && latencyMs(99) <= maxP99Ms;
    }
}
