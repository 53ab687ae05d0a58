package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.node.config.HttpLimits;
import io.basalt.node.metrics.PromText;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks of issue 10 against the HTTP gateway, each with honest clients served during and after
 * it. Attackers and honest clients use different loopback addresses (127.0.0.0/8 is all loopback on
 * Linux), because the limits are per client address. Timeouts are configured small so that each test
 * takes seconds.
 */
@Timeout(60)
class HttpGatewayAbuseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair ALICE = TestTransactions.key(1);
    private static final KeyPair BOB = TestTransactions.key(2);
    private static final KeyPair FAUCET = TestTransactions.key(3);
    private static final String ATTACKER = "127.0.0.1";
    private static final String HONEST = "127.0.0.2";
    /** An honest request must be answered well within this, attack or not (the old gateway hung for 30 s). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final List<Socket> sockets = new ArrayList<>();
    private final List<HttpClient> clients = new ArrayList<>();
    private FakeNode node;
    private HttpGateway gateway;

    private void start(final HttpLimits limits) {
        node = new FakeNode();
        node.autoCommit = true;
        gateway = new HttpGateway(node, new InetSocketAddress("127.0.0.1", 0), FAUCET, TestTransactions.genesis(), limits);
        gateway.start();
    }

    private static HttpLimits limits(final long bodyReadTimeoutMs, final int perClient, final int requestsPerSecond,
                                     final int maxStreams, final boolean faucet, final int faucetPerMinute) {
        return new HttpLimits(10_000, bodyReadTimeoutMs, 512, perClient, requestsPerSecond, maxStreams, faucet, faucetPerMinute,
            HttpLimits.NO_LIVENESS_PORT);
    }

    @AfterEach
    void stop() {
        for (final Socket socket : sockets) {
            try {
                socket.close();
            } catch (final IOException ignored) {
                // Closing what the test opened.
            }
        }
        clients.forEach(HttpClient::shutdownNow);
        if (gateway != null) {
            gateway.close();
        }
    }

    // ---- the attacks ----------------------------------------------------------------------------

    /**
     * Two dozen clients send headers and half a body (or none), then wait: more than the gateway has worker
     * threads. Before, each held a worker in a blocking read, so /health and every other request hung
     * until the idle timeout; now bodies are read by callbacks, honest clients are served at once, and
     * every slow client gets a 408 JSON error and a closed connection after the body-read timeout.
     */
    @Test
    void slowBodiesHoldNoWorkersAndTimeOut() throws Exception {
        start(limits(2_000, 8, 1_000, 8, true, 60));
        final List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            // Four attacker addresses, six each: under the per-client limit, so only the async reads protect.
            final Socket socket = connect("127.0.0." + (10 + i % 4));
            // Half of them send half a body, the other half headers and no body at all.
            send(socket, "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n" + (i % 2 == 0 ? "{\"tx\":\"00" : ""));
            slow.add(socket);
        }
        Thread.sleep(300); // let every slow request reach its handler
        final HttpClient honest = client(HONEST, Duration.ofSeconds(1));
        assertEquals(200, honest.send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, honest.send(get("/ready"), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, honest.send(get("/v1/status"), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertSubmitsAndCommits(honest, 1);

        for (final Socket socket : slow) {
            final RawResponse answer = readResponse(socket, 5_000);
            assertEquals(408, answer.status, answer.text);
            assertEquals("REQUEST_TIMEOUT", answer.json().get("code").asText());
            assertTrue(answer.closed, "a timed-out request's connection is closed");
        }
        assertEquals(24, gateway.metrics().bodyTimeouts.sum());
        assertEquals(0, gateway.metrics().internalErrors.sum());
        assertSubmitsAndCommits(honest, 2);
    }

    /** A client that hangs up mid-body was answered 500 and counted as an internal error. */
    @Test
    void aClientHangingUpMidBodyIsAnAbortNotAnInternalError() throws Exception {
        start(limits(5_000, 8, 1_000, 8, true, 60));
        final Socket socket = connect(ATTACKER);
        send(socket, "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 400\r\n\r\n{\"tx\":\"0011");
        Thread.sleep(200);
        socket.close();
        waitFor(() -> gateway.metrics().clientAborts.sum() == 1, 5_000);
        assertEquals(1, gateway.metrics().clientAborts.sum());
        assertEquals(0, gateway.metrics().internalErrors.sum());
        assertEquals(0, gateway.metrics().requests("error", 500) + gateway.metrics().requests("/v1/transactions", 500));
        assertEquals(1.0, PromText.parse(gateway.metrics().render()).get("basalt_gateway_client_aborts_total")
            .value("basalt_gateway_client_aborts_total", Map.of()));
        assertSubmitsAndCommits(client(HONEST, Duration.ofSeconds(2)), 1);
    }

    /** One address opens 60 connections; it keeps its 8, the rest are closed at accept, others are served. */
    @Test
    void aConnectionFloodFromOneAddressIsCappedAndOthersAreServed() throws Exception {
        start(limits(2_000, 8, 1_000, 4, true, 60));
        final List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            flood.add(connect(ATTACKER));
        }
        waitFor(() -> gateway.metrics().connectionsRefused.sum() >= 52, 5_000);
        int open = 0;
        for (final Socket socket : flood) {
            socket.setSoTimeout(300);
            try {
                if (socket.getInputStream().read() < 0) {
                    continue; // closed by the gateway
                }
            } catch (final SocketTimeoutException stillOpen) {
                open++;
            } catch (final IOException reset) {
                continue;
            }
        }
        assertEquals(8, open, "one address holds at most its per-client limit");
        assertEquals(52, gateway.metrics().connectionsRefused.sum());

        final HttpClient honest = client(HONEST, Duration.ofSeconds(2));
        assertEquals(200, honest.send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertSubmitsAndCommits(honest, 1);

        for (final Socket socket : flood) {
            socket.close();
        }
        // Every slot is given back: the same address is served again.
        final HttpClient after = client(ATTACKER, Duration.ofSeconds(2));
        waitFor(() -> {
            try {
                return after.send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (final Exception e) {
                return false;
            }
        }, 5_000);
        assertEquals(200, after.send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /** One address submits as fast as it can; past its rate it gets 429 RATE_LIMITED, others are not slowed. */
    @Test
    void aSubmitFloodFromOneAddressIsRateLimited() throws Exception {
        start(limits(2_000, 8, 20, 4, true, 60));
        final HttpClient attacker = client(ATTACKER, Duration.ofSeconds(2));
        final String body = "{\"tx\":\"" + Hex.encode(TestTransactions.transfer(ALICE, BOB.publicKey(), 1, 999)) + "\"}";
        int limited = 0;
        for (int i = 0; i < 200; i++) {
            final HttpResponse<String> response = attacker.send(post("/v1/transactions", body, "application/json"),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                assertEquals("RATE_LIMITED", JSON.readTree(response.body()).get("code").asText(), response.body());
                assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
                limited++;
            }
        }
        assertTrue(limited > 100, "most of a 200-request burst over a 20/s limit is refused: " + limited);
        assertEquals(200, attacker.send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode(),
            "liveness is not rate-limited");
        assertSubmitsAndCommits(client(HONEST, Duration.ofSeconds(2)), 5);
    }

    /**
     * A refused submission's body is left unread, so its connection closes with the answer. Before, the
     * 429 promised keep-alive and Jetty then dropped the connection, and a client's next request on it
     * failed with no answer (the flood test above hit that on a loaded CI box).
     */
    @Test
    void aRateLimitedSubmissionClosesItsConnectionWithTheAnswer() throws Exception {
        start(limits(2_000, 8, 5, 4, true, 60));
        RawResponse refused = null;
        for (int i = 0; i < 50 && refused == null; i++) {
            final String body = "{\"tx\":\"" + Hex.encode(TestTransactions.transfer(ALICE, BOB.publicKey(), 1, 1_000 + i)) + "\"}";
            final String request = "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            final Socket socket = connect(ATTACKER);
            send(socket, request);
            final RawResponse answer = readResponse(socket, 5_000);
            if (answer.status == 429) {
                refused = answer;
            } else {
                assertEquals(202, answer.status, answer.text);
            }
            socket.close();
        }
        assertTrue(refused != null, "a 5/s limit refuses one of 50 back-to-back submissions");
        assertEquals("RATE_LIMITED", refused.json().get("code").asText(), refused.text);
        assertTrue(refused.closed, "the refused request's connection is closed: " + refused.head);
        assertEquals(200, client(HONEST, Duration.ofSeconds(2)).send(get("/v1/status"), HttpResponse.BodyHandlers.ofString())
            .statusCode(), "another address is not limited");
    }

    /** 200 concurrent upgrades against a limit of 8: exactly 8 streams open, the rest get a JSON 503. */
    @Test
    void theStreamLimitHoldsUnderConcurrentUpgrades() throws Exception {
        start(new HttpLimits(10_000, 2_000, 512, 64, 10_000, 8, true, 60, HttpLimits.NO_LIVENESS_PORT));
        final int upgrades = 200;
        final CountDownLatch go = new CountDownLatch(1);
        final List<Future<RawResponse>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < upgrades; i++) {
                final String from = "127.0.1." + (1 + i % 4);
                answers.add(pool.submit(() -> {
                    final Socket socket = connect(from);
                    go.await();
                    return upgrade(socket);
                }));
            }
            go.countDown();
            int opened = 0;
            for (final Future<RawResponse> answer : answers) {
                final RawResponse response = answer.get();
                if (response.status == 101) {
                    opened++;
                } else {
                    assertEquals(503, response.status, response.text);
                    assertEquals("TOO_MANY_STREAMS", response.json().get("code").asText(), response.text);
                }
            }
            assertEquals(8, opened, "exactly the limit opens");
        }
        waitFor(() -> gateway.streamConnections() == 8, 2_000);
        assertEquals(8, gateway.streamConnections());
        assertEquals(upgrades - 8, gateway.metrics().wsRefused.sum());
        assertSubmitsAndCommits(client(HONEST, Duration.ofSeconds(2)), 1);

        // Closing the streams gives their slots back: the limit is a count of open streams, not a budget.
        synchronized (sockets) {
            for (final Socket socket : sockets) {
                socket.close();
            }
        }
        waitFor(() -> gateway.streamConnections() == 0, 5_000);
        for (int i = 0; i < 8; i++) {
            assertEquals(101, upgrade(connect(HONEST)).status, "slot " + i + " is free again");
        }
        assertEquals(503, upgrade(connect(HONEST)).status);
    }

    /**
     * Bulk traffic that keeps every worker of the main port busy (here: a node whose submit stalls)
     * leaves the liveness port, with threads of its own, answering /health and /ready; it serves
     * nothing else. Once the node moves again, every held submission is answered.
     */
    @Test
    void theLivenessPortAnswersWhileEveryWorkerIsBusy() throws Exception {
        start(new HttpLimits(10_000, 2_000, 512, 64, 10_000, 4, true, 60, 0));
        assertTrue(gateway.livenessPort() > 0);
        node.submitGate = new CountDownLatch(1);
        final HttpClient bulk = client(ATTACKER, Duration.ofSeconds(10));
        final List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 1, 10_000 + i);
            held.add(bulk.sendAsync(HttpRequest.newBuilder(uri("/v1/transactions")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tx\":\"" + Hex.encode(tx) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        // Every worker the main port has is now waiting inside the node.
        waitFor(() -> node.waitingSubmits.get() >= 10, 5_000);
        int before;
        do {
            before = node.waitingSubmits.get();
            Thread.sleep(300);
        } while (node.waitingSubmits.get() != before);
        assertTrue(before >= 10 && before < 24, "workers are exhausted, submissions queue: " + before);

        final HttpClient probe = client(HONEST, Duration.ofSeconds(2));
        final URI liveness = URI.create("http://127.0.0.1:" + gateway.livenessPort());
        assertEquals(200, probe.send(HttpRequest.newBuilder(liveness.resolve("/health")).timeout(REQUEST_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, probe.send(HttpRequest.newBuilder(liveness.resolve("/ready")).timeout(REQUEST_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
        final HttpResponse<String> other = probe.send(HttpRequest.newBuilder(liveness.resolve("/v1/status"))
            .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode());
        assertEquals("NOT_FOUND", JSON.readTree(other.body()).get("code").asText());

        node.submitGate.countDown();
        node.submitGate = null;
        for (final java.util.concurrent.CompletableFuture<HttpResponse<String>> answer : held) {
            assertEquals(202, answer.get().statusCode(), answer.get().body());
        }
        assertSubmitsAndCommits(probe, 1);
    }

    // ---- errors and content type ----------------------------------------------------------------

    /** Errors Jetty raises itself were HTML; they are the documented JSON. */
    @Test
    void errorsRaisedInsideJettyAreJson() throws Exception {
        start(limits(2_000, 16, 1_000, 4, true, 60));
        assertJettyError("GET /" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "URI_TOO_LONG");
        assertJettyError("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000) + "\r\n\r\n", 431, "HEADERS_TOO_LARGE");
        assertJettyError("GET /v1/a%2Fb/status HTTP/1.1\r\nHost: x\r\n\r\n", 400, "BAD_REQUEST");
        assertJettyError("POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: abc\r\n\r\n{}", 400, "BAD_REQUEST");
        assertJettyError("GET /health HTTP/1.1\r\n\r\n", 400, "BAD_REQUEST"); // HTTP/1.1 without Host
        assertEquals(0, gateway.metrics().internalErrors.sum());
        assertEquals(200, client(HONEST, Duration.ofSeconds(2)).send(get("/health"), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /** A body that is not declared JSON is refused before it is read, so a web page cannot post text/plain. */
    @Test
    void requestsWithABodyMustBeJson() throws Exception {
        start(limits(2_000, 8, 1_000, 4, true, 60));
        final HttpClient http = client(HONEST, Duration.ofSeconds(2));
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 1);
        final String body = "{\"tx\":\"" + Hex.encode(tx) + "\"}";
        for (final String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            final HttpResponse<String> refused = http.send(post("/v1/transactions", body, type), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, refused.statusCode(), type);
            assertEquals("UNSUPPORTED_MEDIA_TYPE", JSON.readTree(refused.body()).get("code").asText());
        }
        final HttpResponse<String> untyped = http.send(HttpRequest.newBuilder(uri("/v1/faucet"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + BOB.publicKeyHex() + "\",\"amount\":5}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(415, untyped.statusCode());
        assertTrue(node.submitted.isEmpty(), "nothing was submitted");
        // The preflight a browser needs before a cross-origin JSON post is never granted.
        final HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri("/v1/transactions")).timeout(REQUEST_TIMEOUT)
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://evil.example")
            .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("access-control-allow-origin").isEmpty());
        final HttpResponse<String> accepted = http.send(post("/v1/transactions", body, "Application/JSON; charset=utf-8"),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
    }

    /** A refusal of a well-formed transaction carries its id, even when the node did not return one. */
    @Test
    void refusalsOfWellFormedTransactionsCarryTheirId() throws Exception {
        start(limits(2_000, 8, 1_000, 4, true, 60));
        final HttpClient http = client(HONEST, Duration.ofSeconds(2));
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 3);
        final String body = "{\"tx\":\"" + Hex.encode(tx) + "\"}";
        final String id = Hex.encode(FakeNode.txId(tx));
        node.omitIdOnReject = true;
        for (final RejectCode code : new RejectCode[] {RejectCode.NOT_READY, RejectCode.OVERLOADED, RejectCode.EXPIRED}) {
            node.nextReject = code;
            final JsonNode refused = JSON.readTree(http.send(post("/v1/transactions", body, "application/json"),
                HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(code.name(), refused.get("code").asText());
            assertEquals(id, refused.path("txId").asText(), refused.toString());
        }
        node.nextReject = null;
        node.failing = true;
        final HttpResponse<String> failed = http.send(post("/v1/transactions", body, "application/json"),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(500, failed.statusCode());
        assertEquals("INTERNAL", JSON.readTree(failed.body()).get("code").asText());
        assertEquals(id, JSON.readTree(failed.body()).path("txId").asText());
    }

    @Test
    void theFaucetIsRateLimitedPerClient() throws Exception {
        start(limits(2_000, 8, 1_000, 4, true, 3));
        final HttpClient greedy = client(ATTACKER, Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            assertEquals(202, greedy.send(faucet(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        final HttpResponse<String> refused = greedy.send(faucet(), HttpResponse.BodyHandlers.ofString());
        assertEquals(429, refused.statusCode());
        assertEquals("RATE_LIMITED", JSON.readTree(refused.body()).get("code").asText());
        assertEquals(3, node.submitted.size());
        assertEquals(202, client(HONEST, Duration.ofSeconds(2)).send(faucet(), HttpResponse.BodyHandlers.ofString()).statusCode(),
            "another client has its own allowance");
    }

    @Test
    void theFaucetCanBeSwitchedOff() throws Exception {
        start(limits(2_000, 8, 1_000, 4, false, 60));
        final HttpResponse<String> refused = client(HONEST, Duration.ofSeconds(2)).send(faucet(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, refused.statusCode());
        assertEquals("FAUCET_DISABLED", JSON.readTree(refused.body()).get("code").asText());
        assertTrue(node.submitted.isEmpty());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void assertSubmitsAndCommits(final HttpClient http, final int count) throws Exception {
        for (int i = 0; i < count; i++) {
            final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 1, System.nanoTime());
            final HttpResponse<String> response = http.send(post("/v1/transactions", "{\"tx\":\"" + Hex.encode(tx) + "\"}",
                "application/json"), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, response.statusCode(), response.body());
            final String id = JSON.readTree(response.body()).get("txId").asText();
            final JsonNode status = JSON.readTree(http.send(get("/v1/transactions/" + id), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(TxState.COMMITTED.name(), status.get("state").asText());
        }
    }

    private void assertJettyError(final String request, final int status, final String code) throws Exception {
        final Socket socket = connect(HONEST);
        send(socket, request);
        final RawResponse response = readResponse(socket, 5_000);
        assertEquals(status, response.status, response.text);
        assertTrue(response.head.toLowerCase().contains("content-type: application/json"), response.text);
        assertEquals(code, response.json().get("code").asText(), response.text);
        assertTrue(!response.json().get("message").asText().isEmpty());
    }

    private HttpRequest faucet() {
        return post("/v1/faucet", "{\"account\":\"" + BOB.publicKeyHex() + "\",\"amount\":5}", "application/json");
    }

    private URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private HttpRequest get(final String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build();
    }

    private HttpRequest post(final String path, final String body, final String contentType) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpClient client(final String from, final Duration timeout) throws IOException {
        final HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).connectTimeout(timeout)
            .build();
        clients.add(client);
        return client;
    }

    private Socket connect(final String from) throws IOException {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 2_000);
        synchronized (sockets) {
            sockets.add(socket);
        }
        return socket;
    }

    private static void send(final Socket socket, final String text) throws IOException {
        final OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static RawResponse upgrade(final Socket socket) throws IOException {
        final String key = Base64.getEncoder().encodeToString("basalt-abuse-test".getBytes(StandardCharsets.US_ASCII));
        send(socket, "GET " + HttpGateway.STREAM_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return readResponse(socket, 10_000);
    }

    /** An HTTP response read from a raw socket: status, head, body (by Content-Length), and whether the server closed. */
    private record RawResponse(int status, String head, String text, boolean closed) {
        JsonNode json() throws IOException {
            return JSON.readTree(text.substring(head.length()));
        }
    }

    private static RawResponse readResponse(final Socket socket, final int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String text = "";
        int headEnd = -1;
        int b;
        while (headEnd < 0 && (b = in.read()) >= 0) {
            bytes.write(b);
            text = bytes.toString(StandardCharsets.ISO_8859_1);
            headEnd = text.indexOf("\r\n\r\n");
        }
        assertTrue(headEnd > 0, "no response head: " + text);
        final String head = text.substring(0, headEnd + 4);
        final int status = Integer.parseInt(head.substring(9, 12));
        if (status == 101) {
            return new RawResponse(status, head, head, false);
        }
        final java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        final int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        final byte[] body = in.readNBytes(bodyLength);
        boolean closed;
        try {
            socket.setSoTimeout(Math.min(timeoutMs, 2_000));
            closed = head.toLowerCase().contains("connection: close") && in.read() < 0;
        } catch (final SocketTimeoutException e) {
            closed = false;
        } catch (final IOException e) {
            closed = true;
        }
        return new RawResponse(status, head, head + new String(body, StandardCharsets.UTF_8), closed);
    }

    private static void waitFor(final BooleanSupplier condition, final long atMostMs) throws InterruptedException {
        final long deadline = System.nanoTime() + atMostMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
