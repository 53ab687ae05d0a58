package io.basalt.sim;

/**
 * An adversarial network scheduler inside a shard: it chooses how long each block broadcast takes
 * from its author to one peer, knowing the block's round. The delay model of {@link Scenario}
 * (random delays, a slow tail) is what an unlucky network does; a schedule is what an adversary
 * that controls message timing does on purpose. A scenario that uses one keeps every delay it picks
 * below the leader timeout, so the network stays synchronous and a stall it causes is the
 * protocol's fault, not the network's.
 *
 * <p>Only block broadcasts are scheduled (an own block sent to every peer, or sent again when
 * stuck); requests, responses and pushes keep the scenario's delay model.
 */
public interface BlockSchedule {
    /** No adversary: every message takes the scenario's delay model. */
    BlockSchedule NONE = new BlockSchedule() {
        @Override
        public long delayNs(final int author, final int to, final long round) {
            return -1;
        }

        @Override
        public String name() {
            return "none";
        }
    };

    /**
     * The delay, in ns, of {@code author}'s block of round {@code round} on its way to validator
     * {@code to} (indices within the shard), or -1 for the scenario's delay model.
     */
    long delayNs(int author, int to, long round);

    /** What {@code scripts/sim --schedule NAME} replays. */
    String name();
}
