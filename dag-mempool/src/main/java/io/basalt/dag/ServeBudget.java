package io.basalt.dag;

/**
 * What one validator will send each peer in answer to its block and range requests: a token bucket
 * per peer, in blocks, refilled at {@code blocksPerSecond} up to {@code burst}. A request is served
 * while the peer's bucket is above zero and costs the blocks actually sent, so a large answer can
 * leave the bucket in debt; the peer's next requests are refused until it refills. That bounds the
 * long-run rate at {@code blocksPerSecond} per peer whatever the peer asks, without reading storage
 * for a request that will be refused.
 *
 * <p>Single-threaded (the consensus agent's) and driven by the caller's clock, so the simulator
 * replays it exactly.
 */
final class ServeBudget {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double blocksPerNano;
    private final double burst;
    private final double[] tokens;
    private final long[] refilledAtNs;
    private final boolean[] started;

    ServeBudget(final int peers, final int blocksPerSecond, final int burst) {
        if (blocksPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a serving budget needs a positive rate and burst");
        }
        this.blocksPerNano = blocksPerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = new double[peers];
        this.refilledAtNs = new long[peers];
        this.started = new boolean[peers];
    }

    /** Whether {@code peer} may be served now (its bucket, refilled up to now, is above zero). */
    boolean allows(final int peer, final long nowNs) {
        refill(peer, nowNs);
        return tokens[peer] > 0;
    }

    /** Charges {@code blocks} sent to {@code peer}; call after {@link #allows} said yes. */
    void charge(final int peer, final int blocks) {
        tokens[peer] -= blocks;
    }

    /** The peer's balance in blocks (negative while in debt); for tests. */
    double balance(final int peer, final long nowNs) {
        refill(peer, nowNs);
        return tokens[peer];
    }

    private void refill(final int peer, final long nowNs) {
        if (!started[peer]) {
            started[peer] = true;
            tokens[peer] = burst;
            refilledAtNs[peer] = nowNs;
            return;
        }
        final long elapsed = nowNs - refilledAtNs[peer];
        if (elapsed > 0) {
            tokens[peer] = Math.min(burst, tokens[peer] + elapsed * blocksPerNano);
            refilledAtNs[peer] = nowNs;
        }
    }
}
