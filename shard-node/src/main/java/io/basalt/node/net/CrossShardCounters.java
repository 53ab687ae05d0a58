package io.basalt.node.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the cross-shard transport counts. Written by the cross-shard agent, read by metrics scrapes on
 * any thread. A type of its own rather than a second {@link TransportCounters}, so that cross-shard
 * traffic cannot be counted into the consensus metrics by handing over the wrong instance.
 *
 * <p>Each field names the Prometheus sample it is meant to be exported as (labelled
 * {@code {shard, validator}} like the rest of {@code NodeMetrics}). Byte counts are wire bytes, the
 * {@link CrossShardHeader} included, as for {@code basalt_net_bytes_*}.
 */
public final class CrossShardCounters implements SendCounters {
    /** {@code basalt_xshard_messages_sent_total}: messages a publication accepted. */
    public final AtomicLong messagesSent = new AtomicLong();
    /** {@code basalt_xshard_bytes_sent_total}. */
    public final AtomicLong bytesSent = new AtomicLong();
    /** {@code basalt_xshard_messages_received_total}: messages with a valid header, handed to the receiver. */
    public final AtomicLong messagesReceived = new AtomicLong();
    /** {@code basalt_xshard_bytes_received_total}. */
    public final AtomicLong bytesReceived = new AtomicLong();

    /** {@code basalt_xshard_dropped_sends_total{cause="back_pressure"}}: window still full after the retries. */
    public final AtomicLong droppedBackPressured = new AtomicLong();
    /** {@code basalt_xshard_dropped_sends_total{cause="not_connected"}}: the remote validator is not listening. */
    public final AtomicLong droppedNotConnected = new AtomicLong();
    /** {@code basalt_xshard_dropped_sends_total{cause="closed"}}: the publication was closed or exhausted. */
    public final AtomicLong droppedClosed = new AtomicLong();
    /** {@code basalt_xshard_dropped_sends_total{cause="oversized"}}: refused before sending, per destination. */
    public final AtomicLong droppedOversized = new AtomicLong();
    /** {@code basalt_xshard_dropped_sends_total{cause="no_route"}}: no such remote validator (own shard, out of range). */
    public final AtomicLong droppedNoRoute = new AtomicLong();

    /** {@code basalt_xshard_malformed_total{reason="header"}}: short, wrong magic or version. */
    public final AtomicLong malformedHeader = new AtomicLong();
    /** {@code basalt_xshard_malformed_total{reason="dest_shard"}}: meant for another shard. */
    public final AtomicLong malformedDestShard = new AtomicLong();
    /** {@code basalt_xshard_malformed_total{reason="source_shard"}}: from our own shard or from none. */
    public final AtomicLong malformedSourceShard = new AtomicLong();
    /** {@code basalt_xshard_malformed_total{reason="sender"}}: a sender outside the source committee. */
    public final AtomicLong malformedSender = new AtomicLong();

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

    /** Counts one received message that {@link CrossShardHeader#check} refused. */
    void malformed(final CrossShardHeader.Verdict verdict) {
        switch (verdict) {
            case BAD_HEADER -> malformedHeader.incrementAndGet();
            case WRONG_DEST_SHARD -> malformedDestShard.incrementAndGet();
            case BAD_SOURCE_SHARD -> malformedSourceShard.incrementAndGet();
            case BAD_SENDER -> malformedSender.incrementAndGet();
            case VALID -> throw new IllegalArgumentException("a valid header is not malformed");
        }
    }

    /** Every received message dropped for its header, whatever the reason. */
    public long malformed() {
        return malformedHeader.get() + malformedDestShard.get() + malformedSourceShard.get() + malformedSender.get();
    }

    public long droppedSends() {
        return droppedBackPressured.get() + droppedNotConnected.get() + droppedClosed.get() + droppedOversized.get()
            + droppedNoRoute.get();
    }
}
