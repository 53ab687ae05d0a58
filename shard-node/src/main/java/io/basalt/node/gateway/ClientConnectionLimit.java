package io.basalt.node.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.SelectorManager;

/**
 * At most {@code maxPerClient} open connections from one IP address. Jetty's
 * {@link org.eclipse.jetty.server.NetworkConnectionLimit} bounds all connections together; this bounds
 * each address, so that one client cannot take the whole budget and lock out the others.
 *
 * <p>It listens at the socket level ({@link SelectorManager.AcceptListener}), not per HTTP connection,
 * so that a WebSocket upgrade (which swaps the connection object on the same socket) still counts once.
 * A socket over the limit is closed in {@code onAccepting}, before Jetty registers it: it never reaches
 * HTTP parsing or a worker thread, and Jetty reports it back through {@code onAcceptFailed}.
 *
 * <pre>
 *   onAccepting ─ count(addr)++ ─ over? close ─▶ onAcceptFailed ─ count(addr)--
 *                                  else ──────▶ ... ─▶ onClosed ─ count(addr)--
 * </pre>
 * The count is taken before the check and given back exactly once per channel (the channel map
 * remembers which address it was counted under, since a closed channel no longer knows its peer),
 * so concurrent accepts never let an address past the limit.
 */
final class ClientConnectionLimit implements SelectorManager.AcceptListener {
    private final int maxPerClient;
    private final GatewayMetrics metrics;
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final Map<SelectableChannel, InetAddress> counted = new ConcurrentHashMap<>();

    ClientConnectionLimit(final int maxPerClient, final GatewayMetrics metrics) {
        if (maxPerClient < 1) {
            throw new IllegalArgumentException("maxPerClient must be positive: " + maxPerClient);
        }
        this.maxPerClient = maxPerClient;
        this.metrics = metrics;
    }

    @Override
    public void onAccepting(final SelectableChannel channel) {
        final InetAddress address = remote(channel);
        if (address == null) {
            return;
        }
        counted.put(channel, address);
        final int open = perClient.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (open > maxPerClient) {
            metrics.connectionsRefused.increment();
            try {
                channel.close();
            } catch (final IOException ignored) {
                // Closing a socket we refuse: nothing more to do if it fails.
            }
            // Jetty reports the failed registration through onAcceptFailed; if it does not (the channel
            // was already registered), give the count back here so it cannot leak.
            if (!channel.isRegistered()) {
                release(channel);
            }
        }
    }

    @Override
    public void onAcceptFailed(final SelectableChannel channel, final Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(final SelectableChannel channel) {
        release(channel);
    }

    /** Open connections from {@code address}, for tests and metrics. */
    int open(final InetAddress address) {
        final AtomicInteger count = perClient.get(address);
        return count == null ? 0 : count.get();
    }

    private void release(final SelectableChannel channel) {
        final InetAddress address = counted.remove(channel);
        if (address == null) {
            return;
        }
        perClient.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private static InetAddress remote(final SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel socket && socket.getRemoteAddress() instanceof InetSocketAddress peer
                ? peer.getAddress() : null;
        } catch (final IOException e) {
            return null;
        }
    }
}
