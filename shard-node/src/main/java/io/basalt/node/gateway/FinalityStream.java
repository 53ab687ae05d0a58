package io.basalt.node.gateway;

import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.FinalityListener;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Fans the node's finality events out to WebSocket clients without ever making the node wait.
 *
 * <pre>
 *   node thread                 stream thread                       Jetty threads
 *   onFinality ─offer─▶ [events: bounded] ─▶ encode JSON once ─▶ sendText (async) per connection
 *                 full: count, reset all                      more than N unwritten: drop that connection
 * </pre>
 *
 * <p>The promise to a client is simple: a stream delivers every event from the moment it opened, in
 * order, or it is closed. A client that reads too slowly fills its queue and is disconnected; if the
 * stream thread itself cannot keep up with the node (its queue fills), every stream is closed,
 * because every one of them would miss events. Clients reconnect and catch up by polling status.
 * A heartbeat message every {@link Limits#heartbeatMs} keeps idle streams open and lets clients
 * see that the stream is alive.
 */
public final class FinalityStream implements FinalityListener, AutoCloseable {
    /** Bounds of the stream; {@link #DEFAULT} serves a validator. */
    record Limits(int eventQueueCapacity, int connectionQueueCapacity, int maxConnections, long heartbeatMs) {
        static final Limits DEFAULT = new Limits(65_536, 4_096, 128, 15_000);

        Limits {
            if (eventQueueCapacity < 1 || connectionQueueCapacity < 1 || maxConnections < 1 || heartbeatMs < 1) {
                throw new IllegalArgumentException("stream limits must be positive: " + eventQueueCapacity + ", "
                    + connectionQueueCapacity + ", " + maxConnections + ", " + heartbeatMs);
            }
        }
    }

    private static final Object RESET = new Object();
    /** A stream whose upgrade was accepted but never opened gives its slot back after this long. */
    static final long OPEN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final Limits limits;
    private final GatewayMetrics metrics;
    private final ArrayBlockingQueue<Object> events;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Upgrades accepted whose stream has not opened yet; they hold a slot. */
    private final Set<Connection> opening = ConcurrentHashMap.newKeySet();
    /**
     * Slots taken, opened or opening: the limit is checked and the slot taken in one compare-and-set,
     * so concurrent upgrades can never open more than {@link Limits#maxConnections} streams.
     */
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicBoolean resetPending = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    FinalityStream(final Limits limits, final GatewayMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
        this.events = new ArrayBlockingQueue<>(limits.eventQueueCapacity());
        this.thread = Thread.ofPlatform().name("basalt-gateway-stream").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Called on the node's thread: never blocks, never throws. */
    @Override
    public void onFinality(final FinalityEvent event) {
        if (connections.isEmpty()) {
            return;
        }
        if (!events.offer(event)) {
            metrics.streamEventsDropped.increment();
            // The marker goes in as soon as there is room again; until then nothing else does.
            resetPending.set(true);
        }
    }

    /** Events taken from the node and not yet fanned out (for tests and metrics). */
    int backlog() {
        return events.size();
    }

    int connectionCount() {
        return connections.size();
    }

    /**
     * A new stream endpoint holding one of the {@link Limits#maxConnections} slots, or null when all are
     * taken. The slot is given back when the stream closes, or after {@link #OPEN_TIMEOUT_NS} if the
     * upgrade never completes.
     */
    Connection newConnection() {
        int taken;
        do {
            taken = slots.get();
            if (taken >= limits.maxConnections()) {
                metrics.wsRefused.increment();
                return null;
            }
        } while (!slots.compareAndSet(taken, taken + 1));
        final Connection connection = new Connection(System.nanoTime());
        opening.add(connection);
        return connection;
    }

    /** Gives back the slots of upgrades that never opened (the client went away during the handshake). */
    private void releaseStaleOpenings(final long nowNs) {
        for (final Connection connection : opening) {
            if (nowNs - connection.createdNs > OPEN_TIMEOUT_NS) {
                connection.closed();
            }
        }
    }

    private void run() {
        long nextHeartbeatMs = System.currentTimeMillis() + limits.heartbeatMs();
        while (running) {
            try {
                final Object item = events.poll(Math.max(1, nextHeartbeatMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (item instanceof FinalityEvent event) {
                    broadcast(GatewayJson.finality(event).toString());
                } else if (item == RESET) {
                    closeAll(1011, "stream lost events; reconnect and poll status");
                }
                if (resetPending.get() && events.offer(RESET)) {
                    resetPending.set(false);
                }
                final long nowMs = System.currentTimeMillis();
                if (nowMs >= nextHeartbeatMs) {
                    releaseStaleOpenings(System.nanoTime());
                    broadcast("{\"type\":\"heartbeat\",\"timeMs\":" + nowMs + "}");
                    nextHeartbeatMs = nowMs + limits.heartbeatMs();
                }
            } catch (final InterruptedException e) {
                return;
            } catch (final RuntimeException e) {
                metrics.internalErrors.increment();
            }
        }
    }

    private void broadcast(final String json) {
        for (final Connection connection : connections) {
            connection.enqueue(json);
        }
    }

    private void closeAll(final int statusCode, final String reason) {
        for (final Connection connection : connections) {
            connection.close(statusCode, reason);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        closeAll(1001, "gateway shutting down");
    }

    /**
     * One WebSocket client. Every message is handed to Jetty at once (sends are asynchronous and keep
     * their order); {@code inFlight} counts the ones not yet written to the socket. A client that reads
     * fast keeps it near zero because the kernel's socket buffer absorbs bursts; one that stops reading
     * fills that buffer, the count climbs, and past {@link Limits#connectionQueueCapacity} the
     * connection is cut. Only the stream thread sends, so no lock is needed for ordering.
     */
    public final class Connection implements Session.Listener.AutoDemanding {
        private final long createdNs;
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Callback sent = Callback.from(this::sent, failure -> closed());
        private volatile Session session;
        private volatile boolean closed;

        Connection(final long createdNs) {
            this.createdNs = createdNs;
        }

        @Override
        public void onWebSocketOpen(final Session opened) {
            session = opened;
            if (!opening.remove(this) || released.get()) {
                // Its slot was given back (open took longer than the open timeout): it may not stay.
                opened.disconnect();
                return;
            }
            connections.add(this);
            metrics.wsOpen.incrementAndGet();
            metrics.wsOpened.increment();
        }

        @Override
        public void onWebSocketText(final String message) {
            // The stream is one-way; anything a client says is ignored (docs/api.md).
        }

        @Override
        public void onWebSocketClose(final int statusCode, final String reason) {
            closed();
        }

        @Override
        public void onWebSocketError(final Throwable cause) {
            closed();
        }

        private void closed() {
            closed = true;
            opening.remove(this);
            if (connections.remove(this)) {
                metrics.wsOpen.decrementAndGet();
            }
            if (released.compareAndSet(false, true)) {
                slots.decrementAndGet();
            }
        }

        private void sent() {
            inFlight.decrementAndGet();
            metrics.wsMessagesSent.increment();
        }

        /** Called on the stream thread only. */
        void enqueue(final String json) {
            final Session s = session;
            if (closed || s == null) {
                return;
            }
            if (inFlight.incrementAndGet() > limits.connectionQueueCapacity()) {
                metrics.wsDroppedSlow.increment();
                closed();
                // A close frame would wait behind the frames the client does not read: cut the connection.
                s.disconnect();
                return;
            }
            s.sendText(json, sent);
        }

        void close(final int statusCode, final String reason) {
            final Session s = session;
            closed();
            if (s != null) {
                s.close(statusCode, reason, Callback.from(s::disconnect, failure -> s.disconnect()));
            }
        }
    }
}
