package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.metrics.PromText;
import io.basalt.node.net.TransportCounters;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A validator's registry as its scrape shows it, read by the strict parser: two validators in one
 * JVM keep apart, every series is labelled, counts match what was recorded, and the JVM, process and
 * build metrics are in each validator's scrape.
 */
class NodeMetricsRegistryTest {
    private static final Map<String, String> A = Map.of("shard", "0", "validator", "1");
    private static final Map<String, String> B = Map.of("shard", "1", "validator", "3");

    private final NodeMetrics a = new NodeMetrics(0, 1, new TransportCounters());
    private final NodeMetrics b = new NodeMetrics(1, 3, new TransportCounters());

    @Test
    void twoValidatorsInOneJvmEachExportOnlyTheirOwnLabelledSeries() {
        a.submitted.addAndGet(5);
        a.rejected(RejectCode.DUPLICATE);
        b.submitted.addAndGet(7);
        b.round = 12;
        final Map<String, PromText.Family> scrapeA = PromText.parse(a.render());
        final Map<String, PromText.Family> scrapeB = PromText.parse(b.render());

        assertEquals(5.0, scrapeA.get("basalt_tx_submitted_total").value("basalt_tx_submitted_total", A));
        assertEquals(7.0, scrapeB.get("basalt_tx_submitted_total").value("basalt_tx_submitted_total", B));
        assertEquals(12.0, scrapeB.get("basalt_consensus_round").value("basalt_consensus_round", B));
        assertEquals(1.0, scrapeA.get("basalt_tx_rejected_total").value("basalt_tx_rejected_total",
            Map.of("shard", "0", "validator", "1", "code", "DUPLICATE")));
        assertEquals(0.0, scrapeB.get("basalt_tx_rejected_total").value("basalt_tx_rejected_total",
            Map.of("shard", "1", "validator", "3", "code", "DUPLICATE")));
        assertAllLabelled(scrapeA, A);
        assertAllLabelled(scrapeB, B);
    }

    @Test
    void jvmProcessAndBuildMetricsAreInEachValidatorsScrape() {
        for (final Map.Entry<Map<String, String>, NodeMetrics> entry : Map.of(A, a, B, b).entrySet()) {
            final Map<String, PromText.Family> scrape = PromText.parse(entry.getValue().render());
            final Map<String, String> self = entry.getKey();
            assertTrue(scrape.get("jvm_memory_used_bytes").value("jvm_memory_used_bytes", with(self, "area", "heap")) > 0);
            assertTrue(scrape.get("jvm_threads_current").value("jvm_threads_current", self) > 0);
            assertNotNull(scrape.get("jvm_gc_collection_seconds"), "GC metrics");
            assertTrue(scrape.get("process_cpu_seconds_total").value("process_cpu_seconds_total", self) > 0);
            final PromText.Family build = scrape.get("basalt_build_info");
            assertEquals("gauge", build.type());
            assertEquals(1, build.samples().size());
            assertEquals(1.0, build.samples().getFirst().value());
            assertTrue(build.samples().getFirst().labels().keySet().containsAll(Set.of("version", "revision")));
            final String version = build.samples().getFirst().labels().get("version");
            assertTrue(!version.isEmpty() && !version.contains("${"), "Maven filled in the version: " + version);
        }
    }

    @Test
    void latencyHistogramsCountEveryObservationInCumulativeBuckets() {
        for (int i = 0; i < 40; i++) {
            a.recordAdmissionNs(100_000L * (i + 1)); // 0.1 .. 4 ms
        }
        a.recordCommitNs(12_000_000L);
        a.recordCommitNs(-1); // clocks of two threads: 0, still an event
        a.recordApplyNs(2_000_000_000L);
        a.executed(ExecResult.SUCCESS);
        final Map<String, PromText.Family> scrape = PromText.parse(a.render()); // the parser checks cumulative, +Inf = _count

        final PromText.Family admission = scrape.get("basalt_admission_latency_seconds");
        assertEquals("histogram", admission.type());
        assertEquals(40.0, admission.value("basalt_admission_latency_seconds_count", A));
        final TreeMap<Double, Long> buckets = admission.buckets(A);
        assertEquals(1, buckets.get(0.0001), "0.1 ms is at the 100 µs bound (le is inclusive)");
        assertEquals(10, buckets.get(0.001));
        assertEquals(20, buckets.get(0.002));
        assertEquals(40, buckets.get(0.005));
        assertEquals(40, buckets.get(Double.POSITIVE_INFINITY));
        assertEquals(0.082, admission.value("basalt_admission_latency_seconds_sum", A), 1e-9, "0.1 + 0.2 + ... + 4 ms");

        final PromText.Family commit = scrape.get("basalt_commit_latency_seconds");
        assertEquals(2.0, commit.value("basalt_commit_latency_seconds_count", A));
        assertEquals(1, commit.buckets(A).get(0.00005), "the negative span counts as 0");
        assertEquals(2, commit.buckets(A).get(0.015));
        final PromText.Family apply = scrape.get("basalt_apply_seconds");
        assertEquals(0, apply.buckets(A).get(1.0));
        assertEquals(1, apply.buckets(A).get(2.5));
        assertEquals(1.0, scrape.get("basalt_tx_results_total").value("basalt_tx_results_total",
            with(A, "result", ExecResult.SUCCESS.name())));
    }

    private static void assertAllLabelled(final Map<String, PromText.Family> scrape, final Map<String, String> self) {
        for (final PromText.Family family : scrape.values()) {
            for (final PromText.Sample sample : family.samples()) {
                assertTrue(sample.labels().entrySet().containsAll(self.entrySet()), "not labelled " + self + ": " + sample);
            }
        }
    }

    private static Map<String, String> with(final Map<String, String> labels, final String name, final String value) {
        final Map<String, String> out = new TreeMap<>(labels);
        out.put(name, value);
        return out;
    }
}
