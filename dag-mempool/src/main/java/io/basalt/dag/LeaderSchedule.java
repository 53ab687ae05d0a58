package io.basalt.dag;

import java.util.Arrays;

/**
 * Which validator leads each slot of each round. The base schedule is round-robin: slot s of
 * round r is led by validator {@code (r * slotsPerRound + s) mod n}, so consecutive slots rotate
 * through the whole committee. Round 0 holds the genesis blocks and has no leader.
 *
 * <p>On top of it sits a swap table from leader reputation (Shoal / Mysticeti style): the
 * validators with the lowest scores, holding together at most f stake, hand their slots to the
 * best-scoring ones, pairwise, so a crashed or slow validator stops costing a leader timeout every
 * n-th round. The table is set by {@link #swap} from committed history only ({@link
 * LeaderReputation}), so every honest validator installs the same table after the same commit;
 * the core decides the slots after that commit with it.
 *
 * <pre>
 *   base:     r=1 →1  r=2 →2  r=3 →3  r=4 →0  r=5 →1 ...      (n = 4, validator 3 crashed)
 *   swap {3 → 0}:     r=3 →0  r=7 →0 ...                       validator 0 scored best
 * </pre>
 */
public final class LeaderSchedule {
    private final int committeeSize;
    private final int slotsPerRound;
    /** Per validator, who leads its base slots instead; the identity when nobody is swapped. */
    private final int[] replacement;
    /**
     * The table leads rounds from this one on; earlier rounds are led round-robin. A table is
     * installed after a commit in round r and leads from r+1, so no round mixes two tables: in the
     * rest of round r a slot of the new table could fall to the validator an earlier slot of the
     * same round had under the old one, and one block would lead two slots. (Slots below the
     * installing commit are decided already, so the round-robin answer for them is never used.)
     */
    private long tableFromRound;

    public LeaderSchedule(final int committeeSize, final int slotsPerRound) {
        if (slotsPerRound < 1 || slotsPerRound > committeeSize) {
            throw new IllegalArgumentException(
                "leader slots per round must be in [1, n=" + committeeSize + "], was " + slotsPerRound);
        }
        this.committeeSize = committeeSize;
        this.slotsPerRound = slotsPerRound;
        this.replacement = new int[committeeSize];
        reset();
    }

    public int slotsPerRound() {
        return slotsPerRound;
    }

    public int leader(final long round, final int slot) {
        assert round > 0 && slot >= 0 && slot < slotsPerRound;
        final int base = baseLeader(round, slot);
        if (round < tableFromRound) {
            return base;
        }
        final int swapped = replacement[base];
        if (swapped == base || slotsPerRound == 1) {
            return swapped;
        }
        // With several slots per round the replacement may already lead a slot of this round; one
        // block must never lead two slots, so the base leader keeps the slot then.
        for (int other = 0; other < slotsPerRound; other++) {
            if (baseLeader(round, other) == swapped) {
                return base;
            }
        }
        return swapped;
    }

    public boolean isLeader(final long round, final int author) {
        for (int slot = 0; slot < slotsPerRound; slot++) {
            if (leader(round, slot) == author) {
                return true;
            }
        }
        return false;
    }

    /** Back to plain round-robin. */
    public void reset() {
        tableFromRound = 0;
        for (int v = 0; v < committeeSize; v++) {
            replacement[v] = v;
        }
    }

    /**
     * Installs a swap table for rounds from {@code fromRound} on: {@code bad[i]}'s slots go to
     * {@code good[i]}; every other validator keeps its own.
     */
    public void swap(final int[] bad, final int[] good, final long fromRound) {
        if (bad.length != good.length) {
            throw new IllegalArgumentException("swap needs pairs");
        }
        reset();
        tableFromRound = fromRound;
        for (int i = 0; i < bad.length; i++) {
            replacement[bad[i]] = good[i];
        }
    }

    /** Who leads validator {@code v}'s base slots now (for metrics and tests). */
    public int replacementOf(final int v) {
        return replacement[v];
    }

    @Override
    public String toString() {
        return "LeaderSchedule" + Arrays.toString(replacement) + " from round " + tableFromRound;
    }

    private int baseLeader(final long round, final int slot) {
        return (int) Long.remainderUnsigned(round * slotsPerRound + slot, committeeSize);
    }
}
