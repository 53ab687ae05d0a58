package io.basalt.perf.consensus;

import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One measured rate: what was offered, what was ordered, latency, pace and CPU.
 *
 * @param orderedPerSecond payloads committed per second of the window at validator 0 (every validator
 *                         commits every payload, so this is the cluster's ordering throughput)
 * @param latencyNs        intended send → commit at the submitting validator, payloads intended in the window
 * @param roundsPerSecond  validator 0's quorum round advance per second of the window
 * @param payloadsPerCommit payloads per committed sub-DAG at validator 0 in the window
 */
record StepResult(double offeredPerSecond, double windowSeconds, long submitted, long refusedQueue, long refusedMempool,
                  long committedOwn, double orderedPerSecond, Histogram latencyNs, double roundsPerSecond,
                  double payloadsPerCommit, Map<String, Double> cores, double maxP99Ms) {

    /** Everything offered in the window was accepted and ordered, at the offered pace, with a bounded p99. */
    boolean sustained() {
        return refusedQueue == 0 && refusedMempool == 0
            && committedOwn >= submitted * 0.999
            && orderedPerSecond >= offeredPerSecond * 0.95
            && p99Ms() <= maxP99Ms;
    }

    double p50Ms() {
        return ms(latencyNs.getValueAtPercentile(50));
    }

    double p90Ms() {
        return ms(latencyNs.getValueAtPercentile(90));
    }

    double p99Ms() {
        return ms(latencyNs.getValueAtPercentile(99));
    }

    double maxMs() {
        return ms(latencyNs.getMaxValue());
    }

    private static double ms(final long ns) {
        return ns / 1e6;
    }

    String summaryLine() {
        return String.format(Locale.ROOT,
            "offered %,9.0f/s  ordered %,9.0f/s  p50 %7.2f  p90 %7.2f  p99 %7.2f  max %7.2f ms  rounds %6.0f/s  "
                + "payloads/commit %7.1f  refused %d+%d  %s",
            offeredPerSecond, orderedPerSecond, p50Ms(), p90Ms(), p99Ms(), maxMs(), roundsPerSecond, payloadsPerCommit,
            refusedQueue, refusedMempool, sustained() ? "sustained" : "NOT sustained");
    }

    String details() {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "  window %.1f s: submitted %,d, committed at their validator %,d (%.3f%%)%n",
            windowSeconds, submitted, committedOwn, submitted == 0 ? 100.0 : 100.0 * committedOwn / submitted));
        out.append("  CPU (cores):");
        for (final Map.Entry<String, Double> e : cores.entrySet()) {
            if (e.getValue() < 0.005) {
                continue; // idle JVM housekeeping threads
            }
            out.append(String.format(Locale.ROOT, "%n    %-36s %5.2f", e.getKey(), e.getValue()));
        }
        return out.append('\n').toString();
    }
}
