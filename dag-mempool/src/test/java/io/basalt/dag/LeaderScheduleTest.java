package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The swap table never makes one validator lead two slots of a round (simulator seeds 14 and 33
 * once did), and reputation takes an equivocator's slots first (multi-shard seed 39 once gave an
 * equivocator, scored like an honest validator, an honest one's slots and stalled a swap).
 */
class LeaderScheduleTest {
    @Test
    void anEquivocatorInTheAnchorsHistoryLosesItsSlots() {
        final Committee committee = Committee.ofEqualStake(0, new byte[4][32]);
        final DagStore dag = new DagStore(committee);
        for (final Block genesis : ConsensusCore.genesisBlocks(committee)) {
            dag.add(genesis);
        }
        final BlockRef[] genesis = new BlockRef[4];
        for (int a = 0; a < 4; a++) {
            genesis[a] = ConsensusCore.genesisRef(0, a);
        }
        // Round 1: everyone, and validator 2 twice. Round 2: 0 and 1 reference 2's first twin and not
        // 3's block (3 is slow), 3 references the second twin. By references alone 3 scores lowest.
        final Block[] round1 = new Block[4];
        for (int a = 0; a < 4; a++) {
            round1[a] = block(dag, a, 1, 0, own(genesis, a));
        }
        final Block twin = block(dag, 2, 1, 1, own(genesis, 2));
        final Block b0 = block(dag, 0, 2, 0, round1[0].ref(), round1[1].ref(), round1[2].ref());
        final Block b1 = block(dag, 1, 2, 0, round1[1].ref(), round1[0].ref(), round1[2].ref());
        final Block b3 = block(dag, 3, 2, 0, round1[3].ref(), round1[0].ref(), twin.ref(), round1[1].ref());
        final Block anchor = block(dag, 0, 3, 0, b0.ref(), b1.ref(), b3.ref());

        final LeaderSchedule schedule = new LeaderSchedule(4, 1);
        new LeaderReputation(committee, schedule, 20).update(dag, anchor);
        assertEquals(0, schedule.replacementOf(2), "the equivocator's slots go to the best (lowest index on ties)");
        assertEquals(0, schedule.replacementOf(0));
        assertEquals(1, schedule.replacementOf(1));
        assertEquals(3, schedule.replacementOf(3), "the slow validator keeps its slots: only f are swapped");
    }

    private static BlockRef[] own(final BlockRef[] genesis, final int author) {
        final BlockRef[] refs = genesis.clone();
        refs[0] = genesis[author];
        refs[author] = genesis[0];
        return refs;
    }

    private static Block block(final DagStore dag, final int author, final long round, final int variant,
                               final BlockRef... parents) {
        final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
        digest[0] = (byte) author;
        digest[1] = (byte) round;
        digest[2] = (byte) variant;
        final Block block = new Block(new BlockRef(author, round, digest), 0, round, parents, new byte[0], new int[0], new int[0]);
        dag.add(block);
        return block;
    }

    @Test
    void aTableLeadsOnlyTheRoundsAfterTheCommitThatInstalledIt() {
        final LeaderSchedule schedule = new LeaderSchedule(7, 2);
        // Round 10: base leaders 6 (slot 0) and 0 (slot 1). Install {6 -> 2, 0 -> 5} after a commit in round 10.
        schedule.swap(new int[] {6, 0}, new int[] {2, 5}, 11);
        assertEquals(6, schedule.leader(10, 0), "the installing round keeps round-robin");
        assertEquals(0, schedule.leader(10, 1));
        // Round 14: base 0 (slot 0) and 1 (slot 1); 0 is swapped to 5.
        assertEquals(5, schedule.leader(14, 0));
        assertEquals(1, schedule.leader(14, 1));
    }

    @Test
    void aReplacementThatAlreadyLeadsTheRoundLeavesTheSlotToItsBaseLeader() {
        final LeaderSchedule schedule = new LeaderSchedule(7, 2);
        schedule.swap(new int[] {3}, new int[] {4}, 1);
        // Round 5: base leaders 3 and 4; giving 3's slot to 4 would make one block lead both slots.
        assertEquals(3, schedule.leader(5, 0));
        assertEquals(4, schedule.leader(5, 1));
        // Round 8: base leaders 2 and 3; 4 leads no slot of it, so 3's slot goes to 4.
        assertEquals(2, schedule.leader(8, 0));
        assertEquals(4, schedule.leader(8, 1));
    }
}
