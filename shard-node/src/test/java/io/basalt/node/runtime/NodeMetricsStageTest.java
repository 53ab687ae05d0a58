package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.metrics.PromText;
import io.basalt.node.metrics.ValidatorRegistry;
import io.basalt.node.net.TransportCounters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The per-stage latency histogram in the Prometheus text: structure, bucket placement, cumulative scrapes. */
class NodeMetricsStageTest {
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final String NAME = "basalt_stage_seconds";

    private final NodeMetrics metrics = new NodeMetrics(3, 1, new TransportCounters());

    /** One stage's series as a scrape shows them. */
    record Series(List<Double> bounds, List<Long> buckets, double sum, long count) {
        long bucket(final double le) {
            for (int i = 0; i < bounds.size(); i++) {
                if (bounds.get(i) == le) {
                    return buckets.get(i);
                }
            }
            throw new AssertionError("no bucket le=" + le + " in " + bounds);
        }
    }

    /** Each stage's series of a scrape read by the strict parser (which checks cumulative buckets and +Inf = _count). */
    private static Map<String, Series> parse(final String text) {
        final PromText.Family family = PromText.parse(text).get(NAME);
        assertNotNull(family, "no " + NAME + " family");
        assertEquals("histogram", family.type());
        final Map<String, Series> out = new LinkedHashMap<>();
        for (final PromText.Sample sample : family.samples()) {
            assertEquals("3", sample.labels().get("shard"), sample.toString());
            assertEquals("1", sample.labels().get("validator"), sample.toString());
            final String stage = sample.labels().get("stage");
            assertNotNull(stage, sample.toString());
            if (out.containsKey(stage)) {
                continue;
            }
            final Map<String, String> series = Map.of("shard", "3", "validator", "1", "stage", stage);
            final TreeMap<Double, Long> buckets = family.buckets(series);
            out.put(stage, new Series(new ArrayList<>(buckets.keySet()), new ArrayList<>(buckets.values()),
                family.value(NAME + "_sum", series), (long) family.value(NAME + "_count", series)));
        }
        return out;
    }

    /** The invariants of a Prometheus histogram, for every stage of a scrape. */
    private static void assertWellFormed(final Map<String, Series> scrape) {
        assertEquals(NodeMetrics.Stage.values().length, scrape.size(), "one series per stage: " + scrape.keySet());
        final double[] bounds = ValidatorRegistry.LATENCY_BUCKETS;
        for (final NodeMetrics.Stage stage : NodeMetrics.Stage.values()) {
            final Series s = scrape.get(stage.label);
            assertNotNull(s, "stage " + stage.label + " missing");
            assertEquals(bounds.length + 1, s.bounds().size());
            for (int i = 0; i < bounds.length; i++) {
                assertEquals(bounds[i], s.bounds().get(i), 1e-12, "bounds in order");
            }
            assertEquals(Double.POSITIVE_INFINITY, s.bounds().get(s.bounds().size() - 1), "the last bucket is +Inf");
            for (int i = 1; i < s.buckets().size(); i++) {
                assertTrue(s.buckets().get(i) >= s.buckets().get(i - 1), stage.label + " buckets must be cumulative: "
                    + s.buckets());
            }
            assertEquals(s.count(), s.buckets().get(s.buckets().size() - 1), stage.label + ": +Inf equals _count");
            assertTrue(s.sum() >= 0);
        }
    }

    @Test
    void bucketsPlaceEachValueUnderItsBound() {
        metrics.recordStageNs(NodeMetrics.Stage.ADMISSION, 200 * US);
        metrics.recordStageNs(NodeMetrics.Stage.ADMISSION, 700 * US);
        metrics.recordStageNs(NodeMetrics.Stage.ADMISSION, 40 * MS);
        metrics.recordStageNs(NodeMetrics.Stage.COMMIT, 3_000 * MS);
        metrics.recordStageNs(NodeMetrics.Stage.EXECUTE, -5); // clocks of two threads: counts as 0

        final Map<String, Series> scrape = parse(metrics.render());
        assertWellFormed(scrape);

        final Series admission = scrape.get("admission");
        assertEquals(0, admission.bucket(0.0001));
        assertEquals(1, admission.bucket(0.00025));
        assertEquals(1, admission.bucket(0.0005));
        assertEquals(2, admission.bucket(0.001));
        assertEquals(2, admission.bucket(0.025));
        assertEquals(3, admission.bucket(0.05));
        assertEquals(3, admission.bucket(10));
        assertEquals(3, admission.count());
        assertEquals(0.0409, admission.sum(), 0.0409 * 0.01, "the sum of 0.2 + 0.7 + 40 ms");

        final Series commit = scrape.get("commit");
        assertEquals(0, commit.bucket(2.5), "3 s is above 2.5 s");
        assertEquals(1, commit.bucket(5));
        assertEquals(1, commit.count());
        assertEquals(3.0, commit.sum(), 0.03);

        final Series execute = scrape.get("execute");
        assertEquals(1, execute.bucket(0.00005), "a negative span is 0, in the first bucket");
        assertEquals(1, execute.count());

        for (final String idle : List.of("queued", "quorum", "deliver")) {
            assertEquals(0, scrape.get(idle).count(), idle);
            assertEquals(0.0, scrape.get(idle).sum(), idle);
        }
    }

    @Test
    void scrapesAreCumulative() {
        metrics.recordStageNs(NodeMetrics.Stage.QUORUM, 200 * US);
        metrics.recordStageNs(NodeMetrics.Stage.QUORUM, 700 * US);
        final Series first = parse(metrics.render()).get("quorum");
        assertEquals(2, first.count());

        final Series again = parse(metrics.render()).get("quorum");
        assertEquals(first.buckets(), again.buckets(), "a scrape with nothing new reports the same, not twice or zero");
        assertEquals(first.sum(), again.sum(), 1e-9);

        metrics.recordStageNs(NodeMetrics.Stage.QUORUM, 40 * MS);
        metrics.recordStageNs(NodeMetrics.Stage.DELIVER, 1 * MS);
        final Map<String, Series> third = parse(metrics.render());
        assertWellFormed(third);
        final Series quorum = third.get("quorum");
        assertEquals(3, quorum.count(), "the earlier two plus the new one");
        assertEquals(1, quorum.bucket(0.00025));
        assertEquals(2, quorum.bucket(0.001));
        assertEquals(3, quorum.bucket(0.05));
        assertEquals(0.0409, quorum.sum(), 0.0409 * 0.01);
        assertEquals(1, third.get("deliver").count());
        assertEquals(1, third.get("deliver").bucket(0.001));
        assertEquals(0, third.get("deliver").bucket(0.0005));
    }

    @Test
    void manyValuesKeepTheSumAndCountExact() {
        for (int i = 1; i <= 1_000; i++) {
            metrics.recordStageNs(NodeMetrics.Stage.QUEUED, i * US); // 1 µs .. 1 ms
        }
        final Series queued = parse(metrics.render()).get("queued");
        assertEquals(1_000, queued.count());
        assertEquals(50, queued.bucket(0.00005));
        assertEquals(100, queued.bucket(0.0001));
        assertEquals(250, queued.bucket(0.00025));
        assertEquals(500, queued.bucket(0.0005));
        assertEquals(1_000, queued.bucket(0.001));
        // 1 + 2 + ... + 1000 µs = 0.5005 s
        assertEquals(0.5005, queued.sum(), 0.5005 * 0.002);
    }
}
