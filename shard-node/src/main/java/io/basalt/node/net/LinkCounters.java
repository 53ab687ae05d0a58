package io.basalt.node.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every Aeron link of a validator counts: messages and wire bytes each way, and sends dropped
 * without blocking, by cause. Written by the agent that owns the link, read by metrics scrapes on
 * any thread. {@link TransportCounters} (consensus) and {@link CrossShardCounters} add what only
 * their link has; they stay two types so that one link's traffic cannot be counted into the
 * other's metrics by handing over the wrong instance.
 */
public abstract class LinkCounters implements SendCounters {
    /** Messages a publication accepted. */
    public final AtomicLong messagesSent = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    /** Messages with a valid header, tag and sequence number, handed to the receiver. */
    public final AtomicLong messagesReceived = new AtomicLong();
    public final AtomicLong bytesReceived = new AtomicLong();
    /** Dropped after the bounded retries because the receiver's window was full. */
    public final AtomicLong droppedBackPressured = new AtomicLong();
    /** Dropped because no receiver was connected (peer down or not started yet). */
    public final AtomicLong droppedNotConnected = new AtomicLong();
    /** Dropped because the publication was closed or exhausted. */
    public final AtomicLong droppedClosed = new AtomicLong();
    /** Refused before sending: larger than the largest message the channel carries. */
    public final AtomicLong droppedOversized = new AtomicLong();
    /**
     * Received and dropped because the tag did not verify under the key of the validator the header names: a
     * forged sender index, a changed byte, or a key that is not that validator's. Never reaches a core.
     */
    public final AtomicLong unauthenticated = new AtomicLong();
    /** Received with a good tag but a sequence number not above the last accepted from that sender: a replay. */
    public final AtomicLong replayed = new AtomicLong();

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

    /** Every send dropped, whatever the cause. */
    public long droppedSends() {
        return droppedBackPressured.get() + droppedNotConnected.get() + droppedClosed.get() + droppedOversized.get();
    }
}
