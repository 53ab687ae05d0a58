package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.node.metrics.PromText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * deploy/grafana/dashboards/basalt.json queries only what a node exports: a 2 × 4 cluster runs, one
 * validator's HTTP gateway is scraped ({@link ClusterScrape}), and every metric name the dashboard's
 * expressions use must be in the scrape, with every label its {@code by (...)} groups on.
 */
class DeployDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "basalt.json");
    private static final Pattern METRIC = Pattern.compile("\\bbasalt_[a-z0-9_]+");
    private static final Pattern BY = Pattern.compile("by \\(([a-z_, ]+)\\)");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        final List<String> expressions = new ArrayList<>();
        for (final JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            for (final JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asText());
            }
        }
        assertFalse(expressions.isEmpty(), "no queries in " + DASHBOARD);

        final Map<String, Set<String>> exported = series(ClusterScrape.body());

        final Map<String, String> missing = new TreeMap<>();
        for (final String expr : expressions) {
            final Set<String> groupedBy = new HashSet<>();
            final Matcher by = BY.matcher(expr);
            while (by.find()) {
                for (final String label : by.group(1).split(",")) {
                    groupedBy.add(label.strip());
                }
            }
            groupedBy.remove("le");
            final Matcher metric = METRIC.matcher(expr);
            while (metric.find()) {
                final Set<String> labels = exported.get(metric.group());
                if (labels == null) {
                    missing.put(metric.group(), "not exported (" + expr + ")");
                } else if (!labels.containsAll(groupedBy)) {
                    missing.put(metric.group(), "lacks a label of " + groupedBy + ", has " + labels + " (" + expr + ")");
                }
            }
        }
        assertEquals(Map.of(), missing, "dashboard queries that no node answers");
        assertTrue(exported.containsKey("basalt_stage_seconds_bucket"), "the stage histogram has buckets");
    }

    /** Series name (a histogram's {@code _bucket}, {@code _sum} and {@code _count} each) to the labels seen on it. */
    private static Map<String, Set<String>> series(final String text) {
        final Map<String, Set<String>> series = new HashMap<>();
        for (final PromText.Family family : PromText.parse(text).values()) {
            for (final PromText.Sample sample : family.samples()) {
                series.computeIfAbsent(sample.name(), k -> new HashSet<>()).addAll(sample.labels().keySet());
            }
        }
        return series;
    }
}
