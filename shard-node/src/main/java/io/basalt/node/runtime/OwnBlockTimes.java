package io.basalt.node.runtime;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When a quorum first held each recent own block, by round: written by the consensus agent,
 * read by execution for the stage breakdown. A ring of the last {@link #SIZE} rounds; a round that
 * has been overwritten reads as 0 (unknown).
 */
final class OwnBlockTimes {
    static final int SIZE = 4096;

    private final AtomicLongArray rounds = new AtomicLongArray(SIZE);
    private final AtomicLongArray quorumNs = new AtomicLongArray(SIZE);

    void quorum(final long round, final long nowNs) {
        final int slot = (int) (round & (SIZE - 1));
        quorumNs.set(slot, nowNs);
        rounds.set(slot, round); // after the time: a reader that sees the round sees its time
    }

    /** When a quorum held the own block of {@code round}, or 0 when unknown. */
    long quorumNs(final long round) {
        final int slot = (int) (round & (SIZE - 1));
        if (rounds.get(slot) != round) {
            return 0;
        }
        final long ns = quorumNs.get(slot);
        return rounds.get(slot) == round ? ns : 0;
    }
}
