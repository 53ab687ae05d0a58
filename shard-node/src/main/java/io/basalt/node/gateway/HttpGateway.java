package io.basalt.node.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.node.api.NodeApi;
import io.basalt.node.api.NodeStatus;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.HttpLimits;
import io.basalt.node.metrics.ValidatorRegistry;
import io.basalt.crypto.Sha256;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.ProtocolLimits;
import io.basalt.protocol.TransactionSender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.agrona.concurrent.UnsafeBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The HTTP/JSON gateway of one validator (docs/api.md): REST endpoints for submitting transactions
 * and reading state, a WebSocket finality stream on {@code /v1/stream}, Prometheus metrics,
 * liveness and readiness, and an optional faucet.
 *
 * <p>Jetty 12 serves REST and the WebSocket upgrade on one port: the JDK's HttpServer cannot hand
 * over the socket for an upgrade, and a second port for the stream would be one more thing for every
 * operator and client to configure. Jetty's core handler API is used directly, without servlets.
 *
 * <p>{@code GET /v1/network} serves the shard map of the genesis, so that a client seeded with any one
 * validator can find a validator of every shard; a submission refused with WRONG_SHARD names the
 * shard of its sender, computed here from the bytes and the genesis. {@code GET /v1/cluster} adds each
 * validator's round and committed height as this node last read them ({@link ClusterView}), and
 * {@code /dashboard/} is a live web page built on it and the stream ({@link DashboardAssets}).
 *
 * <p>Every request is answered: bad input gets a 4xx JSON error with a stable code
 * ({@link GatewayError} or {@link RejectCode}), a failure inside the node a 500, and nothing a
 * client sends can make an exception escape or the node wait. Errors Jetty raises itself (a bad
 * request line, oversized URI or headers) are the same JSON ({@link JsonErrorHandler}).
 *
 * <p>Holding under abuse (docs/api.md, "Limits"), with the bounds of {@link HttpLimits}:
 * <pre>
 *   accept ─▶ NetworkConnectionLimit (all clients) ─▶ ClientConnectionLimit (per address, closed at accept)
 *     ─▶ HTTP parser (header and URI limits; idle timeout)
 *     ─▶ DoSHandler (requests per second per address, 429; /health and /ready exempt)
 *     ─▶ WebSocketUpgradeHandler (streams: a slot taken atomically, 503 past the limit)
 *     ─▶ Routes: bodies read asynchronously, whole body within bodyReadTimeoutMs (408)
 * </pre>
 * No handler blocks a worker thread on the network: a body is read by demand callbacks, so a client
 * that sends half a body holds a connection (bounded per address) and a timer, never a thread, and
 * {@code /health} and {@code /ready}, which read nothing and ask the node only for its status, are
 * answered at once whatever other clients do. With {@link HttpLimits#livenessPort} they are also
 * served on a port with its own threads, which bulk traffic on the main port cannot reach.
 */
public final class HttpGateway implements AutoCloseable {
    /** Largest request body; a transaction is at most {@link ProtocolLimits#MAX_TX_BYTES}, hex-encoded. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** A body over the limit is read and dropped up to this size, so its sender gets the 413. */
    static final long MAX_DRAINED_BYTES = 1024 * 1024;
    public static final String STREAM_PATH = "/v1/stream";

    private static final int MAX_THREADS = 16;
    private static final int MIN_THREADS = 2;
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Addresses the DoSHandler tracks at once; beyond, new addresses are refused until some go idle. */
    private static final int MAX_TRACKED_CLIENTS = 4_096;
    /** Threads of the liveness port: an acceptor, a selector and a few for probes. */
    private static final int LIVENESS_THREADS = 6;
    private static final int LIVENESS_CONNECTIONS = 16;
    private static final String JSON = "application/json";
    /** The route template dashboard files are counted under in the request metrics. */
    private static final String DASHBOARD_ROUTE = "/dashboard/{file}";

    static {
        // A hex-encoded maximal transaction in its JSON envelope must fit the body limit.
        if (2 * ProtocolLimits.MAX_TX_BYTES + 64 > MAX_BODY_BYTES) {
            throw new IllegalStateException("MAX_BODY_BYTES must hold a hex-encoded maximal transaction");
        }
    }

    private final NodeApi node;
    private final Genesis genesis;
    /** The body of {@code GET /v1/network}: the genesis never changes, so it is written once. */
    private final String networkBody;
    private final Faucet faucet;
    private final ClientRateLimiter faucetLimiter;
    private final HttpLimits limits;
    private final GatewayMetrics metrics;
    private final Server server;
    private final ServerConnector connector;
    /** Serves only /health and /ready, on threads of its own; null without {@link HttpLimits#livenessPort}. */
    private final ServerConnector livenessConnector;
    private final FinalityStream stream;
    private final DashboardAssets dashboard = new DashboardAssets();
    private final ClusterView cluster;
    private AutoCloseable subscription;

    public HttpGateway(final NodeApi node, final InetSocketAddress bind, final KeyPair faucetKeyOrNull, final Genesis genesis) {
        this(node, bind, faucetKeyOrNull, genesis, HttpLimits.DEFAULT);
    }

    public HttpGateway(final NodeApi node, final InetSocketAddress bind, final KeyPair faucetKeyOrNull, final Genesis genesis,
                       final HttpLimits limits) {
        this(node, bind, faucetKeyOrNull, genesis, limits, new FinalityStream.Limits(
            FinalityStream.Limits.DEFAULT.eventQueueCapacity(), FinalityStream.Limits.DEFAULT.connectionQueueCapacity(),
            limits.maxStreams(), FinalityStream.Limits.DEFAULT.heartbeatMs()));
    }

    HttpGateway(final NodeApi node, final InetSocketAddress bind, final KeyPair faucetKeyOrNull, final Genesis genesis,
                final FinalityStream.Limits streamLimits) {
        this(node, bind, faucetKeyOrNull, genesis, HttpLimits.DEFAULT, streamLimits);
    }

    HttpGateway(final NodeApi node, final InetSocketAddress bind, final KeyPair faucetKeyOrNull, final Genesis genesis,
                final HttpLimits limits, final FinalityStream.Limits streamLimits) {
        this.node = Objects.requireNonNull(node, "node");
        this.genesis = Objects.requireNonNull(genesis, "genesis");
        this.limits = Objects.requireNonNull(limits, "limits");
        final NodeStatus self = node.status();
        this.metrics = new GatewayMetrics(self.shardId(), self.validatorIndex());
        this.networkBody = GatewayJson.network(genesis).toString();
        this.cluster = new ClusterView(genesis, node::status, System::currentTimeMillis);
        this.faucet = faucetKeyOrNull == null || !limits.faucetEnabled() ? null
            : new Faucet(Ed25519.fromSystemProperties(), faucetKeyOrNull, genesis.networkId(), genesis.fee());
        this.faucetLimiter = new ClientRateLimiter(limits.faucetRequestsPerMinutePerClient());

        final QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("basalt-gateway-http");
        threads.setDaemon(true);
        server = new Server(threads);
        final HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        // Hand a request over as soon as its headers are in, whatever Jetty's default: the body is read
        // asynchronously, so dispatching costs no thread, and the body-read timeout starts at the headers
        // (a client that sends headers and no body gets its 408 like the others; the abuse test checks it).
        http.setDelayDispatchUntilContent(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind.getHostString());
        connector.setPort(bind.getPort());
        connector.setIdleTimeout(limits.idleTimeoutMs());
        connector.addEventListener(new ClientConnectionLimit(limits.maxConnectionsPerClient(), metrics));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        livenessConnector = limits.livenessPort() == HttpLimits.NO_LIVENESS_PORT ? null : livenessConnector(bind, limits, http);
        server.setErrorHandler(new JsonErrorHandler(metrics));

        stream = new FinalityStream(streamLimits, metrics);
        final WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMillis(Math.max(4 * streamLimits.heartbeatMs(), 30_000)));
            container.setMaxTextMessageSize(4 * 1024);
            container.setMaxBinaryMessageSize(4 * 1024);
            container.addMapping(STREAM_PATH, (request, response, callback) -> {
                final FinalityStream.Connection connection = stream.newConnection();
                if (connection == null) {
                    answer(response, callback, Reply.error(STREAM_PATH, GatewayError.TOO_MANY_STREAMS,
                        GatewayError.TOO_MANY_STREAMS.message()), true);
                    return null;
                }
                metrics.request(STREAM_PATH, 101);
                return connection;
            });
        });
        upgrade.setHandler(new Routes());
        final DoSHandler perClientRate = new DoSHandler(upgrade, DoSHandler.ID_FROM_REMOTE_ADDRESS,
            new DoSHandler.LeakingBucketTrackerFactory(limits.requestsPerSecondPerClient()), this::rateLimited,
            MAX_TRACKED_CLIENTS);
        // Liveness and readiness stay answerable for a monitor that shares an address with a flood.
        perClientRate.excludePath("/health", "/ready");
        server.setHandler(livenessConnector == null ? perClientRate : new LivenessOnly(perClientRate));
    }

    /**
     * The liveness port: its own acceptor, selector and a small thread pool, so that a probe is
     * answered even when bulk traffic on the main port keeps every worker busy. It serves nothing but
     * {@code /health} and {@code /ready} ({@link LivenessOnly}); a few connections are enough for probes.
     */
    private ServerConnector livenessConnector(final InetSocketAddress bind, final HttpLimits limits, final HttpConfiguration http) {
        final QueuedThreadPool threads = new QueuedThreadPool(LIVENESS_THREADS, 1);
        threads.setName("basalt-gateway-liveness");
        threads.setDaemon(true);
        final ServerConnector liveness = new ServerConnector(server, threads, null, null, 1, 1, new HttpConnectionFactory(http));
        liveness.setName("liveness");
        liveness.setHost(bind.getHostString());
        liveness.setPort(limits.livenessPort());
        liveness.setIdleTimeout(limits.idleTimeoutMs());
        server.addConnector(liveness);
        server.addBean(new NetworkConnectionLimit(LIVENESS_CONNECTIONS, liveness));
        return liveness;
    }

    /** On the liveness port, everything but /health and /ready is 404: bulk traffic cannot move there. */
    private final class LivenessOnly extends Handler.Wrapper {
        LivenessOnly(final Handler next) {
            super(next);
        }

        @Override
        public boolean handle(final Request request, final Response response, final Callback callback) throws Exception {
            final String path = Request.getPathInContext(request);
            if (request.getConnectionMetaData().getConnector() == livenessConnector
                && !"/health".equals(path) && !"/ready".equals(path)) {
                answer(response, callback, Reply.error("other", GatewayError.NOT_FOUND,
                    "the liveness port serves only /health and /ready"), true);
                return true;
            }
            return super.handle(request, response, callback);
        }
    }

    /**
     * The DoSHandler's answer to a client over its rate. The body is not read, so a request that has one
     * closes its connection: otherwise Jetty, finding the body unread after a committed keep-alive
     * answer, drops the connection silently and the client's next request on it gets no answer at all.
     */
    private boolean rateLimited(final Request request, final Response response, final Callback callback) {
        metrics.rateLimited.increment();
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        answer(response, callback, Reply.error("rate", GatewayError.RATE_LIMITED, GatewayError.RATE_LIMITED.message()),
            hasBody(request));
        return true;
    }

    /** Writes {@code reply}; {@code close} asks Jetty to close the connection after it (the request was not read whole). */
    private void answer(final Response response, final Callback callback, final Reply reply, final boolean close) {
        metrics.request(reply.route(), reply.status());
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        Content.Sink.write(response, true, reply.body(), callback);
    }

    /** Binds and starts serving; subscribes to the node's finality events. */
    public void start() {
        try {
            server.start();
        } catch (final Exception e) {
            throw new IllegalStateException("cannot start the HTTP gateway on " + connector.getHost() + ":"
                + connector.getPort() + ": " + e.getMessage(), e);
        }
        stream.start();
        subscription = node.subscribe(stream);
    }

    /** The bound port (useful when binding port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The bound liveness port, or -1 when there is none. */
    public int livenessPort() {
        return livenessConnector == null ? HttpLimits.NO_LIVENESS_PORT : livenessConnector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            if (subscription != null) {
                subscription.close();
            }
        } catch (final Exception ignored) {
            // The node may already be closed; the gateway still shuts down.
        }
        stream.close();
        cluster.close();
        try {
            server.stop();
        } catch (final Exception e) {
            throw new IllegalStateException("HTTP gateway did not stop cleanly", e);
        }
    }

    /** Open WebSocket streams, for tests. */
    int streamConnections() {
        return stream.connectionCount();
    }

    int streamBacklog() {
        return stream.backlog();
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    /** An answer: HTTP status, body and the route template it is counted under. */
    private record Reply(String route, int status, String contentType, String body) {
        static Reply json(final String route, final int status, final JsonNode body) {
            return new Reply(route, status, JSON, body.toString());
        }

        static Reply error(final String route, final GatewayError error, final String message) {
            return json(route, error.httpStatus(), GatewayJson.error(error.name(), message));
        }

        static Reply reject(final String route, final RejectCode code, final byte[] txId) {
            return reject(route, GatewayJson.error(code.name(), code.message()), code, txId);
        }

        static Reply reject(final String route, final ObjectNode body, final RejectCode code, final byte[] txId) {
            return reject(route, body, httpStatus(code), txId);
        }

        static Reply reject(final String route, final ObjectNode body, final int status, final byte[] txId) {
            if (txId != null && txId.length > 0) {
                body.put("txId", Hex.encode(txId));
            }
            return json(route, status, body);
        }
    }

    /** HTTP status of a refused submission: 409 for a duplicate, 429 when overloaded, 503 when not ready. */
    static int httpStatus(final RejectCode code) {
        return switch (code) {
            case NONE -> 202;
            case DUPLICATE -> 409;
            case OVERLOADED -> 429;
            case NOT_READY -> 503;
            default -> 400;
        };
    }

    /** The SHA-256 of a transaction's signed prefix: its id. Only for bytes the canonical decoder accepted. */
    static byte[] txId(final byte[] tx) {
        final byte[] id = new byte[Sha256.DIGEST_BYTES];
        Sha256.perThread().digest(tx, 0, SignedRegion.signedLength(new UnsafeBuffer(tx), 0, tx.length), id, 0);
        return id;
    }

    /** Whether the request says its body is JSON ({@code application/json}, parameters such as charset allowed). */
    static boolean isJson(final Request request) {
        final String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        final int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT).equals(JSON);
    }

    private static boolean isRead(final String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private static boolean hasBody(final Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** Routes REST requests; upgrades to {@link #STREAM_PATH} never reach it. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(final Request request, final Response response, final Callback callback) {
            final String path = Request.getPathInContext(request);
            final boolean post = "POST".equals(request.getMethod());
            final boolean bodyRoute = post && ("/v1/transactions".equals(path) || "/v1/faucet".equals(path));
            if ((bodyRoute || hasBody(request)) && !isJson(request)) {
                // A web page may post text/plain or a form to a local node without a CORS preflight; JSON
                // needs a preflight, which the gateway never grants (OPTIONS is 405, no CORS headers).
                answer(response, callback, Reply.error(bodyRoute ? path : "other", GatewayError.UNSUPPORTED_MEDIA_TYPE,
                    GatewayError.UNSUPPORTED_MEDIA_TYPE.message()), hasBody(request));
                return true;
            }
            if (!bodyRoute && DashboardAssets.isUnder(path) && isRead(request.getMethod())) {
                final DashboardAssets.Asset asset = dashboard.find(path);
                if (asset != null) {
                    serveAsset(request, response, callback, asset);
                    return true;
                }
            }
            if (!bodyRoute) {
                answer(response, callback, safely(() -> route(request)), hasBody(request));
                return true;
            }
            if ("/v1/faucet".equals(path)) {
                final Reply refused = faucetRefusal(request);
                if (refused != null) {
                    answer(response, callback, refused, hasBody(request));
                    return true;
                }
            }
            if (request.getLength() > MAX_DRAINED_BYTES) {
                answer(response, callback, tooLarge(path), true);
                return true;
            }
            final Function<byte[], Reply> then = "/v1/faucet".equals(path) ? this::faucet : this::submit;
            new BodyRead(request, response, callback, path, then).start();
            return true;
        }

        /** A dashboard file: revalidated on every load (ETag), under the dashboard's Content-Security-Policy. */
        private void serveAsset(final Request request, final Response response, final Callback callback,
                                final DashboardAssets.Asset asset) {
            final boolean unchanged = DashboardAssets.matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), asset);
            metrics.request(DASHBOARD_ROUTE, unchanged ? 304 : 200);
            response.setStatus(unchanged ? 304 : 200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.getHeaders().put(HttpHeader.ETAG, asset.etag());
            response.getHeaders().put("Content-Security-Policy",
                DashboardAssets.contentSecurityPolicy(request.getHeaders().get(HttpHeader.HOST)));
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            if (unchanged || "HEAD".equals(request.getMethod())) {
                callback.succeeded();
                return;
            }
            response.write(true, java.nio.ByteBuffer.wrap(asset.bytes()), callback);
        }

        private Reply safely(final java.util.function.Supplier<Reply> answer) {
            try {
                return answer.get();
            } catch (final RuntimeException e) {
                metrics.internalErrors.increment();
                return Reply.error("error", GatewayError.INTERNAL, GatewayError.INTERNAL.message());
            }
        }

        private Reply route(final Request request) {
            final String path = Request.getPathInContext(request);
            final String method = request.getMethod();
            if (path.startsWith("/v1/transactions/")) {
                return get(method, "/v1/transactions/{txId}", () -> txStatus(path.substring("/v1/transactions/".length())));
            }
            if (DashboardAssets.isUnder(path)) {
                // The files themselves are served before routing; what reaches here names none of them.
                return isRead(method) ? Reply.error(DASHBOARD_ROUTE, GatewayError.NOT_FOUND, "no dashboard file " + truncate(path))
                    : notAllowed(DASHBOARD_ROUTE);
            }
            if (path.startsWith("/v1/accounts/") && path.endsWith("/balances")) {
                final String address = path.substring("/v1/accounts/".length(), path.length() - "/balances".length());
                return get(method, "/v1/accounts/{address}/balances", () -> balances(address));
            }
            return switch (path) {
                case "/v1/transactions", "/v1/faucet" -> notAllowed(path); // POST is routed before
                case "/v1/status" -> get(method, path, this::status);
                case "/v1/network" -> get(method, path, () -> new Reply(path, 200, JSON, networkBody));
                case "/v1/cluster" -> get(method, path, () -> Reply.json(path, 200, cluster.read()));
                case "/health" -> get(method, path, this::health);
                case "/ready" -> get(method, path, this::ready);
                case "/metrics" -> get(method, path, this::metricsText);
                case STREAM_PATH -> Reply.error(path, GatewayError.UPGRADE_REQUIRED, GatewayError.UPGRADE_REQUIRED.message());
                default -> Reply.error("other", GatewayError.NOT_FOUND, "no endpoint " + method + " " + truncate(path));
            };
        }

        /** UP while the node works; 503 DOWN with the reason once an agent died or an invariant broke. */
        private Reply health() {
            final String reason = node.failureReason();
            return reason == null
                ? Reply.json("/health", 200, GatewayJson.MAPPER.createObjectNode().put("status", "UP"))
                : Reply.json("/health", 503, GatewayJson.MAPPER.createObjectNode().put("status", "DOWN").put("reason", reason));
        }

        private Reply get(final String method, final String route, final java.util.function.Supplier<Reply> answer) {
            return isRead(method) ? answer.get() : notAllowed(route);
        }

        private Reply notAllowed(final String route) {
            return Reply.error(route, GatewayError.METHOD_NOT_ALLOWED, GatewayError.METHOD_NOT_ALLOWED.message());
        }

        private Reply tooLarge(final String route) {
            return Reply.error(route, GatewayError.BODY_TOO_LARGE, "request bodies are limited to " + MAX_BODY_BYTES + " bytes");
        }

        /**
         * Reads one request body without holding a thread: each chunk is taken in a demand callback, and
         * a timer answers 408 if the whole body has not arrived within {@link HttpLimits#bodyReadTimeoutMs}.
         * Whichever of "body complete", "client gone" and "timer fired" comes first wins {@code done}
         * and answers; the others do nothing. A body over {@link #MAX_BODY_BYTES} is read on and dropped
         * up to {@link #MAX_DRAINED_BYTES}, so that a client still sending sees its 413, not a reset.
         */
        private final class BodyRead implements Runnable {
            private final Request request;
            private final Response response;
            private final Callback callback;
            private final String route;
            private final Function<byte[], Reply> then;
            private final AtomicBoolean done = new AtomicBoolean();
            private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
            private long received;
            private Scheduler.Task timeout;

            BodyRead(final Request request, final Response response, final Callback callback, final String route,
                     final Function<byte[], Reply> then) {
                this.request = request;
                this.response = response;
                this.callback = callback;
                this.route = route;
                this.then = then;
            }

            void start() {
                timeout = server.getScheduler().schedule(this::timedOut, limits.bodyReadTimeoutMs(), TimeUnit.MILLISECONDS);
                run();
            }

            /** Reads what is there; asks to be called again when more arrives. */
            @Override
            public void run() {
                while (!done.get()) {
                    final Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        if (chunk.getFailure() instanceof java.util.concurrent.TimeoutException) {
                            timedOut(); // the connection's idle timeout came first: the same as ours
                        } else {
                            aborted(chunk.getFailure());
                        }
                        return;
                    }
                    final boolean last = chunk.isLast();
                    take(chunk);
                    chunk.release();
                    if (received > MAX_DRAINED_BYTES) {
                        finish(tooLarge(route), true);
                        return;
                    }
                    if (last) {
                        finish(received > MAX_BODY_BYTES ? tooLarge(route) : safely(() -> then.apply(body.toByteArray())), false);
                        return;
                    }
                }
            }

            private void take(final Content.Chunk chunk) {
                final java.nio.ByteBuffer bytes = chunk.getByteBuffer();
                final int n = bytes.remaining();
                if (received + n <= MAX_BODY_BYTES) {
                    if (bytes.hasArray()) {
                        body.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
                    } else {
                        final byte[] copy = new byte[n];
                        bytes.get(copy);
                        body.write(copy, 0, n);
                    }
                }
                received += n;
            }

            private void finish(final Reply reply, final boolean close) {
                if (done.compareAndSet(false, true)) {
                    timeout.cancel();
                    answer(response, callback, reply, close);
                }
            }

            /** The client hung up or the connection failed mid-body: nobody to answer, and not our failure. */
            private void aborted(final Throwable cause) {
                if (done.compareAndSet(false, true)) {
                    timeout.cancel();
                    metrics.clientAborts.increment();
                    callback.failed(cause);
                }
            }

            private void timedOut() {
                if (done.compareAndSet(false, true)) {
                    metrics.bodyTimeouts.increment();
                    answer(response, callback, Reply.error(route, GatewayError.REQUEST_TIMEOUT,
                        "the request body did not arrive within " + limits.bodyReadTimeoutMs() + " ms"), true);
                }
            }
        }

        private Reply submit(final byte[] body) {
            final String route = "/v1/transactions";
            final JsonNode json = parseObject(body);
            final String txHex = json == null ? null : text(json, "tx");
            if (txHex == null) {
                return Reply.error(route, GatewayError.BAD_JSON, "expected {\"tx\": \"<hex of the signed transaction>\"}");
            }
            if (txHex.length() > 2 * ProtocolLimits.MAX_TX_BYTES) {
                return Reply.error(route, GatewayError.BAD_LENGTH, "a transaction is at most " + ProtocolLimits.MAX_TX_BYTES + " bytes");
            }
            final byte[] tx = hex(txHex);
            if (tx == null) {
                return Reply.error(route, GatewayError.BAD_HEX, "tx must be an even number of hex digits");
            }
            final DecodeError decode = MessageValidator.validateUserTransaction(new UnsafeBuffer(tx), 0, tx.length);
            if (!decode.isOk()) {
                return Reply.json(route, 400, GatewayJson.error(RejectCode.MALFORMED.name(),
                    RejectCode.MALFORMED.message() + ": " + decode.name() + " (" + decode.message() + ")"));
            }
            return submitWellFormed(route, tx, null);
        }

        /** Submits bytes the canonical decoder accepted: from here on every answer carries their id. */
        private Reply submitWellFormed(final String route, final byte[] tx, final ObjectNode extra) {
            final byte[] txId = txId(tx);
            final SubmitResult result;
            try {
                result = node.submit(tx);
            } catch (final RuntimeException e) {
                metrics.internalErrors.increment();
                return Reply.reject(route, GatewayJson.error(GatewayError.INTERNAL.name(), GatewayError.INTERNAL.message()),
                    GatewayError.INTERNAL.httpStatus(), txId);
            }
            if (result.accepted() && "/v1/faucet".equals(route)) {
                metrics.faucetTransfers.increment();
            }
            final byte[] known = result.txId();
            return submitted(route, tx, new SubmitResult(known == null || known.length == 0 ? txId : known, result.code()), extra);
        }

        private Reply submitted(final String route, final byte[] tx, final SubmitResult result, final ObjectNode extra) {
            if (result.code() == RejectCode.WRONG_SHARD) {
                return Reply.reject(route, wrongShard(tx), RejectCode.WRONG_SHARD, result.txId());
            }
            if (!result.accepted()) {
                return Reply.reject(route, result.code(), result.txId());
            }
            final ObjectNode body = GatewayJson.MAPPER.createObjectNode();
            body.put("txId", Hex.encode(result.txId()));
            body.put("status", "ACCEPTED");
            if (extra != null) {
                body.setAll(extra);
            }
            return Reply.json(route, 202, body);
        }

        /** Why a faucet request is refused before its body is read (no faucet, or its client over the rate), or null. */
        private Reply faucetRefusal(final Request request) {
            final String route = "/v1/faucet";
            if (faucet == null) {
                return Reply.error(route, GatewayError.FAUCET_DISABLED, GatewayError.FAUCET_DISABLED.message());
            }
            if (!faucetLimiter.tryAcquire(Request.getRemoteAddr(request), System.nanoTime())) {
                metrics.rateLimited.increment();
                return Reply.error(route, GatewayError.RATE_LIMITED, "the faucet serves "
                    + limits.faucetRequestsPerMinutePerClient() + " requests per minute per client; retry later");
            }
            return null;
        }

        private Reply faucet(final byte[] body) {
            final String route = "/v1/faucet";
            final JsonNode json = parseObject(body);
            final String accountHex = json == null ? null : text(json, "account");
            if (accountHex == null || !json.has("amount")) {
                return Reply.error(route, GatewayError.BAD_JSON, "expected {\"account\": \"<hex address>\", \"amount\": N}");
            }
            final byte[] account = address(accountHex);
            if (account == null) {
                return Reply.error(route, GatewayError.BAD_HEX, "account must be 64 hex digits (a 32-byte public key)");
            }
            final JsonNode amount = json.get("amount");
            // A JSON integer literal only: not 1.0, 1e3 or "5" (Jackson already refuses '+' and leading zeros).
            if (!amount.isIntegralNumber() || !amount.canConvertToLong()
                || amount.asLong() < 1 || amount.asLong() > Faucet.MAX_AMOUNT_PER_REQUEST) {
                return Reply.error(route, GatewayError.BAD_AMOUNT,
                    "amount must be an integer from 1 to " + Faucet.MAX_AMOUNT_PER_REQUEST);
            }
            final byte[] tx = faucet.transfer(account, amount.asLong(), node.status().consensusTimeMs());
            final ObjectNode extra = GatewayJson.MAPPER.createObjectNode();
            extra.put("from", Hex.encode(faucet.address()));
            extra.put("amount", amount.asLong());
            return submitWellFormed(route, tx, extra);
        }

        /**
         * A WRONG_SHARD answer that says where to go instead. The shard is computed from the sender
         * and the genesis, as admission computes it, so it is right whatever the node's state.
         */
        private ObjectNode wrongShard(final byte[] tx) {
            final int shard = Shards.shardOf(TransactionSender.of(tx), genesis.shardCount());
            final ObjectNode body = GatewayJson.error(RejectCode.WRONG_SHARD.name(),
                "the sender's account lives on shard " + shard + "; submit to a validator of shard " + shard);
            body.put("shard", shard);
            return body;
        }

        private Reply txStatus(final String txIdHex) {
            final String route = "/v1/transactions/{txId}";
            final byte[] txId = txIdHex.length() == 64 ? hex(txIdHex) : null;
            if (txId == null) {
                return Reply.error(route, txIdHex.length() == 64 ? GatewayError.BAD_HEX : GatewayError.BAD_LENGTH,
                    "a transaction id is 64 hex digits (SHA-256 of the signed bytes)");
            }
            return Reply.json(route, 200, GatewayJson.txStatus(txId, node.txStatus(txId)));
        }

        private Reply balances(final String addressHex) {
            final String route = "/v1/accounts/{address}/balances";
            final byte[] account = address(addressHex);
            if (account == null) {
                return Reply.error(route, addressHex.length() == 64 ? GatewayError.BAD_HEX : GatewayError.BAD_LENGTH,
                    "an address is 64 hex digits (a 32-byte public key)");
            }
            final int shard = Shards.shardOf(account, genesis.shardCount());
            return Reply.json(route, 200, GatewayJson.balances(account, shard, node.status().shardId(), node.balances(account)));
        }

        private Reply status() {
            return Reply.json("/v1/status", 200, GatewayJson.status(node.status(), genesis.fee()));
        }

        private Reply ready() {
            final NodeStatus status = node.status();
            if (status.ready()) {
                return Reply.json("/ready", 200, GatewayJson.MAPPER.createObjectNode().put("ready", true));
            }
            return Reply.json("/ready", 503, GatewayJson.error(RejectCode.NOT_READY.name(), RejectCode.NOT_READY.message()));
        }

        private Reply metricsText() {
            String nodeText;
            try {
                nodeText = node.metricsText();
            } catch (final RuntimeException e) {
                metrics.internalErrors.increment();
                nodeText = "# node metrics unavailable\n";
            }
            if (!nodeText.isEmpty() && !nodeText.endsWith("\n")) {
                nodeText += "\n";
            }
            // Both parts are the library's text format 0.0.4 with distinct metric names: together, one valid scrape.
            return new Reply("/metrics", 200, ValidatorRegistry.CONTENT_TYPE, nodeText + metrics.render());
        }
    }

    private static JsonNode parseObject(final byte[] body) {
        try {
            final JsonNode json = GatewayJson.MAPPER.readTree(body);
            return json != null && json.isObject() ? json : null;
        } catch (final IOException e) {
            return null;
        }
    }

    private static String text(final JsonNode json, final String field) {
        final JsonNode value = json.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static byte[] hex(final String text) {
        try {
            return Hex.decode(text);
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] address(final String text) {
        return text.length() == 2 * Shards.ADDRESS_BYTES ? hex(text) : null;
    }

    private static String truncate(final String path) {
        return path.length() > 64 ? path.substring(0, 64) + "..." : path;
    }
}
