package io.basalt.client.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.Hex;
import io.basalt.protocol.Decimal;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP/JSON client of one validator. Pending submissions complete from the WebSocket finality stream; a poller
 * asks {@code GET /v1/transactions/{id}} for those still pending after {@link #POLL_AFTER_MS}, so a
 * dropped stream or a missed event delays an answer but never loses it.
 */
final class HttpBasaltClient implements BasaltClient {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final long POLL_INTERVAL_MS = 250;
    static final long POLL_AFTER_MS = 1_000;
    static final int MAX_POLLS_PER_TICK = 64;
    /** Least time between attempts to open the finality stream. */
    static final long STREAM_RETRY_MS = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final ScheduledExecutorService poller;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Submissions in flight over HTTP: well under the node's connections per client (see {@link AsyncGate}). */
    static final int MAX_SUBMISSIONS_IN_FLIGHT = 16;
    private final AsyncGate submissions = new AsyncGate(MAX_SUBMISSIONS_IN_FLIGHT);
    private final Object streamLock = new Object();
    private WebSocket stream;
    private long lastStreamAttemptMs;

    private record Pending(CompletableFuture<Finality> future, long sinceMs) {
    }

    HttpBasaltClient(final URI baseUrl) {
        final String text = baseUrl.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("basalt-client-poller").unstarted(r));
        poller.scheduleWithFixedDelay(this::poll, POLL_INTERVAL_MS, POLL_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Finality> submit(final byte[] transaction) {
        final String txId;
        try {
            txId = Hex.encode(TransactionBuilder.txId(transaction));
        } catch (final IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        final Pending entry = pending.computeIfAbsent(txId, k -> new Pending(new CompletableFuture<>(), System.currentTimeMillis()));
        final CompletableFuture<Finality> future = entry.future();
        future.whenComplete((f, e) -> pending.remove(txId, entry));
        // The stream is open before the node sees the transaction, so its events cannot be missed.
        ensureStream();
        Submissions.completeOnRejection(admit(transaction, txId), future);
        return future;
    }

    @Override
    public CompletableFuture<Finality> admit(final byte[] transaction) {
        try {
            return admit(transaction, Hex.encode(TransactionBuilder.txId(transaction)));
        } catch (final IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Finality> admit(final byte[] transaction, final String txId) {
        final String body = "{\"tx\":\"" + Hex.encode(transaction) + "\"}";
        return submissions.run(() -> http.sendAsync(post("v1/transactions", body), HttpResponse.BodyHandlers.ofString()))
            .handle((response, failure) -> {
                if (failure != null) {
                    throw unreachable(failure);
                }
                if (response.statusCode() == 202) {
                    return new Finality(txId, TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0);
                }
                final BasaltException error = error(response);
                if ("DUPLICATE".equals(error.code())) {
                    return new Finality(txId, TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0);
                }
                final RejectCode reject = rejectCode(error.code());
                if (reject == null) {
                    throw error;
                }
                return new Finality(txId, TxState.REJECTED, 0, reject, 0, 0);
            });
    }

    private static RejectCode rejectCode(final String name) {
        for (final RejectCode code : RejectCode.values()) {
            if (code != RejectCode.NONE && code.name().equals(name)) {
                return code;
            }
        }
        return null;
    }

    @Override
    public Map<Integer, Long> balances(final byte[] address) {
        final JsonNode body = get("v1/accounts/" + Hex.encode(address) + "/balances");
        final Map<Integer, Long> balances = new HashMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> it = body.get("balances").fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> e = it.next();
            try {
                balances.put((int) Decimal.parse(e.getKey(), 0xFFFF_FFFFL, "an asset id"),
                    Decimal.parseUnsigned(e.getValue().asText(), "a balance"));
            } catch (final IllegalArgumentException bad) {
                throw new BasaltException("BAD_RESPONSE", "the node's balances are not the shape docs/api.md describes ("
                    + bad.getMessage() + ")", bad);
            }
        }
        return balances;
    }

    @Override
    public Finality txStatus(final byte[] txId) {
        return finality(get("v1/transactions/" + Hex.encode(txId)));
    }

    @Override
    public NetworkStatus status() {
        final JsonNode s = get("v1/status");
        return new NetworkStatus(s.get("networkId").asInt(), s.get("shardId").asInt(), s.get("shardCount").asInt(),
            s.get("validatorIndex").asInt(), s.get("committeeSize").asInt(), Decimal.parseUnsigned(s.get("fee").asText(), "the fee"),
            s.get("committedHeight").asLong(), s.get("executedHeight").asLong(), s.get("round").asLong(),
            s.get("stateDigest").asText(), s.get("consensusTimeMs").asLong(), s.get("ready").asBoolean());
    }

    /** Asks {@code GET /v1/network} each time; {@link RoutingBasaltClient} keeps the answer. */
    @Override
    public NetworkMap network() {
        return networkMap(get("v1/network"));
    }

    /** The base URL this client talks to, ending in {@code /}. */
    URI base() {
        return base;
    }

    @Override
    public AutoCloseable watch(final Consumer<Finality> listener) {
        final WebSocket ws = openStream(listener);
        return () -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(2, TimeUnit.SECONDS)
            .exceptionally(e -> {
                ws.abort();
                return ws;
            });
    }

    @Override
    public void close() {
        poller.shutdownNow();
        synchronized (streamLock) {
            if (stream != null) {
                stream.abort();
            }
        }
        for (final Pending entry : pending.values()) {
            entry.future().completeExceptionally(new BasaltException("CLOSED", "the client was closed", 0));
        }
        http.shutdownNow();
    }

    /** Parses the status / stream shape of a transaction (docs/api.md). */
    static Finality finality(final JsonNode json) {
        final TxState state = TxState.valueOf(json.get("state").asText());
        final int result = json.has("resultCode") ? json.get("resultCode").asInt() : 0;
        RejectCode reject = RejectCode.NONE;
        if (json.has("rejectCodeValue")) {
            reject = RejectCode.fromCode(json.get("rejectCodeValue").asInt());
        }
        return new Finality(json.get("txId").asText(), state, result, reject,
            json.path("height").asLong(), json.path("consensusTimeMs").asLong());
    }

    /** Parses the {@code GET /v1/network} shape (docs/api.md); anything else is BAD_RESPONSE. */
    static NetworkMap networkMap(final JsonNode json) {
        try {
            final List<NetworkMap.Shard> shards = new ArrayList<>();
            for (final JsonNode shard : json.get("shards")) {
                final List<NetworkMap.Validator> validators = new ArrayList<>();
                for (final JsonNode v : shard.get("validators")) {
                    validators.add(new NetworkMap.Validator(v.get("index").asInt(), v.get("publicKey").asText(),
                        v.get("stake").asLong(), v.get("httpEndpoint").asText(), v.path("clientEndpoint").asText("")));
                }
                shards.add(new NetworkMap.Shard(shard.get("shardId").asInt(), validators));
            }
            return new NetworkMap((int) json.get("networkId").asLong(), json.get("shardCount").asInt(),
                Decimal.parseUnsigned(json.get("fee").asText(), "the fee"), shards);
        } catch (final RuntimeException e) {
            throw new BasaltException("BAD_RESPONSE", "the node's network map is not the shape docs/api.md describes ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    /** Connects the finality stream if it is not open; never throws (polling covers a missing stream). */
    private void ensureStream() {
        synchronized (streamLock) {
            if (stream != null && !stream.isInputClosed()) {
                return;
            }
            final long nowMs = System.currentTimeMillis();
            if (nowMs - lastStreamAttemptMs < STREAM_RETRY_MS) {
                return;
            }
            lastStreamAttemptMs = nowMs;
            try {
                stream = openStream(this::completeFromStream);
            } catch (final BasaltException e) {
                stream = null;
            }
        }
    }

    private void completeFromStream(final Finality finality) {
        if (finality.isOutcome()) { // a REJECTED on the stream is never this submission's answer
            final Pending entry = pending.get(finality.txId());
            if (entry != null) {
                entry.future().complete(finality);
            }
        }
    }

    private WebSocket openStream(final Consumer<Finality> listener) {
        final URI ws = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("v1/stream");
        try {
            return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(ws, new StreamListener(listener)).get(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BasaltException("UNREACHABLE", "interrupted while opening " + ws, e);
        } catch (final Exception e) {
            throw new BasaltException("UNREACHABLE", "cannot open the finality stream at " + ws, e);
        }
    }

    /** Assembles text frames into messages and hands finality messages on; heartbeats are skipped. */
    private static final class StreamListener implements WebSocket.Listener {
        private final Consumer<Finality> listener;
        private final StringBuilder partial = new StringBuilder();

        StreamListener(final Consumer<Finality> listener) {
            this.listener = listener;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                final String message = partial.toString();
                partial.setLength(0);
                try {
                    final JsonNode json = JSON.readTree(message);
                    if ("finality".equals(json.path("type").asText())) {
                        listener.accept(finality(json));
                    }
                } catch (final IOException | RuntimeException ignored) {
                    // A message this client does not understand is skipped; polling still answers.
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Asks for the status of submissions the stream has not answered in {@link #POLL_AFTER_MS}. */
    private void poll() {
        if (pending.isEmpty()) {
            return;
        }
        final long nowMs = System.currentTimeMillis();
        int polls = 0;
        for (final Map.Entry<String, Pending> e : pending.entrySet()) {
            if (polls == MAX_POLLS_PER_TICK) {
                break;
            }
            if (nowMs - e.getValue().sinceMs() < POLL_AFTER_MS) {
                continue;
            }
            polls++;
            try {
                final Finality status = txStatus(Hex.decode(e.getKey()));
                if (status.isOutcome()) {
                    e.getValue().future().complete(status);
                }
            } catch (final RuntimeException ignored) {
                // The node may be briefly unreachable; the next tick asks again.
            }
        }
        ensureStream();
    }

    private HttpRequest post(final String path, final String body) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode get(final String path) {
        final HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BasaltException("UNREACHABLE", "interrupted", e);
        } catch (final IOException e) {
            throw unreachable(e);
        }
        if (response.statusCode() != 200) {
            throw error(response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new BasaltException("BAD_RESPONSE", "the node answered something that is not JSON", e);
        }
    }

    private BasaltException unreachable(final Throwable cause) {
        final Throwable root = cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException
            ? cause.getCause() : cause;
        return new BasaltException("UNREACHABLE", "cannot reach " + base + " (" + root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")", root);
    }

    private static BasaltException error(final HttpResponse<String> response) {
        try {
            final JsonNode body = JSON.readTree(response.body());
            return new BasaltException(body.path("code").asText("HTTP_" + response.statusCode()),
                body.path("message").asText(""), response.statusCode());
        } catch (final IOException | RuntimeException e) {
            return new BasaltException("HTTP_" + response.statusCode(), "the node answered HTTP " + response.statusCode(),
                response.statusCode());
        }
    }
}
