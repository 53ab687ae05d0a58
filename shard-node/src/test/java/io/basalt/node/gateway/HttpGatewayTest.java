package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.metrics.PromText;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.node.api.TxStatus;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair ALICE = TestTransactions.key(1);
    private static final KeyPair BOB = TestTransactions.key(2);
    private static final KeyPair FAUCET = TestTransactions.key(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeNode node;
    private HttpGateway gateway;
    private URI base;

    @BeforeEach
    void start() {
        node = new FakeNode();
        gateway = new HttpGateway(node, new InetSocketAddress("127.0.0.1", 0), FAUCET, TestTransactions.genesis());
        gateway.start();
        base = URI.create("http://127.0.0.1:" + gateway.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
        http.shutdownNow();
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String path, final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(final HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, json(response).get("code").asText(), response.body());
        assertFalse(json(response).get("message").asText().isEmpty());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertEquals(200, get("/health").statusCode());
        assertEquals("UP", json(get("/health")).get("status").asText());
        assertEquals(200, get("/ready").statusCode());
        node.ready = false;
        assertError(get("/ready"), 503, "NOT_READY");
        assertEquals(200, get("/health").statusCode(), "liveness does not depend on readiness");
    }

    @Test
    void statusCarriesNetworkIdAndFee() throws Exception {
        final JsonNode status = json(get("/v1/status"));
        assertEquals(FakeNode.NETWORK_ID, status.get("networkId").asInt());
        assertEquals(10, status.get("fee").asLong());
        assertEquals(0, status.get("shardId").asInt());
        assertEquals(1, status.get("shardCount").asInt());
        assertEquals(5, status.get("committedHeight").asLong());
        assertTrue(status.get("ready").asBoolean());
        assertEquals(node.consensusTimeMs, status.get("consensusTimeMs").asLong());
    }

    @Test
    void submitAcceptsAValidTransaction() throws Exception {
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 1);
        final HttpResponse<String> response = post("/v1/transactions", "{\"tx\":\"" + Hex.encode(tx) + "\"}");
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(Hex.encode(FakeNode.txId(tx)), json(response).get("txId").asText());
        assertEquals("ACCEPTED", json(response).get("status").asText());
        assertEquals(1, node.submitted.size());
        assertArrayEquals(tx, node.submitted.get(0));
    }

    @Test
    void submitMapsRejectCodesToHttpStatuses() throws Exception {
        final String body = "{\"tx\":\"" + Hex.encode(TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 2)) + "\"}";
        final Map<RejectCode, Integer> expected = Map.of(
            RejectCode.DUPLICATE, 409, RejectCode.OVERLOADED, 429, RejectCode.NOT_READY, 503,
            RejectCode.EXPIRED, 400, RejectCode.BAD_SIGNATURE, 400, RejectCode.WRONG_SHARD, 400);
        for (final Map.Entry<RejectCode, Integer> e : expected.entrySet()) {
            node.nextReject = e.getKey();
            final HttpResponse<String> response = post("/v1/transactions", body);
            assertError(response, e.getValue(), e.getKey().name());
            assertEquals(64, json(response).get("txId").asText().length());
        }
        assertTrue(node.submitted.isEmpty());
    }

    /** A gateway over the same node but a two-shard genesis; closed by the caller. */
    private HttpGateway twoShardGateway() {
        final HttpGateway twoShards = new HttpGateway(node, new InetSocketAddress("127.0.0.1", 0), null, TestTransactions.genesis(2));
        twoShards.start();
        return twoShards;
    }

    private HttpResponse<String> submitTo(final HttpGateway target, final byte[] tx) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + "/v1/transactions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"tx\":\"" + Hex.encode(tx) + "\"}"))
            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWrongShardRefusalNamesTheSendersShard() throws Exception {
        final KeyPair onShard0 = TestTransactions.keyOnShard(0, 2, 10);
        final KeyPair onShard1 = TestTransactions.keyOnShard(1, 2, 10);
        node.nextReject = RejectCode.WRONG_SHARD;
        try (HttpGateway twoShards = twoShardGateway()) {
            final Map<String, byte[]> bySenderShard = new java.util.LinkedHashMap<>();
            bySenderShard.put("1 transfer", TestTransactions.transfer(onShard1, onShard0.publicKey(), 5, 1));
            bySenderShard.put("0 transfer", TestTransactions.transfer(onShard0, onShard1.publicKey(), 5, 2));
            bySenderShard.put("1 create-asset", TestTransactions.createAsset(onShard1, 42, 3));
            bySenderShard.put("1 swap", TestTransactions.swap(onShard1, onShard0, 4));
            bySenderShard.put("0 swap", TestTransactions.swap(onShard0, onShard1, 5));
            for (final Map.Entry<String, byte[]> e : bySenderShard.entrySet()) {
                final int shard = e.getKey().charAt(0) - '0';
                final HttpResponse<String> response = submitTo(twoShards, e.getValue());
                assertError(response, 400, "WRONG_SHARD");
                final JsonNode body = json(response);
                assertEquals(shard, body.get("shard").asInt(), e.getKey() + ": " + response.body());
                assertEquals("the sender's account lives on shard " + shard + "; submit to a validator of shard " + shard,
                    body.get("message").asText());
                assertEquals(Hex.encode(FakeNode.txId(e.getValue())), body.get("txId").asText());
            }
        }
        assertTrue(node.submitted.isEmpty());
    }

    @Test
    void otherRefusalsCarryNoShard() throws Exception {
        node.nextReject = RejectCode.EXPIRED;
        try (HttpGateway twoShards = twoShardGateway()) {
            final JsonNode body = json(submitTo(twoShards, TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 6)));
            assertEquals("EXPIRED", body.get("code").asText());
            assertFalse(body.has("shard"), body.toString());
        }
    }

    @Test
    void networkMapListsEveryValidatorOfEveryShard() throws Exception {
        try (HttpGateway twoShards = twoShardGateway()) {
            final URI network = URI.create("http://127.0.0.1:" + twoShards.port() + "/v1/network");
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(network).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            final JsonNode map = json(response);
            assertEquals(FakeNode.NETWORK_ID, map.get("networkId").asInt());
            assertEquals(2, map.get("shardCount").asInt());
            assertEquals(10, map.get("fee").asLong());
            assertEquals(2, map.get("shards").size());
            for (int s = 0; s < 2; s++) {
                final JsonNode shard = map.get("shards").get(s);
                assertEquals(s, shard.get("shardId").asInt());
                assertEquals(2, shard.get("validators").size());
                for (int v = 0; v < 2; v++) {
                    final JsonNode validator = shard.get("validators").get(v);
                    assertEquals(v, validator.get("index").asInt());
                    assertEquals(TestTransactions.key(100 + 10 * s + v).publicKeyHex(), validator.get("publicKey").asText());
                    assertEquals(1 + v, validator.get("stake").asLong());
                    assertEquals("127.0.0.1:" + (18_000 + 10 * s + v), validator.get("httpEndpoint").asText());
                    assertEquals("127.0.0.1:" + (19_000 + 10 * s + 2 * v), validator.get("clientEndpoint").asText());
                    assertFalse(validator.has("consensusEndpoint"), "clients do not need consensus endpoints");
                }
            }

            node.failing = true;
            final HttpResponse<String> whileFailing = http.send(HttpRequest.newBuilder(network).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, whileFailing.statusCode(), "the map comes from the genesis, not from the node");
            assertEquals(response.body(), whileFailing.body());
            assertError(http.send(HttpRequest.newBuilder(network).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString()), 405, "METHOD_NOT_ALLOWED");
        }
    }

    @Test
    void submitRefusesBadInputWithClearCodes() throws Exception {
        assertError(post("/v1/transactions", "not json"), 400, "BAD_JSON");
        assertError(post("/v1/transactions", "[1,2]"), 400, "BAD_JSON");
        assertError(post("/v1/transactions", "{\"tx\": 12}"), 400, "BAD_JSON");
        assertError(post("/v1/transactions", "{}"), 400, "BAD_JSON");
        assertError(post("/v1/transactions", "{\"tx\":\"zz\"}"), 400, "BAD_HEX");
        assertError(post("/v1/transactions", "{\"tx\":\"abc\"}"), 400, "BAD_HEX");
        assertError(post("/v1/transactions", "{\"tx\":\"" + "00".repeat(600) + "\"}"), 400, "BAD_LENGTH");
        assertError(post("/v1/transactions", "{\"tx\":\"" + "00".repeat(100) + "\"}"), 400, "MALFORMED");
        final byte[] truncated = Arrays.copyOf(TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 3), 100);
        assertError(post("/v1/transactions", "{\"tx\":\"" + Hex.encode(truncated) + "\"}"), 400, "MALFORMED");
        assertError(post("/v1/transactions", "{\"tx\":\"" + "a".repeat(70_000) + "\"}"), 413, "BODY_TOO_LARGE");
        assertTrue(node.submitted.isEmpty());
        assertEquals(200, get("/health").statusCode(), "still serving");
    }

    @Test
    void transactionStatusForEveryState() throws Exception {
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 4);
        final String id = Hex.encode(FakeNode.txId(tx));
        JsonNode status = json(get("/v1/transactions/" + id));
        assertEquals("UNKNOWN", status.get("state").asText());
        assertEquals(id, status.get("txId").asText());

        post("/v1/transactions", "{\"tx\":\"" + Hex.encode(tx) + "\"}");
        assertEquals("ACCEPTED", json(get("/v1/transactions/" + id)).get("state").asText());

        node.commit(FakeNode.txId(tx), 1);
        status = json(get("/v1/transactions/" + id.toUpperCase()));
        assertEquals("COMMITTED", status.get("state").asText());
        assertEquals("INSUFFICIENT_BALANCE", status.get("result").asText());
        assertEquals(1, status.get("resultCode").asInt());
        assertEquals(5, status.get("height").asLong());

        final byte[] other = new byte[32];
        other[0] = 9;
        node.statuses.put(ByteBuffer.wrap(other), new TxStatus(TxState.REJECTED, 0, RejectCode.EXPIRED, 0, 0));
        status = json(get("/v1/transactions/" + Hex.encode(other)));
        assertEquals("REJECTED", status.get("state").asText());
        assertEquals("EXPIRED", status.get("rejectCode").asText());
        assertEquals(4, status.get("rejectCodeValue").asInt());

        assertError(get("/v1/transactions/1234"), 400, "BAD_LENGTH");
        assertError(get("/v1/transactions/" + "g".repeat(64)), 400, "BAD_HEX");
    }

    @Test
    void balancesOfAnAccount() throws Exception {
        node.balances.put(ByteBuffer.wrap(ALICE.publicKey()), Map.of(0, 1_000L, 7, -1L));
        final JsonNode body = json(get("/v1/accounts/" + ALICE.publicKeyHex() + "/balances"));
        assertEquals(ALICE.publicKeyHex(), body.get("account").asText());
        assertEquals(0, body.get("shard").asInt());
        assertEquals(1_000, body.get("balances").get("0").asLong());
        assertEquals("18446744073709551615", body.get("balances").get("7").asText(), "u64 written unsigned");
        assertEquals(0, json(get("/v1/accounts/" + BOB.publicKeyHex() + "/balances")).get("balances").size());
        assertError(get("/v1/accounts/abcd/balances"), 400, "BAD_LENGTH");
        assertError(get("/v1/accounts/" + "x".repeat(64) + "/balances"), 400, "BAD_HEX");
    }

    @Test
    void faucetSignsAndSubmitsATransfer() throws Exception {
        final HttpResponse<String> response = post("/v1/faucet", "{\"account\":\"" + BOB.publicKeyHex() + "\",\"amount\":500}");
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(FAUCET.publicKeyHex(), json(response).get("from").asText());
        assertEquals(1, node.submitted.size());
        final byte[] tx = node.submitted.get(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        assertTrue(MessageValidator.validateUserTransaction(buffer, 0, tx.length).isOk());
        final TransferDecoder transfer = new TransferDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(FakeNode.NETWORK_ID, transfer.networkId());
        assertEquals(10, transfer.fee());
        assertEquals(500, transfer.amount());
        assertEquals(0, transfer.assetId());
        assertTrue(transfer.expiryMs() > node.consensusTimeMs && transfer.expiryMs() <= node.consensusTimeMs + 60_000);
        final byte[] to = new byte[32];
        transfer.getTo(to, 0, 32);
        assertArrayEquals(BOB.publicKey(), to);
        final int signed = SignedRegion.signedLength(buffer, 0, tx.length);
        final byte[] signature = Arrays.copyOfRange(tx, tx.length - Layout.SIGNATURE_LENGTH, tx.length);
        assertTrue(TestTransactions.ED25519.verify(FAUCET.publicKey(), tx, 0, signed, signature));
        assertEquals(Hex.encode(FakeNode.txId(tx)), json(response).get("txId").asText());
    }

    @Test
    void faucetRefusesBadRequests() throws Exception {
        final String account = BOB.publicKeyHex();
        assertError(post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":0}"), 400, "BAD_AMOUNT");
        assertError(post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":-5}"), 400, "BAD_AMOUNT");
        assertError(post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":1.5}"), 400, "BAD_AMOUNT");
        assertError(post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":\"7\"}"), 400, "BAD_AMOUNT");
        assertError(post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":" + (Faucet.MAX_AMOUNT_PER_REQUEST + 1) + "}"),
            400, "BAD_AMOUNT");
        assertError(post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":99999999999999999999999}"), 400, "BAD_AMOUNT");
        assertError(post("/v1/faucet", "{\"account\":\"abc\",\"amount\":5}"), 400, "BAD_HEX");
        assertError(post("/v1/faucet", "{\"amount\":5}"), 400, "BAD_JSON");
        assertTrue(node.submitted.isEmpty());
    }

    @Test
    void faucetIsAbsentWithoutAKey() throws Exception {
        try (HttpGateway plain = new HttpGateway(node, new InetSocketAddress("127.0.0.1", 0), null, TestTransactions.genesis())) {
            plain.start();
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + plain.port() + "/v1/faucet"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + BOB.publicKeyHex() + "\",\"amount\":5}"))
                .header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
            assertError(response, 404, "FAUCET_DISABLED");
        }
    }

    @Test
    void unknownPathsAndMethods() throws Exception {
        assertError(get("/v2/nothing"), 404, "NOT_FOUND");
        assertError(get("/v1/transactions"), 405, "METHOD_NOT_ALLOWED");
        assertError(post("/v1/status", "{}"), 405, "METHOD_NOT_ALLOWED");
        assertError(get("/v1/stream"), 426, "UPGRADE_REQUIRED");
    }

    @Test
    void aFailingNodeGives500AndTheGatewayKeepsServing() throws Exception {
        node.failing = true;
        assertError(post("/v1/transactions", "{\"tx\":\"" + Hex.encode(TestTransactions.transfer(ALICE, BOB.publicKey(), 1, 9)) + "\"}"),
            500, "INTERNAL");
        node.failing = false;
        assertEquals(200, get("/v1/status").statusCode());
    }

    @Test
    void metricsAreValidPrometheusTextWithNodeAndGatewayCounters() throws Exception {
        get("/v1/status");
        get("/v1/status");
        get("/v2/nothing");
        final HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("content-type").orElse(""));
        // The node's part and the gateway's part together are one scrape a strict parser accepts.
        final Map<String, PromText.Family> scrape = PromText.parse(response.body());
        final Map<String, String> self = Map.of("shard", "0", "validator", "2");
        for (final PromText.Family family : scrape.values()) {
            for (final PromText.Sample sample : family.samples()) {
                assertTrue(sample.labels().entrySet().containsAll(self.entrySet()), "unlabelled: " + sample);
            }
        }
        assertEquals(42.0, scrape.get("basalt_node_height").value("basalt_node_height", self));
        final PromText.Family requests = scrape.get("basalt_gateway_http_requests_total");
        assertEquals("counter", requests.type());
        assertEquals(2.0, requests.value("basalt_gateway_http_requests_total", Map.of("route", "/v1/status", "status", "200")));
        assertEquals(1.0, requests.value("basalt_gateway_http_requests_total", Map.of("route", "other", "status", "404")));
        assertEquals(0.0, scrape.get("basalt_gateway_ws_connections").value("basalt_gateway_ws_connections", self));
        assertEquals("gauge", scrape.get("basalt_gateway_ws_connections").type());
    }

    @Test
    void finalityEventsAsJson() {
        final byte[] id = new byte[32];
        id[31] = 1;
        final JsonNode committed = GatewayJson.finality(new FinalityEvent(id, TxState.COMMITTED, 0, 3, 99));
        assertEquals("finality", committed.get("type").asText());
        assertEquals("COMMITTED", committed.get("state").asText());
        assertEquals("SUCCESS", committed.get("result").asText());
        final JsonNode rejected = GatewayJson.finality(new FinalityEvent(id, TxState.REJECTED, 4, 0, 99));
        assertEquals("EXPIRED", rejected.get("rejectCode").asText());
        assertFalse(rejected.has("result"));
    }
}
