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
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.ProtocolLimits;
import io.basalt.protocol.TransactionSender;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.agrona.concurrent.UnsafeBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
 * shard of its sender, computed here from the bytes and the genesis.
 *
 * <p>Every request is answered: bad input gets a 4xx JSON error with a stable code
 * ({@link GatewayError} or {@link RejectCode}), a failure inside the node a 500, and nothing a
 * client sends can make an exception escape or the node wait. Bodies are capped at
 * {@link #MAX_BODY_BYTES}; threads, streams and queues are bounded.
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
    private static final Duration HTTP_IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

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
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final Server server;
    private final ServerConnector connector;
    private final FinalityStream stream;
    private AutoCloseable subscription;

    public HttpGateway(final NodeApi node, final InetSocketAddress bind, final KeyPair faucetKeyOrNull, final Genesis genesis) {
        this(node, bind, faucetKeyOrNull, genesis, FinalityStream.Limits.DEFAULT);
    }

    HttpGateway(final NodeApi node, final InetSocketAddress bind, final KeyPair faucetKeyOrNull, final Genesis genesis,
                final FinalityStream.Limits streamLimits) {
        this.node = Objects.requireNonNull(node, "node");
        this.genesis = Objects.requireNonNull(genesis, "genesis");
        this.networkBody = GatewayJson.network(genesis).toString();
        this.faucet = faucetKeyOrNull == null ? null
            : new Faucet(Ed25519.fromSystemProperties(), faucetKeyOrNull, genesis.networkId(), genesis.fee());

        final QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("basalt-gateway-http");
        threads.setDaemon(true);
        server = new Server(threads);
        final HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind.getHostString());
        connector.setPort(bind.getPort());
        connector.setIdleTimeout(HTTP_IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        stream = new FinalityStream(streamLimits, metrics);
        final WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMillis(Math.max(4 * streamLimits.heartbeatMs(), 30_000)));
            container.setMaxTextMessageSize(4 * 1024);
            container.setMaxBinaryMessageSize(4 * 1024);
            container.addMapping(STREAM_PATH, (request, response, callback) -> {
                final FinalityStream.Connection connection = stream.newConnection();
                if (connection == null) {
                    metrics.request(STREAM_PATH, 503);
                    Response.writeError(request, response, callback, 503, GatewayError.TOO_MANY_STREAMS.message());
                    return null;
                }
                metrics.request(STREAM_PATH, 101);
                return connection;
            });
        });
        upgrade.setHandler(new Routes());
        server.setHandler(upgrade);
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
            if (txId != null) {
                body.put("txId", Hex.encode(txId));
            }
            return json(route, httpStatus(code), body);
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

    /** A request whose body could not be read within the limit. */
    private static final class BodyTooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    /** Routes REST requests; upgrades to {@link #STREAM_PATH} never reach it. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(final Request request, final Response response, final Callback callback) {
            Reply reply;
            try {
                reply = route(request);
            } catch (final BodyTooLarge e) {
                reply = Reply.error("body", GatewayError.BODY_TOO_LARGE, "request bodies are limited to " + MAX_BODY_BYTES + " bytes");
            } catch (final RuntimeException | IOException e) {
                metrics.internalErrors.increment();
                reply = Reply.error("error", GatewayError.INTERNAL, GatewayError.INTERNAL.message());
            }
            metrics.request(reply.route(), reply.status());
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            Content.Sink.write(response, true, reply.body(), callback);
            return true;
        }

        private Reply route(final Request request) throws IOException, BodyTooLarge {
            final String path = Request.getPathInContext(request);
            final String method = request.getMethod();
            if (path.startsWith("/v1/transactions/")) {
                return get(method, "/v1/transactions/{txId}", () -> txStatus(path.substring("/v1/transactions/".length())));
            }
            if (path.startsWith("/v1/accounts/") && path.endsWith("/balances")) {
                final String address = path.substring("/v1/accounts/".length(), path.length() - "/balances".length());
                return get(method, "/v1/accounts/{address}/balances", () -> balances(address));
            }
            return switch (path) {
                case "/v1/transactions" -> "POST".equals(method) ? submit(readBody(request)) : notAllowed(path);
                case "/v1/faucet" -> "POST".equals(method) ? faucet(readBody(request)) : notAllowed(path);
                case "/v1/status" -> get(method, path, this::status);
                case "/v1/network" -> get(method, path, () -> new Reply(path, 200, JSON, networkBody));
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
            return "GET".equals(method) || "HEAD".equals(method) ? answer.get() : notAllowed(route);
        }

        private Reply notAllowed(final String route) {
            return Reply.error(route, GatewayError.METHOD_NOT_ALLOWED, GatewayError.METHOD_NOT_ALLOWED.message());
        }

        private byte[] readBody(final Request request) throws IOException, BodyTooLarge {
            final long declared = request.getLength();
            try (InputStream in = Request.asInputStream(request)) {
                if (declared > MAX_BODY_BYTES) {
                    drain(in, declared);
                    throw new BodyTooLarge();
                }
                final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    drain(in, 0);
                    throw new BodyTooLarge();
                }
                return body;
            }
        }

        /**
         * Reads and drops what a client sends past the limit, up to {@link #MAX_DRAINED_BYTES}: a
         * client still sending when the connection closes would see a reset instead of the 413.
         */
        private static void drain(final InputStream in, final long declared) throws IOException {
            if (declared <= MAX_DRAINED_BYTES) {
                final byte[] sink = new byte[8192];
                long left = MAX_DRAINED_BYTES;
                int n;
                while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                    left -= n;
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
            return submitted(route, tx, node.submit(tx), null);
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

        private Reply faucet(final byte[] body) {
            final String route = "/v1/faucet";
            if (faucet == null) {
                return Reply.error(route, GatewayError.FAUCET_DISABLED, GatewayError.FAUCET_DISABLED.message());
            }
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
            if (!amount.canConvertToExactIntegral() || !amount.canConvertToLong()
                || amount.asLong() < 1 || amount.asLong() > Faucet.MAX_AMOUNT_PER_REQUEST) {
                return Reply.error(route, GatewayError.BAD_AMOUNT,
                    "amount must be an integer from 1 to " + Faucet.MAX_AMOUNT_PER_REQUEST);
            }
            final byte[] tx = faucet.transfer(account, amount.asLong(), node.status().consensusTimeMs());
            final SubmitResult result = node.submit(tx);
            if (result.accepted()) {
                metrics.faucetTransfers.increment();
            }
            final ObjectNode extra = GatewayJson.MAPPER.createObjectNode();
            extra.put("from", Hex.encode(faucet.address()));
            extra.put("amount", amount.asLong());
            return submitted(route, tx, result, extra);
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
            return new Reply("/metrics", 200, PROMETHEUS, nodeText + metrics.render());
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
