package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core's handling of its inputs: validation, persistence order, restart, bounds, determinism. */
class ConsensusCoreTest {
    private static final long MS = 1_000_000L;
    private static final int N = 4;
    private final Committee committee = TestKeys.committee(N);
    private final CoreConfig config = CoreConfig.defaults().withTimes(30 * MS, 0, 40 * MS);
    private final List<CommittedSubDag> committed = new ArrayList<>();
    private final MemoryStorage storage = new MemoryStorage();
    private final RecordingOutbox outbox = new RecordingOutbox(storage.log);
    private final List<Block> sent = outbox.sent;

    private ConsensusCore core(final MemoryStorage store) {
        return new ConsensusCore(config, committee, 0, new BlockCodec(TestKeys.signer(0)),
            new SignedBlockVerifier(new TestKeys()), store, outbox, committed::add);
    }

    /** A block by {@code author} at round 1 over the genesis blocks. */
    private static Block roundOneBlock(final int author, final BlockSigner signer, final int shard) {
        final BlockRef[] parents = new BlockRef[N];
        parents[0] = ConsensusCore.genesisRef(0, author);
        int i = 1;
        for (int a = 0; a < N; a++) {
            if (a != author) {
                parents[i++] = ConsensusCore.genesisRef(0, a);
            }
        }
        return new BlockCodec(signer).build(shard, author, 1, 1, parents, new byte[0][]);
    }

    @Test
    void ownBlockIsPersistedBeforeItIsSent() {
        final ConsensusCore core = core(storage);
        core.start(0);
        assertEquals(1, sent.size(), "round 1 is proposed at start");
        assertEquals("persist " + sent.get(0).ref(), storage.log.get(0));
        assertEquals("send " + sent.get(0).ref(), storage.log.get(1));
    }

    @Test
    void restartNeverSignsARoundTwice() {
        final ConsensusCore first = core(storage);
        first.start(0);
        final long signed = first.lastOwnRound();
        final ConsensusCore restarted = core(storage);
        restarted.start(1);
        for (final Block block : sent) {
            assertTrue(block.round() > 0);
        }
        final long distinctRounds = sent.stream().mapToLong(Block::round).distinct().count();
        assertEquals(sent.size(), distinctRounds, "two blocks signed for one round: " + sent);
        assertEquals(signed, restarted.lastOwnRound());
    }

    /**
     * A block stamped further ahead than the allowed skew (1 s) is refused, because committed leader
     * timestamps are consensus time; the same block is taken once the local clock is near it.
     */
    @Test
    void aBlockStampedBeyondTheClockSkewIsRefusedUntilTheClockCatchesUp() {
        final ConsensusCore core = core(storage);
        core.start(0);
        final BlockRef[] parents = {ConsensusCore.genesisRef(0, 1), ConsensusCore.genesisRef(0, 0),
            ConsensusCore.genesisRef(0, 2), ConsensusCore.genesisRef(0, 3)};
        final Block ahead = new BlockCodec(TestKeys.signer(1)).build(0, 1, 1, 5_000, parents, new byte[0][]);
        core.onBlock(1, ahead, MS);
        assertEquals(1, core.rejectCount(1, RejectReason.TIMESTAMP_AHEAD));
        assertTrue(!core.knows(ahead.ref()), "refused, not parked");
        core.onBlock(1, ahead, 3_999 * MS);
        assertEquals(2, core.rejectCount(1, RejectReason.TIMESTAMP_AHEAD), "still more than 1 s ahead");
        core.onBlock(1, ahead, 4_000 * MS);
        assertTrue(core.knows(ahead.ref()), "within the skew it is accepted");
        assertEquals(2, core.rejectCount(1, RejectReason.TIMESTAMP_AHEAD));
        // A forged block stamped far ahead is a bad signature, not a skew: only a real author is blamed for its clock.
        final Block forged = new BlockCodec(TestKeys.signer(3)).build(0, 2, 1, 9_000_000, new BlockRef[] {
            ConsensusCore.genesisRef(0, 2), ConsensusCore.genesisRef(0, 0), ConsensusCore.genesisRef(0, 1),
            ConsensusCore.genesisRef(0, 3)}, new byte[0][]);
        core.onBlock(2, forged, 4_000 * MS);
        assertEquals(1, core.rejectCount(2, RejectReason.BAD_SIGNATURE));
        assertEquals(0, core.rejectCount(2, RejectReason.TIMESTAMP_AHEAD));
    }

    /**
     * Sync requests are served within a per-peer budget (burst 2 x maxResponseBlocks, then
     * servedBlocksPerPeerPerSecond): past it a peer is refused and counted, other peers are not affected,
     * and it is served again as its budget refills.
     */
    @Test
    void syncRequestsBeyondAPeersServingBudgetAreRefusedAndCounted() {
        final ConsensusCore core = core(storage);
        core.start(0);
        final BlockRef own = sent.get(0).ref();
        final int burst = 2 * config.maxResponseBlocks();
        for (int i = 0; i < burst + 72; i++) {
            // Each answer is one block (the own round-1 block), so the burst pays for `burst` answers.
            if (i % 2 == 0) {
                core.onRangeRequest(1, i, 1, 16, MS);
            } else {
                core.onBlockRequest(1, i, List.of(own), MS);
            }
        }
        assertEquals(burst, outbox.servedTo[1], "served up to the burst");
        assertEquals(72, core.rejectCount(1, RejectReason.OVER_BUDGET));
        core.onRangeRequest(2, 1, 1, 16, MS);
        assertEquals(1, outbox.servedTo[2], "another peer has its own budget");
        assertEquals(0, core.rejectCount(2, RejectReason.OVER_BUDGET));
        // 10 ms at 20,000 blocks/s buys 200 blocks, capped at the burst.
        for (int i = 0; i < burst + 10; i++) {
            core.onRangeRequest(1, 1_000 + i, 1, 16, 11 * MS);
        }
        assertEquals(2 * burst, outbox.servedTo[1], "refilled to the burst, not beyond");
        assertEquals(82, core.rejectCount(1, RejectReason.OVER_BUDGET));
    }

    @Test
    void badBlocksAreRejectedWithReasonsCountedAgainstTheSender() {
        final ConsensusCore core = core(storage);
        core.start(0);
        core.onBlock(1, roundOneBlock(1, TestKeys.signer(2), 0), MS);
        assertEquals(1, core.rejectCount(1, RejectReason.BAD_SIGNATURE));
        core.onBlock(2, roundOneBlock(2, TestKeys.signer(2), 9), MS);
        assertEquals(1, core.rejectCount(2, RejectReason.WRONG_SHARD));
        final BlockRef[] notOwnFirst = {ConsensusCore.genesisRef(0, 1), ConsensusCore.genesisRef(0, 3),
            ConsensusCore.genesisRef(0, 0)};
        core.onBlock(3, new BlockCodec(TestKeys.signer(3)).build(0, 3, 1, 1, notOwnFirst, new byte[0][]), MS);
        assertEquals(1, core.rejectCount(3, RejectReason.BAD_PARENTS));
        final BlockRef[] noQuorum = {ConsensusCore.genesisRef(0, 3), ConsensusCore.genesisRef(0, 1)};
        core.onBlock(3, new BlockCodec(TestKeys.signer(3)).build(0, 3, 1, 1, noQuorum, new byte[0][]), MS);
        assertEquals(1, core.rejectCount(3, RejectReason.NO_PARENT_QUORUM));
        final Block good = roundOneBlock(2, TestKeys.signer(2), 0);
        core.onBlock(2, good, MS);
        core.onBlock(2, good, MS);
        assertEquals(1, core.rejectCount(2, RejectReason.DUPLICATE));
        assertEquals(0, core.rejectCount(2, RejectReason.BAD_SIGNATURE), "an honest block is not blamed");
    }

    @Test
    void blocksFarAheadAreDroppedAndParkedBlocksAreBoundedPerAuthor() {
        final ConsensusCore core = core(storage);
        core.start(0);
        final BlockCodec byzantine = new BlockCodec(TestKeys.signer(1));
        final long far = config.maxRoundsAhead() + 5L;
        core.onBlock(1, byzantine.build(0, 1, far, 1, invented(1, far), new byte[0][]), MS);
        assertEquals(1, core.rejectCount(1, RejectReason.TOO_FAR_AHEAD));
        for (int i = 0; i < config.maxPendingPerAuthor() + 10; i++) {
            final long round = 2 + i % 20;
            core.onBlock(1, byzantine.build(0, 1, round, i, invented(1, round), new byte[0][]), MS);
        }
        assertEquals(config.maxPendingPerAuthor(), core.pendingSize());
        assertTrue(core.rejectCount(1, RejectReason.PENDING_FULL) >= 10);
    }

    @Test
    void idleRoundsAreSlowAndWorkMakesThemFast() {
        final CoreConfig paced = config.withTimes(30 * MS, MS, 400 * MS).withIdleRoundInterval(100 * MS);
        final ConsensusCore core = new ConsensusCore(paced, committee, 0, new BlockCodec(TestKeys.signer(0)),
            new SignedBlockVerifier(new TestKeys()), storage, outbox, committed::add);
        core.start(0);
        for (int a = 1; a < N; a++) {
            core.onBlock(a, roundOneBlock(a, TestKeys.signer(a), 0), MS);
        }
        assertEquals(1, sent.size(), "no round 2 yet: the cluster is idle");
        assertEquals(100 * MS, core.nextWakeupNs(), "an idle core waits the idle interval");
        assertTrue(core.submit(TestTransactions.transfer(9)));
        assertEquals(MS, core.nextWakeupNs(), "work arriving brings the next proposal forward");
        core.tick(2 * MS);
        assertEquals(2, sent.size(), "round 2 proposed at the fast interval");
        assertEquals(1, sent.get(1).transactionCount());
    }

    @Test
    void sameInputsGiveByteIdenticalOutputs() {
        final List<byte[]> first = runScript(new MemoryStorage());
        sent.clear();
        final List<byte[]> second = runScript(new MemoryStorage());
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "output " + i + " differs");
        }
    }

    private List<byte[]> runScript(final MemoryStorage store) {
        final ConsensusCore core = core(store);
        core.start(0);
        assertTrue(!core.submit(new byte[] {1, 2, 3}), "bytes that are no transaction are refused");
        assertTrue(core.submit(TestTransactions.transfer(1)));
        for (int a = 1; a < N; a++) {
            core.onBlock(a, roundOneBlock(a, TestKeys.signer(a), 0), a * MS);
        }
        core.tick(100 * MS);
        final List<byte[]> out = new ArrayList<>();
        for (final Block block : sent) {
            out.add(block.encoded());
        }
        assertTrue(out.size() >= 2, "the core proposed round 2 after a quorum of round 1");
        return out;
    }

    private static BlockRef[] invented(final int author, final long round) {
        final BlockRef[] parents = new BlockRef[N];
        parents[0] = new BlockRef(author, round - 1, digest(author, round));
        int i = 1;
        for (int a = 0; a < N; a++) {
            if (a != author) {
                parents[i++] = new BlockRef(a, round - 1, digest(a, round));
            }
        }
        return parents;
    }

    private static byte[] digest(final int author, final long round) {
        final byte[] d = new byte[32];
        d[0] = (byte) 0xEE;
        d[1] = (byte) author;
        d[2] = (byte) round;
        return d;
    }
}
