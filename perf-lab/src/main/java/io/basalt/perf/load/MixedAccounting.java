package io.basalt.perf.load;

import io.basalt.protocol.RejectCode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Turns a multi-shard step's raw arrays into its statistics, by kind and by {@link Series}. Pure
 * (no clock, no cluster), so the bookkeeping is unit tested. The rules are {@link
 * LatencyAccounting}'s, applied per series:
 * <ul>
 *   <li>offered, accepted, rejected and latency count the transactions whose <em>intended</em> send
 *       time is in the window;</li>
 *   <li>latency = the series' event seen − intended send time (coordinated-omission-safe);</li>
 *   <li>throughput = COMMITTED events on submitting validators (every kind) inside the window; each
 *       series also counts its own events inside the window (settlements per second).</li>
 * </ul>
 */
final class MixedAccounting {
    private static final Series[] SERIES = Series.values();
    private static final TxKind[] KINDS = TxKind.values();

    private MixedAccounting() {
    }

    static MixedResult account(final MixedRaw raw) {
        final OpenLoopSchedule schedule = raw.schedule();
        final MixPlan plan = raw.plan();
        final int first = schedule.firstMeasured();
        final int total = schedule.total();
        final long windowStart = schedule.warmupNs();
        final long windowEnd = schedule.windowEndNs();
        final RejectCode[] codes = RejectCode.values();

        final long[] windowTxs = new long[KINDS.length];
        final long[] accepted = new long[KINDS.length];
        final long[] notSent = new long[KINDS.length];
        final List<EnumMap<RejectCode, Long>> rejects = new ArrayList<>();
        for (int k = 0; k < KINDS.length; k++) {
            rejects.add(new EnumMap<>(RejectCode.class));
        }
        final long[] seen = new long[SERIES.length];
        final long[] notSeen = new long[SERIES.length];
        final long[] failed = new long[SERIES.length];
        final long[] inWindow = new long[SERIES.length];
        final Histogram[] latency = new Histogram[SERIES.length];
        for (int s = 0; s < SERIES.length; s++) {
            latency[s] = LatencyAccounting.newHistogram();
        }
        final List<List<Series>> byKind = new ArrayList<>();
        for (final TxKind kind : KINDS) {
            byKind.add(java.util.Arrays.stream(SERIES).filter(s -> s.kind() == kind).toList());
        }
        final Histogram submitLag = LatencyAccounting.newHistogram();

        for (int i = first; i < total; i++) {
            final int k = plan.kinds()[i];
            windowTxs[k]++;
            final byte code = raw.rejectCodes()[i];
            if (code == StepRaw.NOT_SENT_CODE) {
                notSent[k]++;
                continue;
            }
            final long intended = schedule.intendedNs(i);
            submitLag.recordValue(LatencyAccounting.clamp(raw.submitNs()[i] - intended));
            if (code != 0) {
                rejects.get(k).merge(codes[code], 1L, Long::sum);
                continue;
            }
            accepted[k]++;
            for (final Series s : byKind.get(k)) {
                final long t = raw.timesNs()[s.slot()][i];
                if (t == MixedTracker.NOT_SEEN) {
                    notSeen[s.ordinal()]++;
                    continue;
                }
                seen[s.ordinal()]++;
                latency[s.ordinal()].recordValue(LatencyAccounting.clamp(t - intended));
                if (raw.results()[s.slot()][i] != 0) {
                    failed[s.ordinal()]++;
                }
            }
        }
        long committedInWindow = 0;
        for (int i = 0; i < total; i++) {
            for (final Series s : byKind.get(plan.kinds()[i])) {
                final long t = raw.timesNs()[s.slot()][i];
                if (t != MixedTracker.NOT_SEEN && t >= windowStart && t < windowEnd) {
                    inWindow[s.ordinal()]++;
                    if (s.slot() == MixedTracker.COMMITTED_HERE) {
                        committedInWindow++;
                    }
                }
            }
        }
        final List<MixedResult.KindStats> kinds = new ArrayList<>();
        for (final TxKind kind : KINDS) {
            final int k = kind.ordinal();
            kinds.add(new MixedResult.KindStats(kind, windowTxs[k], accepted[k], rejects.get(k), notSent[k]));
        }
        final List<MixedResult.SeriesStats> series = new ArrayList<>();
        for (final Series s : SERIES) {
            final int o = s.ordinal();
            series.add(new MixedResult.SeriesStats(s, seen[o], notSeen[o], failed[o], inWindow[o], latency[o]));
        }
        return new MixedResult(raw.label(), raw.shards(), schedule, List.copyOf(kinds), List.copyOf(series),
            committedInWindow, submitLag, raw.cpu(), raw.node());
    }
}
