package io.basalt.perf.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.net.TransportCounters;
import io.basalt.node.runtime.NodeMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus text parser, bucket interpolation and the stage table, on literal sample text in
 * the layout the Prometheus client library writes (labels by name, {@code le} last, bounds such as
 * {@code 5.0E-4}) and on what a {@link NodeMetrics} actually renders.
 */
class PromHistogramTest {
    private static final String BEFORE = """
        # HELP basalt_stage_seconds Time a transaction spends in each stage.
        # TYPE basalt_stage_seconds histogram
        basalt_stage_seconds_bucket{shard="0",stage="queued",validator="0",le="5.0E-4"} 10
        basalt_stage_seconds_bucket{shard="0",stage="queued",validator="0",le="0.001"} 20
        basalt_stage_seconds_bucket{shard="0",stage="queued",validator="0",le="0.002"} 30
        basalt_stage_seconds_bucket{shard="0",stage="queued",validator="0",le="+Inf"} 30
        basalt_stage_seconds_count{shard="0",stage="queued",validator="0"} 30
        basalt_stage_seconds_sum{shard="0",stage="queued",validator="0"} 0.03
        basalt_mempool_transactions{shard="0",validator="0"} 0.0
        basalt_stage_seconds_total_not_a_histogram 5
        """;

    private static final String AFTER = """
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="queued",le="0.0005"} 10
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="queued",le="0.001"} 70
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="queued",le="0.002"} 120
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="queued",le="+Inf"} 130
        basalt_stage_seconds_sum{shard="0",validator="0",stage="queued"} 0.2
        basalt_stage_seconds_count{shard="0",validator="0",stage="queued"} 130
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="deliver",le="0.0005"} 4
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="deliver",le="0.001"} 4
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="deliver",le="0.002"} 4
        basalt_stage_seconds_bucket{shard="0",validator="0",stage="deliver",le="+Inf"} 4
        basalt_stage_seconds_sum{shard="0",validator="0",stage="deliver"} 0.001
        basalt_stage_seconds_count{shard="0",validator="0",stage="deliver"} 4
        """;

    @Test
    void parsesBucketsSumAndCountByLabelsWithoutLe() {
        final Map<Map<String, String>, PromHistogram> series = PromHistogram.parse(BEFORE, "basalt_stage_seconds");
        assertEquals(1, series.size());
        final PromHistogram h = series.get(Map.of("shard", "0", "validator", "0", "stage", "queued"));
        assertArrayEquals(new double[] {0.0005, 0.001, 0.002, Double.POSITIVE_INFINITY}, h.upperBounds());
        assertArrayEquals(new long[] {10, 20, 30, 30}, h.cumulative());
        assertEquals(0.03, h.sum(), 1e-12);
        assertEquals(30, h.count());
    }

    @Test
    void readsTheStageHistogramANodeRenders() {
        final NodeMetrics metrics = new NodeMetrics(1, 2, new TransportCounters());
        metrics.recordStageNs(NodeMetrics.Stage.QUORUM, 200_000);      // 0.2 ms
        metrics.recordStageNs(NodeMetrics.Stage.QUORUM, 3_000_000);    // 3 ms
        metrics.recordStageNs(NodeMetrics.Stage.QUORUM, 40_000_000);   // 40 ms
        final Map<Map<String, String>, PromHistogram> series = PromHistogram.parse(metrics.render(), StageBreakdown.METRIC);
        assertEquals(NodeMetrics.Stage.values().length, series.size(), "one series per stage");
        final PromHistogram quorum = series.get(Map.of("shard", "1", "validator", "2", "stage", "quorum"));
        assertEquals(3, quorum.count());
        assertEquals(0.0432, quorum.sum(), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, quorum.upperBounds()[quorum.upperBounds().length - 1]);
        // The median (rank 1.5) is in the bucket (2 ms, 3 ms] that holds the 3 ms value.
        assertTrue(quorum.quantile(0.5) > 0.002 && quorum.quantile(0.5) <= 0.003, "p50 " + quorum.quantile(0.5));
        assertEquals(0, series.get(Map.of("shard", "1", "validator", "2", "stage", "deliver")).count());
    }

    @Test
    void toleratesEscapesTimestampsAndOddSpacing() {
        final String text = "m_bucket{path=\"a\\\"b\",le=\"1\"} 2 1700000000000\n"
            + "m_bucket{path=\"a\\\"b\",le=\"+Inf\"} 3\nm_sum{path=\"a\\\"b\"} 4.5\nm_count{path=\"a\\\"b\"} 3\n"
            + "m_bucket{broken 1\n";
        final PromHistogram h = PromHistogram.parse(text, "m").get(Map.of("path", "a\"b"));
        assertArrayEquals(new long[] {2, 3}, h.cumulative());
        assertEquals(1.5, h.mean(), 1e-12);
    }

    @Test
    void seriesWithoutInfBucketIsDropped() {
        assertTrue(PromHistogram.parse("m_bucket{le=\"1\"} 2\n", "m").isEmpty());
    }

    @Test
    void quantileInterpolatesWithinTheBucketLikeHistogramQuantile() {
        final PromHistogram h = new PromHistogram(new double[] {1, 2, 4, Double.POSITIVE_INFINITY},
            new long[] {10, 30, 40, 40}, 70, 40);
        // rank 20 of 40 falls in (1, 2]: 10 below, 20 inside, so half-way: 1.5.
        assertEquals(1.5, h.quantile(0.5), 1e-12);
        // rank 39.6 in (2, 4]: 30 below, 10 inside: 2 + 2 × 9.6/10.
        assertEquals(3.92, h.quantile(0.99), 1e-12);
        // The first bucket interpolates from 0.
        assertEquals(0.5, h.quantile(0.125), 1e-12);
        assertEquals(70.0 / 40, h.mean(), 1e-12);
    }

    @Test
    void quantileInTheInfBucketAnswersTheHighestFiniteBound() {
        final PromHistogram h = new PromHistogram(new double[] {1, 2, Double.POSITIVE_INFINITY},
            new long[] {1, 2, 10}, 100, 10);
        assertEquals(2, h.quantile(0.99), 1e-12);
        assertTrue(Double.isNaN(new PromHistogram(new double[] {1, Double.POSITIVE_INFINITY}, new long[] {0, 0}, 0, 0)
            .quantile(0.5)));
    }

    @Test
    void deltaSubtractsTheEarlierSnapshotAndPlusMerges() {
        final Map<Map<String, String>, PromHistogram> delta = PromHistogram.delta(
            PromHistogram.parse(BEFORE, "basalt_stage_seconds"), PromHistogram.parse(AFTER, "basalt_stage_seconds"));
        final PromHistogram queued = delta.get(Map.of("shard", "0", "validator", "0", "stage", "queued"));
        assertArrayEquals(new long[] {0, 50, 90, 100}, queued.cumulative());
        assertEquals(100, queued.count());
        assertEquals(0.17, queued.sum(), 1e-12);
        // Absent before: all of it.
        assertEquals(4, delta.get(Map.of("shard", "0", "validator", "0", "stage", "deliver")).count());
        final PromHistogram twice = queued.plus(queued);
        assertArrayEquals(new long[] {0, 100, 180, 200}, twice.cumulative());
    }

    @Test
    void stageBreakdownSumsValidatorsAndOrdersStages() {
        final String otherValidator = AFTER.replace("validator=\"0\"", "validator=\"1\"");
        final StageBreakdown stages = StageBreakdown.between(List.of(BEFORE, ""), List.of(AFTER, otherValidator));
        assertTrue(stages.present());
        assertEquals(List.of("queued", "deliver"), stages.rows().stream().map(StageBreakdown.Row::stage).toList());
        final StageBreakdown.Row queued = stages.rows().getFirst();
        assertEquals(100 + 130, queued.count());
        // Merged buckets 0.0005:10 0.001:120 0.002:210 +Inf:230; rank 115 lies in (0.0005, 0.001].
        assertEquals(1e3 * (0.0005 + 0.0005 * (115 - 10) / 110.0), queued.p50Ms(), 1e-9);
        assertEquals(1e3 * (0.17 + 0.2) / 230, queued.meanMs(), 1e-9);
        assertTrue(stages.markdown("x").contains("| queued | 230 |"));
    }

    @Test
    void missingMetricIsReportedNotFailed() {
        final StageBreakdown stages = StageBreakdown.between(List.of("basalt_mempool_transactions 0\n"),
            List.of("basalt_mempool_transactions 3\n"));
        assertFalse(stages.present());
        assertTrue(stages.markdown("").contains("no `basalt_stage_seconds` histogram"));
    }
}
