package io.basalt.node.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.node.api.NodeStatus;
import io.basalt.node.config.Genesis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The body of {@code GET /v1/cluster}: every validator of the network map with its round and
 * committed height, as this node last read them from each validator's own {@code GET /v1/status}.
 * A browser cannot ask the other validators itself (the gateway grants no CORS), so the dashboard
 * asks its node, and the node asks its peers.
 *
 * <p>The node asks nobody on its own: a refresh starts only when a client reads the view and the
 * last one is older than {@link #REFRESH_MS}, one refresh at a time, each peer asked with a
 * {@link #TIMEOUT} deadline. However many clients read, each peer gets at most one request per
 * {@link #REFRESH_MS} from this node. A read is answered at once from what the last refresh found
 * (never waiting on the network); {@code ageMs} says how old each figure is, and a validator that
 * did not answer the last refresh is {@code reachable: false} with the reason.
 */
final class ClusterView implements AutoCloseable {
    static final long REFRESH_MS = 1_000;
    static final Duration TIMEOUT = Duration.ofMillis(900);

    /** What one validator said of itself, or why it said nothing; {@code readAtMs} is when. */
    private record Observation(boolean reachable, long round, long committedHeight, boolean ready, String error,
                               long readAtMs) {
    }

    private final Genesis genesis;
    private final Supplier<NodeStatus> self;
    private final LongSupplier clockMs;
    /** The last observation of each other validator, by "shard/index" (two may share an endpoint by mistake). */
    private final Map<String, Observation> observations = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long nextRefreshMs = Long.MIN_VALUE;
    private ExecutorService executor;
    private HttpClient client;

    ClusterView(final Genesis genesis, final Supplier<NodeStatus> self, final LongSupplier clockMs) {
        this.genesis = genesis;
        this.self = self;
        this.clockMs = clockMs;
    }

    /** The view as last refreshed (this node's own row is always current); starts a refresh if it is stale. */
    ObjectNode read() {
        final long nowMs = clockMs.getAsLong();
        final NodeStatus own = self.get();
        final int selfShard = own.shardId();
        final int selfIndex = own.validatorIndex();
        if (nowMs >= nextRefreshMs && refreshing.compareAndSet(false, true)) {
            nextRefreshMs = nowMs + REFRESH_MS;
            refresh(selfShard, selfIndex);
        }
        final ObjectNode body = GatewayJson.MAPPER.createObjectNode();
        body.put("shardId", selfShard);
        body.put("validatorIndex", selfIndex);
        body.put("refreshMs", REFRESH_MS);
        final ArrayNode shards = body.putArray("shards");
        for (final Genesis.Shard shard : genesis.shards()) {
            final ObjectNode shardNode = shards.addObject();
            shardNode.put("shardId", shard.shardId());
            final ArrayNode validators = shardNode.putArray("validators");
            for (final Genesis.Validator validator : shard.validators()) {
                final boolean isSelf = shard.shardId() == selfShard && validator.index() == selfIndex;
                final Observation seen = isSelf
                    ? new Observation(true, own.round(), own.committedHeight(), own.ready(), null, nowMs)
                    : observations.get(key(shard.shardId(), validator.index()));
                final ObjectNode row = validators.addObject();
                row.put("index", validator.index());
                row.put("publicKey", validator.publicKey());
                row.put("httpEndpoint", validator.httpEndpoint());
                row.put("self", isSelf);
                if (seen == null) {
                    row.put("reachable", false);
                    row.put("error", "not asked yet");
                    continue;
                }
                row.put("reachable", seen.reachable());
                row.put("ageMs", Math.max(0, nowMs - seen.readAtMs()));
                if (seen.reachable()) {
                    row.put("round", seen.round());
                    row.put("committedHeight", seen.committedHeight());
                    row.put("ready", seen.ready());
                } else {
                    row.put("error", seen.error());
                }
            }
        }
        return body;
    }

    /** Asks every other validator for its status at once; the last answer to come clears {@link #refreshing}. */
    private void refresh(final int selfShard, final int selfIndex) {
        final HttpClient http = client();
        CompletableFuture<?> all = CompletableFuture.completedFuture(null);
        for (final Genesis.Shard shard : genesis.shards()) {
            for (final Genesis.Validator validator : shard.validators()) {
                if (shard.shardId() == selfShard && validator.index() == selfIndex) {
                    continue;
                }
                all = CompletableFuture.allOf(all, ask(http, shard.shardId(), validator));
            }
        }
        all.whenComplete((ignored, failure) -> refreshing.set(false));
    }

    private CompletableFuture<Void> ask(final HttpClient http, final int shardId, final Genesis.Validator validator) {
        final String key = key(shardId, validator.index());
        final CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = http.sendAsync(HttpRequest.newBuilder(URI.create("http://" + validator.httpEndpoint() + "/v1/status"))
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (final RuntimeException e) { // an endpoint the URI parser refuses
            observations.put(key, unreachable(e));
            return CompletableFuture.completedFuture(null);
        }
        return sent.handle((response, failure) -> {
            observations.put(key, failure != null ? unreachable(failure) : parse(shardId, validator.index(), response));
            return null;
        });
    }

    private static String key(final int shardId, final int index) {
        return shardId + "/" + index;
    }

    private Observation parse(final int shardId, final int index, final HttpResponse<String> response) {
        final long nowMs = clockMs.getAsLong();
        if (response.statusCode() != 200) {
            return new Observation(false, 0, 0, false, "status answered HTTP " + response.statusCode(), nowMs);
        }
        try {
            final JsonNode status = GatewayJson.MAPPER.readTree(response.body());
            if (status.path("networkId").asLong(-1) != Integer.toUnsignedLong(genesis.networkId())
                || status.path("shardId").asInt(-1) != shardId || status.path("validatorIndex").asInt(-1) != index) {
                return new Observation(false, 0, 0, false, "the endpoint answers as another validator", nowMs);
            }
            return new Observation(true, status.path("round").asLong(), status.path("committedHeight").asLong(),
                status.path("ready").asBoolean(), null, nowMs);
        } catch (final java.io.IOException e) {
            return new Observation(false, 0, 0, false, "status is not JSON", nowMs);
        }
    }

    private Observation unreachable(final Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException) {
            cause = cause.getCause();
        }
        final String reason = cause instanceof java.net.http.HttpTimeoutException ? "no answer within " + TIMEOUT.toMillis() + " ms"
            : cause instanceof java.net.ConnectException ? "connection refused"
            : cause.getClass().getSimpleName();
        return new Observation(false, 0, 0, false, reason, clockMs.getAsLong());
    }

    /** Built on first use: a node whose view nobody reads holds no client and no thread for it. */
    private synchronized HttpClient client() {
        if (client == null) {
            executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("basalt-gateway-cluster-view").daemon().factory());
            client = HttpClient.newBuilder().executor(executor).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.shutdownNow();
            executor.shutdownNow();
        }
    }
}
