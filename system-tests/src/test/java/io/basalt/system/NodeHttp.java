package io.basalt.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP API of one validator (docs/api.md), as much of it as the process tests need. Every call
 * has a timeout; a validator that is down answers with an exception (or null from the
 * {@code ...OrNull} variants), never with a hang.
 */
final class NodeHttp implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** GET /v1/status, the fields the tests compare. */
    record Status(int validator, long committedHeight, long executedHeight, long round, String stateDigest,
                  long consensusTimeMs, boolean ready, int networkId, long fee, int shardId, int shardCount) {
    }

    /** The answer to POST /v1/transactions: HTTP status, txId (when known) and the body's code or status. */
    record Submitted(int httpStatus, String txId, String code) {
        boolean accepted() {
            return httpStatus == 202;
        }
    }

    /**
     * GET /v1/transactions/{txId}: state, result (for COMMITTED: the execution's; for SETTLED: the
     * cross-shard outcome's) and height.
     */
    record Tx(String state, String result, long height) {
        boolean committed() {
            return "COMMITTED".equals(state);
        }

        boolean settled() {
            return "SETTLED".equals(state);
        }

        /** Executed here: COMMITTED, or SETTLED (a cross-shard transaction that went on to settle). */
        boolean executed() {
            return committed() || settled();
        }
    }

    private final int validator;
    private final URI base;
    private final HttpClient client;

    NodeHttp(final int validator, final String hostPort) {
        this.validator = validator;
        this.base = URI.create("http://" + hostPort);
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    }

    int validator() {
        return validator;
    }

    URI base() {
        return base;
    }

    Status status() throws IOException, InterruptedException {
        final JsonNode body = JSON.readTree(get("/v1/status").body());
        return new Status(validator, body.get("committedHeight").asLong(), body.get("executedHeight").asLong(),
            body.get("round").asLong(), body.get("stateDigest").asText(), body.get("consensusTimeMs").asLong(),
            body.get("ready").asBoolean(), (int) body.get("networkId").asLong(), body.get("fee").asLong(),
            body.path("shardId").asInt(0), body.path("shardCount").asInt(1));
    }

    /** The status, or null when the validator does not answer (down, starting). */
    Status statusOrNull() throws InterruptedException {
        try {
            return status();
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }

    /** GET /v1/network: the genesis shard map, as JSON. */
    JsonNode network() throws IOException, InterruptedException {
        return JSON.readTree(get("/v1/network").body());
    }

    Submitted submit(final byte[] tx) throws IOException, InterruptedException {
        return parseSubmitted(client.send(postTx(tx), HttpResponse.BodyHandlers.ofString()));
    }

    CompletableFuture<Submitted> submitAsync(final byte[] tx) {
        return client.sendAsync(postTx(tx), HttpResponse.BodyHandlers.ofString()).thenApply(NodeHttp::parseSubmitted);
    }

    Tx tx(final String txId) throws IOException, InterruptedException {
        return parseTx(get("/v1/transactions/" + txId));
    }

    CompletableFuture<Tx> txAsync(final String txId) {
        return client.sendAsync(request("/v1/transactions/" + txId).GET().build(), HttpResponse.BodyHandlers.ofString())
            .thenApply(NodeHttp::parseTx);
    }

    /**
     * Non-zero balances of an account by asset id. A validator knows only its own shard's accounts:
     * asking one of another shard is a test bug, refused here rather than read as zero.
     */
    Map<Integer, Long> balances(final byte[] account) throws IOException, InterruptedException {
        final JsonNode body = JSON.readTree(get("/v1/accounts/" + HexFormat.of().formatHex(account) + "/balances").body());
        if (body.path("shard").asInt(0) != body.path("nodeShard").asInt(0)) {
            throw new IllegalStateException("asked " + base + " (shard " + body.path("nodeShard") + ") for an account of shard "
                + body.path("shard"));
        }
        final Map<Integer, Long> balances = new TreeMap<>();
        for (final Map.Entry<String, JsonNode> field : body.get("balances").properties()) {
            // Amounts are unsigned 64-bit; the tests' amounts stay far below 2^63.
            balances.put(Integer.parseInt(field.getKey()), Long.parseUnsignedLong(field.getValue().asText()));
        }
        return balances;
    }

    long balance(final byte[] account, final int asset) throws IOException, InterruptedException {
        return balances(account).getOrDefault(asset, 0L);
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        final HttpResponse<String> response = client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + base + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private HttpRequest postTx(final byte[] tx) {
        final String body = "{\"tx\":\"" + HexFormat.of().formatHex(tx) + "\"}";
        return request("/v1/transactions")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private HttpRequest.Builder request(final String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private static Submitted parseSubmitted(final HttpResponse<String> response) {
        try {
            final JsonNode body = JSON.readTree(response.body());
            final String code = body.hasNonNull("code") ? body.get("code").asText()
                : body.hasNonNull("status") ? body.get("status").asText() : "";
            final String txId = body.hasNonNull("txId") ? body.get("txId").asText() : null;
            return new Submitted(response.statusCode(), txId, code);
        } catch (final IOException e) {
            return new Submitted(response.statusCode(), null, "UNPARSEABLE " + response.body());
        }
    }

    private static Tx parseTx(final HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET transaction answered " + response.statusCode() + ": " + response.body());
        }
        try {
            final JsonNode body = JSON.readTree(response.body());
            return new Tx(body.get("state").asText(), body.hasNonNull("result") ? body.get("result").asText() : null,
                body.get("height").asLong());
        } catch (final IOException e) {
            throw new IllegalStateException("unparseable transaction status: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
