package io.basalt.perf.load;

import io.basalt.protocol.RejectCode;
import java.util.EnumMap;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One multi-shard step's numbers over its measured window, by kind of transaction and by latency
 * {@link Series}. Rates are per second of the window.
 *
 * @param kinds             offered/accepted/rejected per kind (window transactions)
 * @param series            one entry per {@link Series}, in its order
 * @param committedInWindow COMMITTED events on submitting validators inside the window, every kind: the throughput
 * @param submitLagNs       intended send time → submit call, every kind
 */
record MixedResult(String label, int shards, OpenLoopSchedule schedule, List<KindStats> kinds, List<SeriesStats> series,
                   long committedInWindow, Histogram submitLagNs, CpuUsage cpu, StepRaw.NodeProgress node) {

    /**
     * @param windowTxs transactions of this kind whose intended send time is in the window
     * @param accepted  of those, how many were admitted
     * @param rejects   of those, how many refused, by code
     * @param notSent   of those, never submitted
     */
    record KindStats(TxKind kind, long windowTxs, long accepted, EnumMap<RejectCode, Long> rejects, long notSent) {
        long rejected() {
            return rejects.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * @param seen           accepted window transactions whose event was seen before the drain ended
     * @param notSeen        accepted window transactions whose event was not seen: percentiles are then lower bounds
     * @param failed         of the seen, events with a result other than success (a failed execution, SWAP_ABORTED)
     * @param eventsInWindow events of this series (any transaction of the step) whose time is inside the window
     * @param latencyNs      intended send time → the event, for seen window transactions
     */
    record SeriesStats(Series series, long seen, long notSeen, long failed, long eventsInWindow, Histogram latencyNs) {
        double latencyMs(final double percentile) {
            return latencyNs.getTotalCount() == 0 ? Double.NaN : latencyNs.getValueAtPercentile(percentile) / 1e6;
        }

        double maxLatencyMs() {
            return latencyNs.getTotalCount() == 0 ? Double.NaN : latencyNs.getMaxValue() / 1e6;
        }
    }

    KindStats kind(final TxKind kind) {
        return kinds.get(kind.ordinal());
    }

    SeriesStats series(final Series s) {
        return series.get(s.ordinal());
    }

    long windowTxs() {
        return kinds.stream().mapToLong(KindStats::windowTxs).sum();
    }

    long accepted() {
        return kinds.stream().mapToLong(KindStats::accepted).sum();
    }

    long notSent() {
        return kinds.stream().mapToLong(KindStats::notSent).sum();
    }

    EnumMap<RejectCode, Long> rejects() {
        final EnumMap<RejectCode, Long> all = new EnumMap<>(RejectCode.class);
        kinds.forEach(k -> k.rejects().forEach((code, count) -> all.merge(code, count, Long::sum)));
        return all;
    }

    double perSecond(final long count) {
        return count / schedule.durationSeconds();
    }

    double offeredPerSecond() {
        return perSecond(windowTxs());
    }

    double acceptedPerSecond() {
        return perSecond(accepted());
    }

    double committedPerSecond() {
        return perSecond(committedInWindow);
    }

    /** Committed tx/s per core of CPU this process used over the window; NaN when no CPU was measured. */
    double committedPerCore() {
        final double cores = cpu.processCores();
        return cores > 0 ? committedPerSecond() / cores : Double.NaN;
    }

    double submitLagMs(final double percentile) {
        return submitLagNs.getTotalCount() == 0 ? Double.NaN : submitLagNs.getValueAtPercentile(percentile) / 1e6;
    }

    /** This series' p50 ÷ the same-shard transfers' p50 (NaN when either has no sample). */
    double p50Ratio(final Series s) {
        return series(s).latencyMs(50) / series(Series.SAME_COMMITTED).latencyMs(50);
    }

    /**
     * Whether the cluster kept up: (almost) everything admitted, COMMITTED at the offered rate, and
     * every awaited event of every accepted window transaction seen.
     */
    boolean sustained() {
        final double offered = offeredPerSecond();
        return notSent() == 0 && acceptedPerSecond() >= 0.99 * offered && committedPerSecond() >= 0.95 * offered
            && series.stream().allMatch(s -> s.notSeen() == 0);
    }
}
