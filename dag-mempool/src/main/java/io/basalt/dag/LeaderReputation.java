package io.basalt.dag;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Leader reputation from committed history, deterministic so that every honest validator (and a
 * restarted one) derives the same {@link LeaderSchedule} swap table.
 *
 * <p>Rounds are grouped in periods of {@code P = reputationPeriodRounds}. The first committed
 * leader whose round lies in a later period than the previous committed leader's is the period's
 * <em>anchor</em>; the table is recomputed from it and leads the rounds after the anchor's (the rest
 * of the anchor's own round, when a round has several slots, is led round-robin).
 * The score of a validator is the number of times its block of some round {@code q} is a parent
 * of a block of round {@code q + 1} in the anchor's causal history, over the {@code P} rounds below
 * the anchor: timely blocks are referenced by the next round (up to n times), a slow validator's
 * blocks arrive after the next round was built and are referenced later or not at all, a crashed
 * validator scores zero, and a validator with two blocks of one round in that history (an
 * equivocator) scores below zero.
 *
 * <pre>
 *   period k-1                      | period k
 *   ... rounds [R-P, R) scored ...  | R = first committed leader round >= k*P  → new table
 * </pre>
 *
 * <p>Only the anchor's history is read, which is the same block set for everyone. Recovery finds
 * the anchor again: it is the first retained commit record in the period of the last one, and
 * {@link CoreConfig} requires {@code 2P <= gcDepth} so that both that record and the P rounds below
 * its leader lie in what recovery reloads (rounds from the last leader's round minus gcDepth).
 */
final class LeaderReputation {
    private final Committee committee;
    private final LeaderSchedule schedule;
    private final int periodRounds;
    private final long[] scores;
    private final Integer[] order;

    LeaderReputation(final Committee committee, final LeaderSchedule schedule, final int periodRounds) {
        this.committee = committee;
        this.schedule = schedule;
        this.periodRounds = periodRounds;
        this.scores = new long[committee.size()];
        this.order = new Integer[committee.size()];
    }

    boolean enabled() {
        return periodRounds > 0;
    }

    /** Whether committing {@code leaderRound} after {@code previousLeaderRound} starts a new period. */
    boolean isAnchor(final long leaderRound, final long previousLeaderRound) {
        return enabled() && leaderRound / periodRounds > previousLeaderRound / periodRounds;
    }

    long period(final long round) {
        return round / periodRounds;
    }

    /** Recomputes the swap table from the anchor's history and installs it. */
    void update(final DagStore dag, final Block anchor) {
        score(dag, anchor);
        for (int v = 0; v < order.length; v++) {
            order[v] = v;
        }
        // Best first; ties by validator index, so the order is total and the same everywhere.
        java.util.Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Long.compare(scores[b], scores[a]) : Integer.compare(a, b));
        final int n = order.length;
        int pairs = 0;
        long badStake = 0;
        final long maxBadStake = committee.validityThreshold() - 1; // at most f
        final int[] bad = new int[n / 2];
        final int[] good = new int[n / 2];
        for (int i = 0; i < n / 2; i++) {
            final int worst = order[n - 1 - i];
            final int best = order[i];
            if (scores[worst] >= scores[best] || badStake + committee.stake(worst) > maxBadStake) {
                break;
            }
            badStake += committee.stake(worst);
            bad[pairs] = worst;
            good[pairs] = best;
            pairs++;
        }
        schedule.swap(java.util.Arrays.copyOf(bad, pairs), java.util.Arrays.copyOf(good, pairs), anchor.round() + 1);
    }

    private void score(final DagStore dag, final Block anchor) {
        java.util.Arrays.fill(scores, 0);
        final long lowest = Math.max(1, anchor.round() - periodRounds);
        final int n = scores.length;
        final Set<BlockRef> seen = new HashSet<>();
        final Set<Long> slots = new HashSet<>();
        final boolean[] equivocated = new boolean[n];
        final ArrayDeque<Block> stack = new ArrayDeque<>();
        stack.push(anchor);
        while (!stack.isEmpty()) {
            final Block block = stack.pop();
            for (int i = 0; i < block.parentCount(); i++) {
                final BlockRef ref = block.parent(i);
                if (ref.round() < lowest) {
                    continue;
                }
                if (ref.round() == block.round() - 1) {
                    scores[ref.author()]++;
                }
                if (seen.add(ref)) {
                    if (!slots.add(ref.round() * n + ref.author())) {
                        equivocated[ref.author()] = true; // two blocks of one (author, round) in one history
                    }
                    final Block parent = dag.get(ref);
                    if (parent == null) {
                        // Peers score this block; scoring without it would give this validator
                        // another schedule than theirs, and a schedule apart is a fork apart.
                        throw new ConsensusInvariantViolation("block " + ref + " of reputation anchor " + anchor.ref()
                            + " is missing: the leader schedule cannot be derived");
                    }
                    stack.push(parent);
                }
            }
        }
        // An equivocator's twins are each referenced like honest blocks, yet its slots mostly end
        // skipped: it scores below everyone, so it is the first to lose its slots and never gains any.
        for (int v = 0; v < n; v++) {
            if (equivocated[v]) {
                scores[v] = -1;
            }
        }
    }
}
