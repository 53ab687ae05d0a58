package io.basalt.perf.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Where a millisecond goes": the node's {@code basalt_stage_seconds} histogram, summed over every
 * validator, for what was observed between two snapshots (the start and the end of a step's
 * measured window). The stages follow one transaction through a validator:
 * <pre>
 *   admission  decode + verify + admit
 *   queued     admitted ─▶ included in the validator's own block
 *   quorum     block proposed ─▶ received by a quorum
 *   commit     quorum ─▶ leader committed
 *   execute    committed ─▶ executed
 *   deliver    executed ─▶ finality event delivered
 * </pre>
 * The percentiles are those of the merged histogram, interpolated within buckets as PromQL's
 * {@code histogram_quantile} does: as precise as the buckets, no more. When the nodes do not
 * export the metric, {@link #present()} is false and the report says so.
 *
 * @param present whether any validator exposed the histogram
 * @param rows    one per stage, the known stages first in pipeline order, then any others
 */
record StageBreakdown(boolean present, List<Row> rows) {
    static final String METRIC = "basalt_stage_seconds";
    static final List<String> STAGES = List.of("admission", "queued", "quorum", "commit", "execute", "deliver");
    static final StageBreakdown ABSENT = new StageBreakdown(false, List.of());

    /** One stage: observations in the window and their p50, p99 and mean in milliseconds. */
    record Row(String stage, long count, double p50Ms, double p99Ms, double meanMs) {
    }

    /** From every validator's metrics text at the window's start and at its end (same order). */
    static StageBreakdown between(final List<String> before, final List<String> after) {
        if (before.size() != after.size()) {
            throw new IllegalArgumentException("one snapshot per validator before and after");
        }
        final List<Map<Map<String, String>, PromHistogram>> deltas = new ArrayList<>();
        boolean present = false;
        for (int v = 0; v < after.size(); v++) {
            final Map<Map<String, String>, PromHistogram> end = PromHistogram.parse(after.get(v), METRIC);
            present |= !end.isEmpty();
            deltas.add(PromHistogram.delta(PromHistogram.parse(before.get(v), METRIC), end));
        }
        if (!present) {
            return ABSENT;
        }
        final Map<String, PromHistogram> byStage = PromHistogram.sumBy(deltas, "stage");
        final List<String> order = new ArrayList<>(STAGES);
        byStage.keySet().stream().filter(s -> !order.contains(s)).forEach(order::add);
        final List<Row> rows = new ArrayList<>();
        for (final String stage : order) {
            final PromHistogram h = byStage.get(stage);
            if (h != null) {
                rows.add(new Row(stage, h.count(), 1e3 * h.quantile(0.5), 1e3 * h.quantile(0.99), 1e3 * h.mean()));
            }
        }
        return new StageBreakdown(true, rows);
    }

    /** Sum of the stages' means: what one transaction spends in a validator, on average, stage by stage. */
    double meanTotalMs() {
        return rows.stream().mapToDouble(Row::meanMs).filter(m -> !Double.isNaN(m)).sum();
    }

    /** The Markdown table for one step, or a sentence saying the metric is missing. */
    String markdown(final String title) {
        final StringBuilder md = new StringBuilder();
        md.append("Where a millisecond goes").append(title.isEmpty() ? "" : " (" + title + ")")
            .append(": per-validator stage times in the measured window, all validators together\n\n");
        if (!present) {
            return md.append("(the validators export no `").append(METRIC)
                .append("` histogram: this build of the node has no stage breakdown)\n").toString();
        }
        md.append("| stage | observations | p50 ms | p99 ms | mean ms |\n|---|---:|---:|---:|---:|\n");
        for (final Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s |%n", r.stage(), r.count(),
                LoadReport.ms(r.p50Ms()), LoadReport.ms(r.p99Ms()), LoadReport.ms(r.meanMs())));
        }
        md.append(String.format(Locale.ROOT, "| **sum of means** | | | | **%s** |%n", LoadReport.ms(meanTotalMs())));
        return md.toString();
    }
}
