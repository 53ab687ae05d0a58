package io.basalt.dag;

/**
 * Which validator leads each slot of each round. Round-robin: slot s of round r is led by
 * validator {@code (r * slotsPerRound + s) mod n}, so consecutive slots rotate through the whole
 * committee. Round 0 holds the genesis blocks and has no leader.
 */
public final class LeaderSchedule {
    private final int committeeSize;
    private final int slotsPerRound;

    public LeaderSchedule(final int committeeSize, final int slotsPerRound) {
        if (slotsPerRound < 1 || slotsPerRound > committeeSize) {
            throw new IllegalArgumentException(
                "leader slots per round must be in [1, n=" + committeeSize + "], was " + slotsPerRound);
        }
        this.committeeSize = committeeSize;
        this.slotsPerRound = slotsPerRound;
    }

    public int slotsPerRound() {
        return slotsPerRound;
    }

    public int leader(final long round, final int slot) {
        assert round > 0 && slot >= 0 && slot < slotsPerRound;
        return (int) Long.remainderUnsigned(round * slotsPerRound + slot, committeeSize);
    }

    public boolean isLeader(final long round, final int author) {
        for (int slot = 0; slot < slotsPerRound; slot++) {
            if (leader(round, slot) == author) {
                return true;
            }
        }
        return false;
    }
}
