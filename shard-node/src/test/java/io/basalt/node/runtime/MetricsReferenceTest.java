package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.metrics.MetricsDoc;
import io.basalt.node.metrics.PromText;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/metrics.md is the metric reference: its table lists exactly the families a running
 * validator's /metrics answers ({@link ClusterScrape}), each with the type and labels the scrape
 * shows, so the page cannot drift from the code. The Aeron client gateway's rows are held to its
 * registration by {@code AeronClientGatewayTest} instead (the scraped cluster runs without it).
 */
class MetricsReferenceTest {
    private static final Map<String, String> SELF = Map.of("shard", "0", "validator", "0");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theTableListsEveryExportedMetricWithItsTypeAndLabels() throws Exception {
        final Map<String, PromText.Family> scrape = PromText.parse(ClusterScrape.body());
        final Map<String, String> documented = new TreeMap<>();
        MetricsDoc.rows().values().stream().filter(r -> !r.exportedBy().equals(MetricsDoc.AERON_GATEWAY))
            .forEach(r -> documented.put(r.name(), r.signature()));
        final String undocumented = scrape.values().stream().filter(f -> !documented.containsKey(f.name()))
            .map(f -> MetricsDoc.suggestedRow(f, "?")).collect(Collectors.joining("\n"));
        assertEquals(documented, MetricsDoc.signatures(scrape),
            MetricsDoc.DOC + " against a validator's scrape; rows it lacks:\n" + undocumented + "\n");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everySeriesOfAScrapeCarriesItsShardAndValidator() throws Exception {
        final Map<String, PromText.Family> scrape = PromText.parse(ClusterScrape.body());
        for (final PromText.Family family : scrape.values()) {
            for (final PromText.Sample sample : family.samples()) {
                assertTrue(sample.labels().entrySet().containsAll(SELF.entrySet()), "not labelled: " + sample);
            }
        }
        final PromText.Family build = scrape.get("basalt_build_info");
        assertEquals(1.0, build.value("basalt_build_info", SELF));
        assertTrue(build.labelNames().containsAll(Set.of("version", "revision")), build.labelNames().toString());
        assertTrue(scrape.get("jvm_memory_used_bytes").value("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
        assertTrue(scrape.get("process_cpu_seconds_total").value("process_cpu_seconds_total", SELF) > 0);
        assertTrue(scrape.get("basalt_consensus_round").value("basalt_consensus_round", SELF) >= 0);
    }
}
