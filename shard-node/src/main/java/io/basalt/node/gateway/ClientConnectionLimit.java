package io.basalt.node.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.SelectorManager;

/**
 * At most {@code maxPerClient} open connections from one IP address. Jetty's
 * {@link org.eclipse.jetty.server.NetworkConnectionLimit} bounds all connections together; this bounds
 * each address, so that one client cannot take the whole budget and lock out the others.
 *
 * <p>It listens at the socket level ({@link SelectorManager.AcceptListener}), not per HTTP connection,
 * so that a WebSocket upgrade (which swaps the connection object on the same socket) still counts once.
 * A socket over the limit is closed in {@code onAccepting}, before Jetty registers it: it never reaches
 * HTTP parsing or a worker thread.
 *
 * <pre>
 *   onAccepting ─ count(addr)++ ─ over? close, count(addr)--   (then onAcceptFailed: nothing left to give back)
 *                                  else ──▶ ... ─▶ onClosed or onAcceptFailed ─ count(addr)--
 * </pre>
 * The count is taken before the check and given back exactly once per channel (the channel map
 * remembers which address it was counted under, since a closed channel no longer knows its peer),
 * so concurrent accepts never let an address past the limit.
 */
final class ClientConnectionLimit implements SelectorManager.AcceptListener {
    private final int maxPerClient;
    private final GatewayMetrics metrics;
    /** Open connections per address; an address with none has no entry, so the map is bounded by the sockets. */
    private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
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
        final int open = perClient.merge(address, 1, Integer::sum); // atomic per key: the count after our increment
        if (open > maxPerClient) {
            metrics.connectionsRefused.increment();
            try {
                channel.close();
            } catch (final IOException ignored) {
                // Closing a socket we refuse: nothing more to do if it fails.
            }
            // Given back at once: the socket is gone. Jetty then fails to register it and calls
            // onAcceptFailed, which finds nothing left to give back (release is idempotent per channel).
            release(channel);
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

    private void release(final SelectableChannel channel) {
        final InetAddress address = counted.remove(channel);
        if (address == null) {
            return;
        }
        perClient.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
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
