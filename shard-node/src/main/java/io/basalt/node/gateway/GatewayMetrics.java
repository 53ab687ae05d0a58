package io.basalt.node.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP gateway's own counters, rendered in the Prometheus text format after the node's metrics.
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

    void request(final String route, final int status) {
        requests.computeIfAbsent(route + '\u0000' + status, k -> new LongAdder()).increment();
    }

    long requests(final String route, final int status) {
        final LongAdder adder = requests.get(route + '\u0000' + status);
        return adder == null ? 0 : adder.sum();
    }

    String render() {
        final StringBuilder out = new StringBuilder(1024);
        out.append("# HELP basalt_gateway_http_requests_total HTTP requests answered, by route template and status.\n");
        out.append("# TYPE basalt_gateway_http_requests_total counter\n");
        for (final Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
            final int split = e.getKey().indexOf('\u0000');
            out.append("basalt_gateway_http_requests_total{route=\"").append(e.getKey(), 0, split)
                .append("\",status=\"").append(e.getKey(), split + 1, e.getKey().length()).append("\"} ")
                .append(e.getValue().sum()).append('\n');
        }
        gauge(out, "basalt_gateway_ws_connections", "Open WebSocket finality streams.", wsOpen.get());
        counter(out, "basalt_gateway_ws_connections_total", "WebSocket finality streams opened.", wsOpened.sum());
        counter(out, "basalt_gateway_ws_refused_total", "WebSocket upgrades refused at the connection limit.", wsRefused.sum());
        counter(out, "basalt_gateway_ws_dropped_slow_total", "Streams disconnected because their queue was full.", wsDroppedSlow.sum());
        counter(out, "basalt_gateway_ws_messages_sent_total", "Messages written to WebSocket streams.", wsMessagesSent.sum());
        counter(out, "basalt_gateway_stream_events_dropped_total",
            "Finality events the gateway could not take from the node (its queue was full; streams were reset).",
            streamEventsDropped.sum());
        counter(out, "basalt_gateway_faucet_transfers_total", "Faucet transfers submitted.", faucetTransfers.sum());
        counter(out, "basalt_gateway_internal_errors_total", "Requests that failed inside the gateway or node.", internalErrors.sum());
        counter(out, "basalt_gateway_client_aborts_total", "Requests whose client hung up before its body was read.", clientAborts.sum());
        counter(out, "basalt_gateway_body_timeouts_total", "Requests answered 408 because the body did not arrive in time.", bodyTimeouts.sum());
        counter(out, "basalt_gateway_connections_refused_total",
            "Connections closed at accept because their address held its maximum.", connectionsRefused.sum());
        counter(out, "basalt_gateway_rate_limited_total", "Requests answered 429 RATE_LIMITED (requests or faucet).", rateLimited.sum());
        return out.toString();
    }

    private static void counter(final StringBuilder out, final String name, final String help, final long value) {
        metric(out, name, help, "counter", value);
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final long value) {
        metric(out, name, help, "gauge", value);
    }

    private static void metric(final StringBuilder out, final String name, final String help, final String type, final long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ').append(value).append('\n');
    }
}
