package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.NodeStatus;
import io.basalt.node.config.Genesis;
import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.json describes the HTTP API a running validator serves: every operation is called
 * (successes and errors), every answer's status must be one the description lists for that
 * operation, its content type the one described, and its JSON body must match the schema (types,
 * required and only the described properties, enums, patterns, bounds).
 */
class OpenApiContractTest {
    private static final Path SPEC = Path.of("..", "docs", "openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode spec;
    private final List<String> problems = new ArrayList<>();
    private final TreeSet<String> covered = new TreeSet<>();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theRunningServerAnswersAsDescribed() throws Exception {
        spec = JSON.readTree(SPEC.toFile());
        assertEquals("3.1.0", spec.get("openapi").asText());
        final Path data = dir.resolve("cluster");
        try (LocalCluster cluster = LocalCluster.start(1, 4, data, false, false)) {
            final Genesis genesis = Genesis.read(ClusterFiles.genesisFile(data));
            final KeyPair faucet = KeyFiles.read(ClusterFiles.faucetKey(data, 0));
            try (HttpGateway gateway = new HttpGateway(cluster.nodes().getFirst(), new InetSocketAddress("127.0.0.1", 0),
                faucet, genesis)) {
                gateway.start();
                final URI base = URI.create("http://127.0.0.1:" + gateway.port());
                final HttpClient http = HttpClient.newHttpClient();
                awaitReady(http, base);
                final NodeStatus status = cluster.nodes().getFirst().status();
                final byte[] tx = transfer(faucet, genesis, status.consensusTimeMs() + 30_000);
                final String txId = Hex.encode(HttpGateway.txId(tx));
                final String body = "{\"tx\":\"" + Hex.encode(tx) + "\"}";
                final String account = faucet.publicKeyHex();

                call(http, base, "POST", "/v1/transactions", "/v1/transactions", body, 202);
                call(http, base, "POST", "/v1/transactions", "/v1/transactions", body, 409);
                call(http, base, "POST", "/v1/transactions", "/v1/transactions", "{\"tx\":\"zz\"}", 400);
                callTyped(http, base, "POST", "/v1/transactions", "/v1/transactions", body, "text/plain", 415);
                call(http, base, "GET", "/v1/transactions/{txId}", "/v1/transactions/" + txId, null, 200);
                call(http, base, "GET", "/v1/transactions/{txId}", "/v1/transactions/abc", null, 400);
                call(http, base, "GET", "/v1/accounts/{address}/balances", "/v1/accounts/" + account + "/balances", null, 200);
                call(http, base, "GET", "/v1/accounts/{address}/balances", "/v1/accounts/12/balances", null, 400);
                call(http, base, "GET", "/v1/status", "/v1/status", null, 200);
                call(http, base, "DELETE", "/v1/status", "/v1/status", null, 405);
                call(http, base, "GET", "/v1/network", "/v1/network", null, 200);
                call(http, base, "GET", "/v1/cluster", "/v1/cluster", null, 200);
                call(http, base, "POST", "/v1/cluster", "/v1/cluster", "{}", 405);
                call(http, base, "GET", "/dashboard/", "/dashboard/", null, 200);
                for (final String file : List.of("dashboard.js", "dashboard.css", "favicon.svg")) {
                    call(http, base, "GET", "/dashboard/{file}", "/dashboard/" + file, null, 200);
                }
                call(http, base, "GET", "/dashboard/{file}", "/dashboard/dashboard.js/x", null, 404);
                call(http, base, "GET", "/dashboard/{file}", "/dashboard/nope.html", null, 404);
                call(http, base, "POST", "/v1/faucet", "/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":7}", 202);
                call(http, base, "POST", "/v1/faucet", "/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":0}", 400);
                call(http, base, "GET", "/v1/stream", "/v1/stream", null, 426);
                call(http, base, "GET", "/metrics", "/metrics", null, 200);
                call(http, base, "GET", "/health", "/health", null, 200);
                call(http, base, "GET", "/ready", "/ready", null, 200);
                // A path the description does not have: the documented error shape all the same.
                final HttpResponse<String> unknown = send(http, base, "GET", "/nope", null, null);
                assertEquals(404, unknown.statusCode());
                validate("GET /nope", JSON.readTree(unknown.body()), ref("Error"), "$");
                // The committed transfer is reported as described too.
                awaitCommitted(http, base, txId);
            }
        }
        final TreeSet<String> operations = new TreeSet<>();
        for (final Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            final Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey()));
        }
        assertTrue(covered.containsAll(operations), "operations never called: " + difference(operations, covered));
        assertEquals(List.of(), problems, "answers that differ from docs/openapi.json");
    }

    private void awaitReady(final HttpClient http, final URI base) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (send(http, base, "GET", "/ready", null, null).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("validator not ready");
    }

    private void awaitCommitted(final HttpClient http, final URI base, final String txId) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            final JsonNode status = call(http, base, "GET", "/v1/transactions/{txId}", "/v1/transactions/" + txId, null, 200);
            if ("COMMITTED".equals(status.path("state").asText())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("transfer " + txId + " never committed");
    }

    private JsonNode call(final HttpClient http, final URI base, final String method, final String template,
                          final String path, final String body, final int expected) throws Exception {
        return callTyped(http, base, method, template, path, body, body == null ? null : "application/json", expected);
    }

    /** Sends one request, checks it against the operation's description, returns the JSON body (or null). */
    private JsonNode callTyped(final HttpClient http, final URI base, final String method, final String template,
                               final String path, final String body, final String contentType, final int expected)
        throws Exception {
        final HttpResponse<String> response = send(http, base, method, path, body, contentType);
        final String what = method + " " + path + " -> " + response.statusCode();
        assertEquals(expected, response.statusCode(), what + ": " + response.body());
        covered.add(method + " " + template);
        final JsonNode operation = spec.get("paths").path(template).path(method.toLowerCase());
        final JsonNode described = operation.path("responses").path(Integer.toString(response.statusCode()));
        if (described.isMissingNode()) {
            // A method the path does not have answers 405 with the error shape.
            if (operation.isMissingNode() && response.statusCode() == 405) {
                final JsonNode json = JSON.readTree(response.body());
                validate(what, json, ref("Error"), "$");
                return json;
            }
            problems.add(what + ": status not described for " + method + " " + template);
            return null;
        }
        final JsonNode content = described.path("content");
        if (content.isMissingNode()) {
            return null;
        }
        // An answer may be any of the media types described (the dashboard's files are of several).
        final String actualType = response.headers().firstValue("Content-Type").orElse("");
        final List<String> mediaTypes = new ArrayList<>();
        content.fieldNames().forEachRemaining(mediaTypes::add);
        final String mediaType = mediaTypes.stream().filter(actualType::startsWith).findFirst().orElse(null);
        if (mediaType == null) {
            problems.add(what + ": Content-Type " + actualType + ", described " + mediaTypes);
            return null;
        }
        if (!mediaType.equals("application/json")) {
            return null;
        }
        final JsonNode json = JSON.readTree(response.body());
        validate(what, json, content.get(mediaType).get("schema"), "$");
        return json;
    }

    private static HttpResponse<String> send(final HttpClient http, final URI base, final String method, final String path,
                                             final String body, final String contentType) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(java.time.Duration.ofSeconds(10));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The subset of JSON Schema the description uses: $ref, type, required, properties, additionalProperties, items, enum, pattern, minimum, maximum. */
    private void validate(final String what, final JsonNode value, final JsonNode schema, final String at) {
        if (schema.has("$ref")) {
            final String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            validate(what, value, spec.get("components").get("schemas").get(name), at);
            return;
        }
        final String type = schema.path("type").asText("");
        final boolean typeOk = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!typeOk) {
            problems.add(what + ": " + at + " is " + value.getNodeType() + ", described " + type);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (final JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                problems.add(what + ": " + at + " = " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            problems.add(what + ": " + at + " = " + value + " does not match " + schema.get("pattern").asText());
        }
        if (schema.has("minimum") && value.isNumber() && value.asLong() < schema.get("minimum").asLong()) {
            problems.add(what + ": " + at + " = " + value + " below " + schema.get("minimum"));
        }
        if (schema.has("maximum") && value.isNumber() && value.asLong() > schema.get("maximum").asLong()) {
            problems.add(what + ": " + at + " = " + value + " above " + schema.get("maximum"));
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(what, value.get(i), schema.get("items"), at + "[" + i + "]");
            }
        }
        if (value.isObject()) {
            for (final JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(what + ": " + at + " lacks required '" + required.asText() + "'");
                }
            }
            final JsonNode properties = schema.path("properties");
            final JsonNode additional = schema.path("additionalProperties");
            for (final Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                final Map.Entry<String, JsonNode> field = fields.next();
                if (properties.has(field.getKey())) {
                    validate(what, field.getValue(), properties.get(field.getKey()), at + "." + field.getKey());
                } else if (additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(what + ": " + at + " has '" + field.getKey() + "', which is not described");
                } else if (additional.isObject()) {
                    validate(what, field.getValue(), additional, at + "." + field.getKey());
                }
            }
        }
    }

    private static JsonNode ref(final String name) {
        return JSON.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    private static TreeSet<String> difference(final TreeSet<String> all, final TreeSet<String> seen) {
        final TreeSet<String> missing = new TreeSet<>(all);
        missing.removeAll(seen);
        return missing;
    }

    private static byte[] transfer(final KeyPair from, final Genesis genesis, final long expiryMs) {
        final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final byte[] to = TestTransactions.key(77).publicKey();
        final int length = new TransactionEncoding().encodeTransfer(buffer, 0, genesis.networkId(), genesis.fee(),
            System.nanoTime(), expiryMs, from.publicKey(), to, 0, 5);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        TestTransactions.ED25519.sign(from, tx, 0, SignedRegion.signedLength(buffer, 0, length), signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return tx;
    }
}
