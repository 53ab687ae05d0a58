package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The commit rule on hand-built DAGs (n = 4, quorum 3, one leader per round, leader of round r
 * is validator r mod 4). Each DAG is drawn in the test's comment.
 */
class CommitterTest {
    private static final Committee COMMITTEE = Committee.ofEqualStake(0, new byte[4][32]);
    private final DagStore dag = new DagStore(COMMITTEE);
    private final Committer committer = new Committer(COMMITTEE, new LeaderSchedule(4, 1), 0);

    CommitterTest() {
        for (final Block genesis : ConsensusCore.genesisBlocks(COMMITTEE)) {
            dag.add(genesis);
        }
    }

    /** A block of {@code author} at {@code round} whose parents are the first blocks of {@code parents} one round below (own first). */
    private Block block(final int author, final long round, final int... parents) {
        final BlockRef[] refs = new BlockRef[parents.length + 1];
        refs[0] = dag.slot(author, round - 1).get(0).ref();
        int i = 1;
        for (final int parent : parents) {
            if (parent != author) {
                refs[i++] = dag.slot(parent, round - 1).get(0).ref();
            }
        }
        final byte[] digest = new byte[32];
        digest[0] = (byte) author;
        digest[1] = (byte) round;
        digest[2] = (byte) dag.slot(author, round).size();
        final Block block = new Block(new BlockRef(author, round, digest), 0, round,
            java.util.Arrays.copyOf(refs, i), new byte[0], new int[0], new int[0]);
        dag.add(block);
        return block;
    }

    private void fullRound(final long round) {
        for (int a = 0; a < 4; a++) {
            block(a, round, 0, 1, 2, 3);
        }
    }

    @Test
    void leaderWithQuorumOfCertificatesCommitsDirectly() {
        fullRound(1);
        fullRound(2);
        fullRound(3);
        final List<LeaderDecision> decisions = committer.decide(dag, 0);
        assertEquals(1, decisions.size(), "only round 1 has its round r+2 yet");
        assertEquals(LeaderDecision.Kind.COMMIT, decisions.get(0).kind());
        assertTrue(decisions.get(0).direct());
        assertSame(dag.slot(1, 1).get(0), decisions.get(0).leader());
    }

    @Test
    void leaderThatAQuorumDidNotReferenceIsSkippedDirectly() {
        // round 1: validator 1 (the leader) never produced a block seen by the others
        block(0, 1, 0, 2, 3);
        block(2, 1, 0, 2, 3);
        block(3, 1, 0, 2, 3);
        for (final int a : new int[] {0, 2, 3}) {
            block(a, 2, 0, 2, 3);
        }
        final List<LeaderDecision> decisions = committer.decide(dag, 0);
        assertEquals(LeaderDecision.Kind.SKIP, decisions.get(0).kind());
        assertTrue(decisions.get(0).direct());
    }

    /**
     * <pre>
     * round 1  L = B1/1 (plus everyone)
     * round 2  0,1,2 vote for L; 3 does not
     * round 3  only 0's block has the three votes (a certificate); 1,2,3 see votes {1,2} only
     * round 4+ full rounds: the leader of round 4 (validator 0) has 0's round-3 block in its history
     * </pre>
     * Round 1 is undecided directly (1 certificate, 1 blame) and committed through the anchor.
     */
    @Test
    void undecidedLeaderCommitsThroughAnchorHistory() {
        fullRound(1);
        block(0, 2, 0, 1, 2, 3);
        block(1, 2, 0, 1, 2, 3);
        block(2, 2, 0, 1, 2, 3);
        block(3, 2, 0, 2, 3);
        block(0, 3, 0, 1, 2);
        block(1, 3, 1, 2, 3);
        block(2, 3, 1, 2, 3);
        block(3, 3, 1, 2, 3);
        final List<LeaderDecision> early = committer.decide(dag, 0);
        assertTrue(early.isEmpty(), "round 1 must stay undecided without an anchor: " + early);
        fullRound(4);
        fullRound(5);
        fullRound(6);
        final List<LeaderDecision> decisions = committer.decide(dag, 0);
        assertEquals(LeaderDecision.Kind.COMMIT, decisions.get(0).kind(), decisions.toString());
        assertTrue(!decisions.get(0).direct(), "decided through the anchor");
        assertSame(dag.slot(1, 1).get(0), decisions.get(0).leader());
    }

    /** As above, but the certificate (3's round-3 block) is in no later block's history: skip. */
    @Test
    void undecidedLeaderWithoutCertificateInAnchorHistoryIsSkipped() {
        fullRound(1);
        block(0, 2, 0, 2, 3);
        block(1, 2, 0, 1, 2, 3);
        block(2, 2, 0, 1, 2, 3);
        block(3, 2, 0, 1, 2, 3);
        block(0, 3, 0, 1, 2);
        block(1, 3, 0, 1, 2);
        block(2, 3, 0, 1, 2);
        block(3, 3, 1, 2, 3);
        for (int a = 0; a < 3; a++) {
            block(a, 4, 0, 1, 2);
        }
        block(3, 4, 0, 1, 2);
        fullRound(5);
        fullRound(6);
        final List<LeaderDecision> decisions = committer.decide(dag, 0);
        assertEquals(LeaderDecision.Kind.SKIP, decisions.get(0).kind(), decisions.toString());
        assertTrue(!decisions.get(0).direct());
    }

    @Test
    void equivocatingLeaderCommitsAtMostOneOfItsBlocks() {
        fullRound(1);
        // validator 2 (leader of round 2) signs two blocks; round 3 references the first one
        final Block first = block(2, 2, 0, 1, 2, 3);
        final Block second = block(2, 2, 0, 1, 3);
        block(0, 2, 0, 1, 2, 3);
        block(1, 2, 0, 1, 2, 3);
        block(3, 2, 0, 1, 2, 3);
        fullRound(3);
        fullRound(4);
        final List<LeaderDecision> decisions = committer.decide(dag, 1);
        final LeaderDecision round2 = decisions.get(0);
        assertEquals(2, round2.round());
        assertEquals(LeaderDecision.Kind.COMMIT, round2.kind());
        assertSame(first, round2.leader(), "round 3 voted for the first block; the twin must not commit");
        assertTrue(!first.ref().equals(second.ref()));
    }
}
