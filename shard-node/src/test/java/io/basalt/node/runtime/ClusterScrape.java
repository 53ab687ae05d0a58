package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.crypto.KeyFiles;
import io.basalt.node.config.Genesis;
import io.basalt.node.gateway.HttpGateway;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What a running validator's {@code GET /metrics} answers: a 2 × 4 cluster (so the cross-shard
 * series are there) runs, validator 0 of shard 0 gets an HTTP gateway, and its scrape is kept. Taken
 * once per test JVM: the tests that read it only read it, and a cluster start is the costly part.
 */
final class ClusterScrape {
    private static String body;

    private ClusterScrape() {
    }

    static synchronized String body() throws Exception {
        if (body == null) {
            body = scrape();
        }
        return body;
    }

    private static String scrape() throws Exception {
        final Path dir = Files.createTempDirectory("basalt-scrape");
        try {
            try (LocalCluster cluster = LocalCluster.start(2, 4, dir.resolve("cluster"), false, false)) {
                final Genesis genesis = Genesis.read(ClusterFiles.genesisFile(dir.resolve("cluster")));
                try (HttpGateway gateway = new HttpGateway(cluster.nodes().getFirst(),
                    new InetSocketAddress("127.0.0.1", 0), KeyFiles.read(ClusterFiles.faucetKey(dir.resolve("cluster"), 0)),
                    genesis)) {
                    gateway.start();
                    final HttpClient http = HttpClient.newHttpClient();
                    final URI base = URI.create("http://127.0.0.1:" + gateway.port());
                    http.send(HttpRequest.newBuilder(base.resolve("/v1/status")).build(), HttpResponse.BodyHandlers.ofString());
                    final HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, scrape.statusCode());
                    assertEquals("text/plain; version=0.0.4; charset=utf-8",
                        scrape.headers().firstValue("content-type").orElse(""));
                    return scrape.body();
                }
            }
        } finally {
            delete(dir);
        }
    }

    private static void delete(final Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
