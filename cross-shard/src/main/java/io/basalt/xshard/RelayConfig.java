package io.basalt.xshard;

/**
 * The limits and timers of a {@link CrossShardRelay}, named and checked together.
 *
 * @param resendNs         a batch not yet acknowledged by f+1 of its destination is sent again after this
 * @param reproposeNs      a certified batch not yet applied here is proposed again after this
 * @param ackIntervalNs    progress a rate-limited acknowledgement left unannounced is announced after this
 * @param maxAheadBatches  signatures for batches further than this beyond the next expected are dropped
 * @param maxSendsPerTick  batches (re)sent per destination per tick, so one tick's work is bounded
 */
public record RelayConfig(long resendNs, long reproposeNs, long ackIntervalNs, int maxAheadBatches, int maxSendsPerTick) {
    public RelayConfig {
        if (resendNs <= 0 || reproposeNs <= 0 || ackIntervalNs <= 0) {
            throw new IllegalArgumentException("relay timers must be positive");
        }
        if (maxAheadBatches < 1 || maxSendsPerTick < 1) {
            throw new IllegalArgumentException("relay bounds must be at least 1");
        }
        if (maxSendsPerTick > maxAheadBatches) {
            throw new IllegalArgumentException("sending more batches per tick than a destination accepts ahead is waste");
        }
    }

    /** Defaults for a validator: retries in tens of milliseconds, 256 batches of look-ahead. */
    public static RelayConfig defaults() {
        return new RelayConfig(50_000_000L, 30_000_000L, 200_000_000L, 256, 64);
    }
}
