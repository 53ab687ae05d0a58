package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The always-on consensus invariants trip with a clear message, and they are not asserts: these
 * tests pass the same with and without {@code -ea}. Each builds the state that only a broken quorum
 * assumption or corrupted storage could produce.
 */
class ConsensusInvariantTest {
    private static final Committee COMMITTEE = Committee.ofEqualStake(0, new byte[4][32]);

    /**
     * <pre>
     * round 1   leader 1 equivocates: L (digest a) and L' (digest b); 0, 2, 3 as usual
     * round 2   0 votes for L, 2 votes for L'
     * round 3   0 and 2 each build on their own vote: with a vote threshold of one (an unsafe rule,
     *           as if f+1 validators had voted twice) both L and L' hold certificates
     * </pre>
     */
    @Test
    void twoCertifiedLeadersInOneSlotStopTheCommitter() {
        final DagStore dag = new DagStore(COMMITTEE);
        for (final Block genesis : ConsensusCore.genesisBlocks(COMMITTEE)) {
            dag.add(genesis);
        }
        final Block[] round1 = new Block[4];
        for (int a = 0; a < 4; a++) {
            round1[a] = block(dag, a, 1, 0, genesisRefs());
        }
        final Block equivocation = block(dag, 1, 1, 1, genesisRefs());
        final Block vote0 = block(dag, 0, 2, 0, round1[0].ref(), round1[1].ref(), round1[2].ref(), round1[3].ref());
        final Block vote2 = block(dag, 2, 2, 0, round1[2].ref(), equivocation.ref(), round1[0].ref(), round1[3].ref());
        block(dag, 0, 3, 0, vote0.ref(), vote2.ref());
        block(dag, 2, 3, 0, vote2.ref(), vote0.ref());

        final Committer unsafe = new Committer(COMMITTEE, new LeaderSchedule(4, 1), 1);
        final ConsensusInvariantViolation violation =
            assertThrows(ConsensusInvariantViolation.class, () -> unsafe.decide(dag, 0));
        assertTrue(violation.getMessage().contains("two certified leaders in slot (1, 1)"), violation.getMessage());
    }

    @Test
    void aHeightGapInTheCommitRecordsStopsRecovery() {
        final MemoryStorage storage = new MemoryStorage();
        storage.commits.add(new CoreStorage.CommitRecord(1, leaderRef(1), 1, 10));
        storage.commits.add(new CoreStorage.CommitRecord(3, leaderRef(2), 2, 11));
        final ConsensusInvariantViolation violation =
            assertThrows(ConsensusInvariantViolation.class, () -> core(storage).start(0));
        assertTrue(violation.getMessage().contains("height gap in the commit records: 1 is followed by 3"),
            violation.getMessage());
    }

    @Test
    void aCommitThatDecidesAnEarlierSlotAgainStopsRecovery() {
        final MemoryStorage storage = new MemoryStorage();
        storage.commits.add(new CoreStorage.CommitRecord(1, leaderRef(2), 2, 10));
        storage.commits.add(new CoreStorage.CommitRecord(2, leaderRef(1), 1, 11));
        final ConsensusInvariantViolation violation =
            assertThrows(ConsensusInvariantViolation.class, () -> core(storage).start(0));
        assertTrue(violation.getMessage().contains("decides slot 1, not after slot 2"), violation.getMessage());
    }

    private static ConsensusCore core(final MemoryStorage storage) {
        final Committee committee = TestKeys.committee(4);
        return new ConsensusCore(CoreConfig.defaults(), committee, 0, new BlockCodec(TestKeys.signer(0)),
            new SignedBlockVerifier(new TestKeys()), storage, new RecordingOutbox(null), subDag -> { });
    }

    private static BlockRef leaderRef(final long round) {
        final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
        digest[0] = (byte) round;
        return new BlockRef((int) (round % 4), round, digest);
    }

    private static BlockRef[] genesisRefs() {
        final BlockRef[] refs = new BlockRef[4];
        for (int a = 0; a < 4; a++) {
            refs[a] = ConsensusCore.genesisRef(0, a);
        }
        return refs;
    }

    /** A block of {@code author}: own parent first, then the others as given. */
    private static Block block(final DagStore dag, final int author, final long round, final int variant,
                               final BlockRef... parents) {
        final BlockRef[] refs = new BlockRef[parents.length];
        int i = 0;
        for (final BlockRef parent : parents) {
            if (parent.author() == author) {
                refs[i++] = parent;
            }
        }
        for (final BlockRef parent : parents) {
            if (parent.author() != author) {
                refs[i++] = parent;
            }
        }
        final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
        digest[0] = (byte) author;
        digest[1] = (byte) round;
        digest[2] = (byte) variant;
        final Block block = new Block(new BlockRef(author, round, digest), 0, round, Arrays.copyOf(refs, i),
            new byte[0], new int[0], new int[0]);
        dag.add(block);
        return block;
    }
}
