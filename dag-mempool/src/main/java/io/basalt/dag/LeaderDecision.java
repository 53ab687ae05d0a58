package io.basalt.dag;

/** The decision on one leader slot: commit a block, skip the slot, or not yet decided. */
public record LeaderDecision(Kind kind, long round, int slot, int author, Block leader, boolean direct) {
    public enum Kind { COMMIT, SKIP, UNDECIDED }

    static LeaderDecision commit(final long round, final int slot, final Block leader, final boolean direct) {
        return new LeaderDecision(Kind.COMMIT, round, slot, leader.author(), leader, direct);
    }

    static LeaderDecision skip(final long round, final int slot, final int author, final boolean direct) {
        return new LeaderDecision(Kind.SKIP, round, slot, author, null, direct);
    }

    static LeaderDecision undecided(final long round, final int slot, final int author) {
        return new LeaderDecision(Kind.UNDECIDED, round, slot, author, null, false);
    }

    public boolean isDecided() {
        return kind != Kind.UNDECIDED;
    }
}
