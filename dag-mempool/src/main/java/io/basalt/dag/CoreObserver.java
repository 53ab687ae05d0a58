package io.basalt.dag;

/**
 * What the core reports about its own progress, for metrics and stage-by-stage latency. Called on
 * the core's thread, synchronously, with the time of the input that caused it; an implementation
 * must be cheap and must not call back into the core.
 */
public interface CoreObserver {
    CoreObserver NONE = new CoreObserver() {
    };

    /**
     * An own block was built and is about to be broadcast. {@code tags} holds, in block order, the
     * tag each of its transactions was submitted with ({@link ConsensusCore#submitAdmitted}); null
     * for transactions submitted without one.
     */
    default void onProposed(final Block block, final Object[] tags, final long nowNs) {
    }

    /**
     * Blocks of validators holding a quorum of stake now reference the own block of {@code round}
     * (the own block counts for its author): a quorum has received it.
     */
    default void onOwnBlockQuorum(final long round, final long nowNs) {
    }

    /** The core proposed round {@code round + 1} without every leader of {@code round}: the timeout expired. */
    default void onLeaderTimeout(final long round, final long nowNs) {
    }

    /** A leader slot was decided SKIP (its leader's block was missing or not supported). */
    default void onSlotSkipped(final long round, final int slot) {
    }
}
