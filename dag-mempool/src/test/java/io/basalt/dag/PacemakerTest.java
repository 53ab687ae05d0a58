package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Starfish round rules: a validator that was cut off while the others went on, once it holds
 * their quorum of round q, first makes the safe jump (its own block of round q) and only then
 * proposes round q+1; and it pushes to each peer the older parents that peer has not acknowledged.
 */
class PacemakerTest {
    private static final long MS = 1_000_000L;
    private static final int N = 4;
    private static final int LATE = 0;
    private final Committee committee = TestKeys.committee(N);
    private final CoreConfig config = CoreConfig.defaults().withTimes(10 * MS, MS, 40 * MS);
    private final ArrayDeque<Object[]> wire = new ArrayDeque<>();
    private final ConsensusCore[] cores = new ConsensusCore[N];
    private final List<List<Block>> sentBy = new ArrayList<>();
    private final List<List<Block>> pushedTo = new ArrayList<>();
    /** Per sent own block of the late validator, its quorum round when it sent the block. */
    private final java.util.Map<BlockRef, Long> quorumWhenSent = new java.util.HashMap<>();
    private boolean lateIsCutOff = true;

    @Test
    void aValidatorBehindTheQuorumJumpsWithItsOwnBlockOfThatRoundBeforeAdvancing() {
        for (int v = 0; v < N; v++) {
            sentBy.add(new ArrayList<>());
            pushedTo.add(new ArrayList<>());
            cores[v] = core(v);
        }
        for (final ConsensusCore core : cores) {
            core.start(0);
        }
        long now = 0;
        while (cores[1].quorumRound() < 12) {
            now += MS;
            step(now);
        }
        final long ownBefore = cores[LATE].lastOwnRound();
        assertTrue(ownBefore <= 2, "cut off, validator " + LATE + " proposed up to round " + ownBefore);
        lateIsCutOff = false;
        final int sentBefore = sentBy.get(LATE).size();
        for (int i = 0; i < 200 && cores[LATE].lastOwnRound() < cores[1].quorumRound(); i++) {
            now += MS;
            step(now);
        }
        // New own blocks only: a stuck validator also re-broadcasts its latest block.
        final List<Block> after = sentBy.get(LATE).subList(sentBefore, sentBy.get(LATE).size()).stream()
            .filter(b -> b.round() > ownBefore).distinct().toList();
        assertTrue(after.size() >= 2, "the late validator proposes again: quorum round " + cores[LATE].quorumRound()
            + " pending " + cores[LATE].pendingSize() + " missing " + cores[LATE].missingSize() + " own " + cores[LATE].lastOwnRound()
            + " others at " + cores[1].quorumRound());
        final Block jump = after.get(0);
        assertTrue(jump.round() > ownBefore + 1, "it jumped: " + jump.round());
        // The old rule proposed quorum round + 1 at once, entering it without a block of the quorum round.
        assertEquals(quorumWhenSent.get(jump.ref()), jump.round(), "the safe jump builds a block of the quorum round itself");
        for (int i = 1; i < after.size(); i++) {
            assertEquals(after.get(i - 1).round() + 1, after.get(i).round(),
                "after the jump it enters every round with its own block of the round before");
            assertEquals(after.get(i - 1).ref(), after.get(i).parent(0), "own previous block first");
        }
        assertTrue(cores[LATE].safeJumps() >= 1, "the jump is counted");
        // The jump block builds on its own old block, which no peer has acknowledged beyond round 1:
        // the next block pushes it along rather than leaving peers to request it.
        boolean pushed = false;
        for (int peer = 1; peer < N; peer++) {
            for (final Block block : pushedTo.get(peer)) {
                pushed |= block.author() == LATE && block.round() < jump.round();
            }
        }
        assertTrue(pushed, "the older own parent was pushed to the peers");
    }

    private void step(final long now) {
        final int count = wire.size();
        for (int i = 0; i < count; i++) {
            final Object[] m = wire.poll();
            final int from = (int) m[0];
            final int to = (int) m[1];
            if (lateIsCutOff && (from == LATE || to == LATE)) {
                continue;
            }
            if (m[2] instanceof long[] range) {
                cores[to].onRangeRequest(from, 1L, range[0], range[1], now);
                continue;
            }
            @SuppressWarnings("unchecked")
            final List<Object> items = (List<Object>) m[2];
            if (!items.isEmpty() && items.get(0) instanceof BlockRef) {
                cores[to].onBlockRequest(from, 1L, items.stream().map(BlockRef.class::cast).toList(), now);
            } else {
                cores[to].onBlocks(from, 0L, items.stream().map(Block.class::cast).toList(), now);
            }
        }
        for (final ConsensusCore core : cores) {
            core.tick(now);
        }
    }

    private ConsensusCore core(final int v) {
        final CoreOutbox outbox = new RecordingOutbox(null) {
            @Override
            public void broadcastBlock(final Block block) {
                sentBy.get(v).add(block);
                quorumWhenSent.putIfAbsent(block.ref(), cores[v] == null ? 0L : cores[v].quorumRound());
                for (int to = 0; to < N; to++) {
                    if (to != v) {
                        wire.add(new Object[] {v, to, List.of(block)});
                    }
                }
            }

            @Override
            public void sendBlockRequest(final int peer, final long requestId, final List<BlockRef> refs) {
                wire.add(new Object[] {v, peer, List.copyOf(refs)});
            }

            @Override
            public void sendRangeRequest(final int peer, final long requestId, final long fromRound, final long toRound) {
                wire.add(new Object[] {v, peer, new long[] {fromRound, toRound}});
            }

            @Override
            public void sendBlocks(final int peer, final long requestId, final List<Block> blocks) {
                if (requestId == 0L) {
                    pushedTo.get(peer).addAll(blocks);
                }
                wire.add(new Object[] {v, peer, List.copyOf(blocks)});
            }
        };
        return new ConsensusCore(config, committee, v, new BlockCodec(TestKeys.signer(v)),
            new SignedBlockVerifier(new TestKeys()), new MemoryStorage(), outbox, subDag -> { });
    }
}
