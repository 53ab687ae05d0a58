package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.KeyFiles;
import io.basalt.node.config.Genesis;
import io.basalt.node.gateway.HttpGateway;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/grafana/dashboards/basalt.json queries only what a node exports: a 2 × 4 cluster runs, one
 * validator's HTTP gateway is scraped, and every metric name the dashboard's expressions use must
 * be in the scrape, with every label its {@code by (...)} groups on.
 */
class DeployDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "dashboards", "basalt.json");
    private static final Pattern METRIC = Pattern.compile("\\bbasalt_[a-z0-9_]+");
    private static final Pattern BY = Pattern.compile("by \\(([a-z_, ]+)\\)");
    private static final Pattern SERIES = Pattern.compile("^(basalt_[a-z0-9_]+)(?:\\{([^}]*)})? ");

    @TempDir
    Path dir;

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

        final Map<String, Set<String>> exported;
        try (LocalCluster cluster = LocalCluster.start(2, 4, dir.resolve("cluster"), false, false)) {
            final Genesis genesis = Genesis.read(ClusterFiles.genesisFile(dir.resolve("cluster")));
            try (HttpGateway gateway = new HttpGateway(cluster.nodes().getFirst(), new InetSocketAddress("127.0.0.1", 0),
                KeyFiles.read(ClusterFiles.faucetKey(dir.resolve("cluster"), 0)), genesis)) {
                gateway.start();
                final HttpClient http = HttpClient.newHttpClient();
                final URI base = URI.create("http://127.0.0.1:" + gateway.port());
                http.send(HttpRequest.newBuilder(base.resolve("/v1/status")).build(), HttpResponse.BodyHandlers.ofString());
                final HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, scrape.statusCode());
                exported = series(scrape.body());
            }
        }

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

    /** Series name to the labels seen on it. */
    private static Map<String, Set<String>> series(final String text) {
        final Map<String, Set<String>> series = new HashMap<>();
        for (final String line : text.split("\n")) {
            final Matcher m = SERIES.matcher(line);
            if (!m.find()) {
                continue;
            }
            final Set<String> labels = series.computeIfAbsent(m.group(1), k -> new HashSet<>());
            if (m.group(2) != null) {
                for (final String pair : m.group(2).split(",")) {
                    final int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.add(pair.substring(0, eq).strip());
                    }
                }
            }
        }
        return series;
    }
}
