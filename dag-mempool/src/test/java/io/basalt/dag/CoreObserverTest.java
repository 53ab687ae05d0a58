package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the core reports to its {@link CoreObserver}: one core (validator 0 of 4) fed its peers'
 * blocks, built with {@link BlockCodec} and the {@link TestKeys} signers, round by round.
 */
class CoreObserverTest {
    private static final long MS = 1_000_000L;
    private static final int N = 4;
    private static final long LEADER_TIMEOUT_NS = 30 * MS;

    private final Committee committee = TestKeys.committee(N);
    private final CoreConfig config = CoreConfig.defaults().withTimes(LEADER_TIMEOUT_NS, 0, 40 * MS);
    private final List<CommittedSubDag> committed = new ArrayList<>();
    private final RecordingOutbox outbox = new RecordingOutbox(null);
    private final List<Block> sent = outbox.sent;
    private final Recording observer = new Recording();
    private final ConsensusCore core = new ConsensusCore(config, committee, 0, new BlockCodec(TestKeys.signer(0)),
        new SignedBlockVerifier(new TestKeys()), new MemoryStorage(), outbox, committed::add);
    /** {@code refs.get(round)[author]}: every block the test knows of (own: those the core sent). */
    private final Map<Long, BlockRef[]> refs = new HashMap<>();

    CoreObserverTest() {
        core.setObserver(observer);
        for (int a = 0; a < N; a++) {
            at(0)[a] = ConsensusCore.genesisRef(0, a);
        }
    }

    private BlockRef[] at(final long round) {
        return refs.computeIfAbsent(round, r -> new BlockRef[N]);
    }

    static final class Recording implements CoreObserver {
        final List<Block> proposed = new ArrayList<>();
        final List<Object[]> tags = new ArrayList<>();
        final List<Long> quorums = new ArrayList<>();
        final List<long[]> timeouts = new ArrayList<>();

        @Override
        public void onProposed(final Block block, final Object[] blockTags, final long nowNs) {
            proposed.add(block);
            tags.add(blockTags.clone());
        }

        @Override
        public void onOwnBlockQuorum(final long round, final long nowNs) {
            quorums.add(round);
        }

        @Override
        public void onLeaderTimeout(final long round, final long nowNs) {
            timeouts.add(new long[] {round, nowNs});
        }
    }

    /** {@code author}'s block of {@code round} over the blocks of {@code round - 1} by {@code over}; own first. */
    private Block peerBlock(final int author, final long round, final int... over) {
        final BlockRef[] previous = at(round - 1);
        final List<BlockRef> parents = new ArrayList<>();
        parents.add(previous[author]);
        for (final int a : over) {
            if (a != author) {
                assertTrue(previous[a] != null, "no block of " + a + " at round " + (round - 1));
                parents.add(previous[a]);
            }
        }
        return new BlockCodec(TestKeys.signer(author)).build(0, author, round, round * 10, parents.toArray(new BlockRef[0]),
            new byte[0][]);
    }

    private void feed(final int author, final long round, final long nowNs, final int... over) {
        final Block block = peerBlock(author, round, over);
        core.onBlock(author, block, nowNs);
        at(round)[author] = block.ref();
        syncOwn();
    }

    private void syncOwn() {
        for (final Block own : sent) {
            at(own.round())[0] = own.ref();
        }
    }

    private static final int[] ALL = {0, 1, 2, 3};

    /** Peers 1..3 each send their block of {@code round} over every block of the round before, own included. */
    private void peersRound(final long round) {
        for (int a = 1; a < N; a++) {
            feed(a, round, round * 10 * MS, ALL);
        }
    }

    @Test
    void onProposedHandsBackTheTagsInBlockOrderAndNullWithoutATag() {
        final byte[] a = TestTransactions.transfer(1);
        final byte[] b = TestTransactions.transfer(2);
        final byte[] c = TestTransactions.transfer(3);
        final Object tagA = "tag-a";
        final Object tagC = new Object();
        assertTrue(core.submitAdmitted(a, tagA));
        assertTrue(core.submit(b));
        assertTrue(core.submitAdmitted(c, tagC));

        core.start(0);
        assertEquals(1, observer.proposed.size(), "round 1 is proposed at start");
        final Block first = observer.proposed.get(0);
        assertSame(sent.get(0), first, "the block reported is the block broadcast");
        assertEquals(3, first.transactionCount());
        assertArrayEquals(a, first.transaction(0));
        assertArrayEquals(b, first.transaction(1));
        assertArrayEquals(c, first.transaction(2));
        final Object[] tags = observer.tags.get(0);
        assertEquals(3, tags.length, "one tag per transaction");
        assertSame(tagA, tags[0]);
        assertNull(tags[1], "submitted without a tag");
        assertSame(tagC, tags[2]);

        final byte[] d = TestTransactions.transfer(4);
        assertTrue(core.submit(d));
        final Object tagE = 42L;
        assertTrue(core.submitAdmitted(TestTransactions.transfer(5), tagE));
        syncOwn();
        peersRound(1);
        assertEquals(2, observer.proposed.size(), "round 2 after a quorum of round 1 with its leader");
        assertEquals(2, observer.proposed.get(1).round());
        assertEquals(Arrays.asList(null, tagE), Arrays.asList(observer.tags.get(1)),
            "tags of the second block only, the first block's do not linger");

        peersRound(2);
        assertEquals(3, observer.proposed.size());
        assertEquals(0, observer.proposed.get(2).transactionCount());
        assertEquals(0, observer.tags.get(2).length, "an empty block has no tags");
    }

    @Test
    void ownBlockQuorumFiresOncePerRoundWhenAQuorumReferencesIt() {
        core.start(0);
        syncOwn();
        // Round 1 of the peers references genesis only: no quorum for own round 1 yet.
        peersRound(1);
        assertTrue(observer.quorums.isEmpty(), "no block references own round 1 yet: " + observer.quorums);
        assertEquals(2, core.lastOwnRound());

        // Round 2: each peer block references own round 1. Own (1) + peer 1 (1) = 2 < 3.
        feed(1, 2, 20 * MS, ALL);
        assertTrue(observer.quorums.isEmpty(), "2 of 4 is not a quorum");
        feed(2, 2, 20 * MS, ALL);
        assertEquals(List.of(1L), observer.quorums, "own + two peers = 2f+1");
        feed(3, 2, 20 * MS, ALL);
        assertEquals(List.of(1L), observer.quorums, "reported once, not again for the fourth");

        for (long round = 3; round <= 6; round++) {
            peersRound(round);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), observer.quorums, "once per own round, in order");
        assertEquals(0, core.leaderTimeouts(), "every leader was there in time");
        assertTrue(observer.timeouts.isEmpty());
    }

    @Test
    void blocksThatDoNotReferenceTheOwnBlockDoNotCount() {
        core.start(0);
        syncOwn();
        peersRound(1);
        // Peers 1 and 2 build round 2 without the own block: only 1 stake (own) references it.
        feed(1, 2, 20 * MS, 1, 2, 3);
        feed(2, 2, 20 * MS, 1, 2, 3);
        assertTrue(observer.quorums.isEmpty(), "two peer blocks without it: " + observer.quorums);
        feed(3, 2, 20 * MS, ALL);
        assertTrue(observer.quorums.isEmpty(), "own + one peer is not a quorum");
    }

    @Test
    void aProposalAfterTheLeaderTimeoutIsCountedAndReported() {
        final LeaderSchedule schedule = new LeaderSchedule(N, config.leadersPerRound());
        final int leader = schedule.leader(1, 0);
        assertTrue(leader != 0, "the test needs a peer as round 1's leader");
        core.start(0);
        syncOwn();
        for (int a = 1; a < N; a++) {
            if (a != leader) {
                feed(a, 1, MS, ALL);
            }
        }
        assertEquals(1, sent.size(), "a quorum of round 1 without its leader: the core waits");
        assertEquals(MS + LEADER_TIMEOUT_NS, core.nextWakeupNs(), "until the leader timeout");
        core.tick(MS + LEADER_TIMEOUT_NS - 1);
        assertEquals(1, sent.size());
        assertEquals(0, core.leaderTimeouts());
        assertTrue(observer.timeouts.isEmpty());

        core.tick(MS + LEADER_TIMEOUT_NS);
        assertEquals(2, sent.size(), "round 2 proposed when the timeout expired");
        assertEquals(2, sent.get(1).round());
        assertFalse(sent.get(1).referencesSlot(leader, 1), "without the leader's block");
        assertEquals(1, core.leaderTimeouts());
        assertEquals(1, observer.timeouts.size());
        assertEquals(1, observer.timeouts.get(0)[0], "the round whose leader was missing");
        assertEquals(MS + LEADER_TIMEOUT_NS, observer.timeouts.get(0)[1]);

        core.tick(MS + 2 * LEADER_TIMEOUT_NS);
        assertEquals(1, core.leaderTimeouts(), "one timeout, counted once");
    }

    @Test
    void hasWorkWhileATransactionWaitsOrIsNotCommittedYet() {
        core.start(0);
        syncOwn();
        assertFalse(core.hasWork(), "nothing submitted");
        assertTrue(core.submit(TestTransactions.transfer(7)));
        assertTrue(core.hasWork(), "the mempool holds a transaction");
        assertEquals(1, core.mempoolSize());

        peersRound(1);
        assertEquals(1, sent.get(1).transactionCount(), "round 2 carries it");
        assertEquals(0, core.mempoolSize());
        assertTrue(core.hasWork(), "proposed but not committed: still work");

        for (long round = 2; round <= 8 && committed.stream().mapToLong(CommittedSubDag::transactionCount).sum() == 0;
             round++) {
            peersRound(round);
        }
        assertEquals(1, committed.stream().mapToLong(CommittedSubDag::transactionCount).sum(), "the transaction committed");
        assertFalse(core.hasWork(), "committed, nothing left");
    }
}
