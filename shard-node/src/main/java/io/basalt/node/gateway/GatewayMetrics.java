package io.basalt.node.gateway;

import io.basalt.node.metrics.ValidatorRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP gateway's own counters, in a registry of its own that /metrics renders after the node's,
 * labelled with the validator's shard and index like the node's series.
 *
 * <p>Routes are the templates of {@link HttpGateway} ({@code /v1/transactions/{txId}}), never raw
 * paths, so a client cannot grow the label set: anything unrouted counts as {@code other}.
 */
final class GatewayMetrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    final AtomicLong wsOpen = new AtomicLong();
    final LongAdder wsOpened = new LongAdder();
    final LongAdder wsDroppedSlow = new LongAdder();
    final LongAdder wsRefused = new LongAdder();
    final LongAdder wsMessagesSent = new LongAdder();
    final LongAdder streamEventsDropped = new LongAdder();
    final LongAdder faucetTransfers = new LongAdder();
    final LongAdder internalErrors = new LongAdder();
    final LongAdder clientAborts = new LongAdder();
    final LongAdder bodyTimeouts = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    private final ValidatorRegistry registry;

    GatewayMetrics(final int shardId, final int validatorIndex) {
        registry = new ValidatorRegistry(shardId, validatorIndex);
        registry.counters("basalt_gateway_http_requests_total", "HTTP requests answered, by route template and status.",
            cb -> {
                for (final Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
                    final int split = e.getKey().indexOf('\u0000');
                    cb.call(e.getValue().sum(), e.getKey().substring(0, split), e.getKey().substring(split + 1));
                }
            }, "route", "status");
        registry.gauge("basalt_gateway_ws_connections", "Open WebSocket finality streams.", wsOpen::get);
        registry.counter("basalt_gateway_ws_opened_total", "WebSocket finality streams opened.", wsOpened::sum);
        registry.counter("basalt_gateway_ws_refused_total", "WebSocket upgrades refused at the connection limit.",
            wsRefused::sum);
        registry.counter("basalt_gateway_ws_dropped_slow_total", "Streams disconnected because their queue was full.",
            wsDroppedSlow::sum);
        registry.counter("basalt_gateway_ws_messages_sent_total", "Messages written to WebSocket streams.",
            wsMessagesSent::sum);
        registry.counter("basalt_gateway_stream_events_dropped_total",
            "Finality events the gateway could not take from the node (its queue was full; streams were reset).",
            streamEventsDropped::sum);
        registry.counter("basalt_gateway_faucet_transfers_total", "Faucet transfers submitted.", faucetTransfers::sum);
        registry.counter("basalt_gateway_internal_errors_total", "Requests that failed inside the gateway or node.",
            internalErrors::sum);
        registry.counter("basalt_gateway_client_aborts_total", "Requests whose client hung up before its body was read.",
            clientAborts::sum);
        registry.counter("basalt_gateway_body_timeouts_total",
            "Requests answered 408 because the body did not arrive in time.", bodyTimeouts::sum);
        registry.counter("basalt_gateway_connections_refused_total",
            "Connections closed at accept because their address held its maximum.", connectionsRefused::sum);
        registry.counter("basalt_gateway_rate_limited_total", "Requests answered 429 RATE_LIMITED (requests or faucet).",
            rateLimited::sum);
    }

    void request(final String route, final int status) {
        requests.computeIfAbsent(route + '\u0000' + status, k -> new LongAdder()).increment();
    }

    long requests(final String route, final int status) {
        final LongAdder adder = requests.get(route + '\u0000' + status);
        return adder == null ? 0 : adder.sum();
    }

    /** The gateway's series in the Prometheus text format 0.0.4. */
    String render() {
        return registry.render();
    }
}
