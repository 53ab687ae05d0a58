package io.basalt.node.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the transport counts. Written by the consensus agent, read by metrics scrapes on any thread.
 * A dropped send is not an error: consensus re-sends and sync fetches what peers missed.
 */
public final class TransportCounters implements SendCounters {
    public final AtomicLong messagesSent = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    public final AtomicLong messagesReceived = new AtomicLong();
    public final AtomicLong bytesReceived = new AtomicLong();
    /** Dropped after the bounded retries because the receiver's window was full. */
    public final AtomicLong droppedBackPressured = new AtomicLong();
    /** Dropped because no receiver was connected (peer down or not started yet). */
    public final AtomicLong droppedNotConnected = new AtomicLong();
    /** Dropped because the publication was closed or exhausted. */
    public final AtomicLong droppedClosed = new AtomicLong();
    /** Dropped because the message exceeds the largest message the channel carries. */
    public final AtomicLong droppedOversized = new AtomicLong();
    /** Received messages whose header was missing, foreign or named an impossible sender. */
    public final AtomicLong malformedHeaders = new AtomicLong();

    @Override
    public void sent(final int wireBytes) {
        messagesSent.incrementAndGet();
        bytesSent.addAndGet(wireBytes);
    }

    @Override
    public void droppedBackPressured() {
        droppedBackPressured.incrementAndGet();
    }

    @Override
    public void droppedNotConnected() {
        droppedNotConnected.incrementAndGet();
    }

    @Override
    public void droppedClosed() {
        droppedClosed.incrementAndGet();
    }

    public long droppedSends() {
        return droppedBackPressured.get() + droppedNotConnected.get() + droppedClosed.get() + droppedOversized.get();
    }
}
