package io.basalt.dag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The commit rule of docs/protocol.md §7 over a {@link DagStore}. Pure: it reads the DAG and returns
 * decisions; it changes nothing.
 *
 * <pre>
 *   round r      L                      leader slot (author A)
 *   round r+1    B B B B                B votes for L: the first block of slot (A, r) it reaches is L
 *   round r+2    C C C C                C certifies L: its parents hold quorum stake of votes for L
 *
 *   direct commit: quorum stake of round r+2 authors certify L
 *   direct skip:   quorum stake of round r+1 authors have a block that references no block of (A, r)
 *   indirect:      the first committed anchor at round >= r+3 decides: commit L if its history
 *                  holds a certificate for L, skip otherwise
 * </pre>
 */
final class Committer {
    /** Rounds from a leader to the round whose blocks can decide it directly, plus one. */
    static final int WAVE_LENGTH = 3;

    private final Committee committee;
    private final LeaderSchedule schedule;
    private final long certificateThreshold;
    /** Scratch for {@link #isCertificate}; the committer runs on the core's single thread. */
    private final boolean[] voterCounted;

    Committer(final Committee committee, final LeaderSchedule schedule, final long unsafeCertificateThreshold) {
        this.committee = committee;
        this.schedule = schedule;
        this.voterCounted = new boolean[committee.size()];
        this.certificateThreshold = unsafeCertificateThreshold == 0
            ? committee.quorumThreshold()
            : unsafeCertificateThreshold;
    }

    /**
     * Decides every slot after {@code lastDecidedSlot} that the DAG allows, latest first so that
     * indirect decisions can lean on later anchors, and returns the decisions in slot order up to
     * and excluding the first undecided one.
     */
    List<LeaderDecision> decide(final DagStore dag, final long lastDecidedSlot) {
        final int slots = schedule.slotsPerRound();
        // A skip needs only round r+1; a commit needs r+2, so the last round can at best be skipped.
        final long highestDecidable = dag.highestRound() - 1;
        final long firstSlot = lastDecidedSlot + 1;
        final long lastSlot = highestDecidable * slots + slots - 1;
        if (lastSlot < firstSlot) {
            return List.of();
        }
        final int count = Math.toIntExact(lastSlot - firstSlot + 1);
        final LeaderDecision[] decisions = new LeaderDecision[count];
        for (int i = count - 1; i >= 0; i--) {
            final long global = firstSlot + i;
            final long round = global / slots;
            final int slot = (int) (global % slots);
            LeaderDecision decision = tryDirect(dag, round, slot);
            if (!decision.isDecided()) {
                decision = tryIndirect(dag, round, slot, decisions, i);
            }
            decisions[i] = decision;
        }
        final List<LeaderDecision> prefix = new ArrayList<>();
        for (final LeaderDecision decision : decisions) {
            if (!decision.isDecided()) {
                break;
            }
            prefix.add(decision);
        }
        return prefix;
    }

    private LeaderDecision tryDirect(final DagStore dag, final long round, final int slot) {
        final int author = schedule.leader(round, slot);
        Block certified = null;
        for (final Block leader : sortedSlot(dag, author, round)) {
            if (certifyingStake(dag, leader) >= certificateThreshold) {
                // Always on (Sui's base committer does the same): two quorums of certificates for two
                // blocks of one slot need f+1 validators that voted twice; the ledger would fork.
                if (certified != null) {
                    throw new ConsensusInvariantViolation("two certified leaders in slot (" + author + ", " + round
                        + "): " + certified.ref() + " and " + leader.ref());
                }
                certified = leader;
            }
        }
        if (certified != null) {
            return LeaderDecision.commit(round, slot, certified, true);
        }
        if (blameStake(dag, author, round) >= committee.quorumThreshold()) {
            return LeaderDecision.skip(round, slot, author, true);
        }
        return LeaderDecision.undecided(round, slot, author);
    }

    private LeaderDecision tryIndirect(
        final DagStore dag, final long round, final int slot, final LeaderDecision[] later, final int index) {
        final int author = schedule.leader(round, slot);
        for (int j = index + 1; j < later.length; j++) {
            final LeaderDecision anchor = later[j];
            if (anchor.round() < round + WAVE_LENGTH) {
                continue;
            }
            switch (anchor.kind()) {
                case SKIP:
                    continue;
                case UNDECIDED:
                    return LeaderDecision.undecided(round, slot, author);
                case COMMIT:
                    return decideByAnchor(dag, round, slot, author, anchor.leader());
                default:
                    throw new IllegalStateException(anchor.kind().name());
            }
        }
        return LeaderDecision.undecided(round, slot, author);
    }

    private LeaderDecision decideByAnchor(
        final DagStore dag, final long round, final int slot, final int author, final Block anchor) {
        final List<Block> candidates = reachableAt(dag, anchor, round + 2);
        Block certified = null;
        for (final Block leader : sortedSlot(dag, author, round)) {
            for (final Block candidate : candidates) {
                if (isCertificate(dag, candidate, leader)) {
                    if (certified != null) {
                        throw new ConsensusInvariantViolation("two certified leaders in slot (" + author + ", " + round
                            + ") in the history of anchor " + anchor.ref() + ": " + certified.ref() + " and " + leader.ref());
                    }
                    certified = leader;
                    break;
                }
            }
        }
        return certified != null
            ? LeaderDecision.commit(round, slot, certified, false)
            : LeaderDecision.skip(round, slot, author, false);
    }

    /** Stake of distinct round r+2 authors with a block that certifies {@code leader}. */
    private long certifyingStake(final DagStore dag, final Block leader) {
        final long certRound = leader.round() + 2;
        long stake = 0;
        for (int author = 0; author < committee.size(); author++) {
            for (final Block candidate : dag.slot(author, certRound)) {
                if (isCertificate(dag, candidate, leader)) {
                    stake += committee.stake(author);
                    break;
                }
            }
        }
        return stake;
    }

    /** A block of round r+2 whose parents include votes for the leader from quorum stake. */
    boolean isCertificate(final DagStore dag, final Block candidate, final Block leader) {
        assert candidate.round() == leader.round() + 2;
        final long voteRound = leader.round() + 1;
        long stake = 0;
        final boolean[] counted = voterCounted;
        java.util.Arrays.fill(counted, false);
        for (int i = 0; i < candidate.parentCount(); i++) {
            final BlockRef parentRef = candidate.parent(i);
            if (parentRef.round() != voteRound) {
                continue;
            }
            final Block parent = dag.get(parentRef);
            if (parent == null || !parent.votesFor(leader.ref())) {
                continue;
            }
            if (!counted[parent.author()]) {
                counted[parent.author()] = true;
                stake += committee.stake(parent.author());
                if (stake >= certificateThreshold) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Stake of distinct round r+1 authors that have a block referencing no block of slot (author, r). */
    private long blameStake(final DagStore dag, final int author, final long round) {
        long stake = 0;
        for (int voter = 0; voter < committee.size(); voter++) {
            for (final Block block : dag.slot(voter, round + 1)) {
                if (!block.referencesSlot(author, round)) {
                    stake += committee.stake(voter);
                    break;
                }
            }
        }
        return stake;
    }

    /** Blocks of {@code targetRound} in the causal history of {@code from}, sorted. */
    static List<Block> reachableAt(final DagStore dag, final Block from, final long targetRound) {
        final List<Block> found = new ArrayList<>();
        final Set<BlockRef> seen = new HashSet<>();
        final ArrayDeque<Block> stack = new ArrayDeque<>();
        stack.push(from);
        while (!stack.isEmpty()) {
            final Block block = stack.pop();
            for (int i = 0; i < block.parentCount(); i++) {
                final BlockRef ref = block.parent(i);
                if (ref.round() < targetRound || !seen.add(ref)) {
                    continue;
                }
                final Block parent = dag.get(ref);
                if (parent == null) {
                    continue;
                }
                if (ref.round() == targetRound) {
                    found.add(parent);
                } else {
                    stack.push(parent);
                }
            }
        }
        found.sort((a, b) -> a.ref().compareTo(b.ref()));
        return found;
    }

    private static List<Block> sortedSlot(final DagStore dag, final int author, final long round) {
        final List<Block> blocks = dag.slot(author, round);
        if (blocks.size() <= 1) {
            return blocks;
        }
        final List<Block> sorted = new ArrayList<>(blocks);
        sorted.sort((a, b) -> a.ref().compareTo(b.ref()));
        return sorted;
    }
}
