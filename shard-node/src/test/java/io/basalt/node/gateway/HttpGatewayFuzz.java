package io.basalt.node.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.node.config.HttpLimits;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the HTTP gateway's request bodies (docs/fuzzing.md): the JSON of
 * {@code POST /v1/transactions} (hex, then the canonical transaction decoder) and {@code POST /v1/faucet}
 * (address and amount), sent over a real connection to a gateway on a {@link FakeNode}. Contract: any
 * body is answered 202 with a txId, or 4xx with the documented JSON error ({@code code}, {@code message});
 * never 5xx, never HTML.
 *
 * <p>Input: byte 0 picks the route (even: transactions, odd: faucet), the rest is the body. The rate
 * limits are raised so that the fuzzer's own speed is not what it measures (HttpGatewayAbuseTest tests them).
 */
final class HttpGatewayFuzz {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpLimits LIMITS = new HttpLimits(30_000, 3_000, 1_024, 32, 1_000_000_000, 128, true,
        1_000_000_000, HttpLimits.NO_LIVENESS_PORT);
    private static HttpGateway gateway;
    private static HttpClient http;
    private static URI base;

    @FuzzTest(maxDuration = "60s")
    void body(final byte[] data) throws Exception {
        start();
        if (data.length == 0) {
            return;
        }
        final String path = (data[0] & 1) == 0 ? "/v1/transactions" : "/v1/faucet";
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, 1, data.length)))
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        final int status = response.statusCode();
        assertTrue(status == 202 || (status >= 400 && status < 500), "status " + status + ": " + response.body());
        final JsonNode json = JSON.readTree(response.body());
        assertTrue(json.isObject(), response.body());
        if (status == 202) {
            assertEquals(64, json.path("txId").asText().length(), response.body());
        } else {
            assertTrue(json.path("code").isTextual() && json.path("message").isTextual(), response.body());
        }
    }

    /** One gateway for the whole run (Jazzer calls the target millions of times); the JVM's exit ends it. */
    private static synchronized void start() {
        if (gateway != null) {
            return;
        }
        gateway = new HttpGateway(new FakeNode(), new InetSocketAddress("127.0.0.1", 0), TestTransactions.key(3),
            TestTransactions.genesis(), LIMITS);
        gateway.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = URI.create("http://127.0.0.1:" + gateway.port());
    }
}
