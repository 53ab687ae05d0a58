package io.basalt.node.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the cross-shard transport counts. Written by the cross-shard agent, read by metrics scrapes on
 * any thread. A type of its own rather than a second {@link TransportCounters}, so that cross-shard
 * traffic cannot be counted into the consensus metrics by handing over the wrong instance.
 *
 * <p>Exported as {@code basalt_xshard_*} (labelled {@code {shard, validator}} like the rest of
 * {@code NodeMetrics}): the shared fields of {@link LinkCounters} as messages, bytes and dropped
 * sends, {@code unauthenticated} and {@code replayed} as {@code basalt_xshard_unauthenticated_total{reason}},
 * and these as the no-route cause and the malformed reasons. Byte counts are wire bytes,
 * the {@link CrossShardHeader} included, as for {@code basalt_net_bytes_*}.
 */
public final class CrossShardCounters extends LinkCounters {
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

    @Override
    public long droppedSends() {
        return super.droppedSends() + droppedNoRoute.get();
    }
}
