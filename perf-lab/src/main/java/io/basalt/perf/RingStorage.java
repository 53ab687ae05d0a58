package io.basalt.perf;

import io.basalt.dag.Block;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CommitWindow;
import io.basalt.dag.CoreStorage;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory {@link CoreStorage} for benchmarks: the last {@code retentionRounds} rounds in a ring
 * of per-round slots, one block per author, overwritten as rounds go by. That is the pruning: memory
 * stays flat however long a benchmark runs, and storing a block allocates nothing, so the
 * allocation a benchmark reports is the core's own.
 *
 * <p>It keeps the first block of each (author, round) and drops later ones: benchmark clusters are
 * honest and never equivocate. Recovery and range-request reads work over what the ring holds.
 */
public final class RingStorage implements CoreStorage {
    private final int retentionRounds;
    private final Block[][] blocks;
    private final long[] roundInSlot;
    private final CommitWindow commits = new CommitWindow();
    private Block lastOwnBlock;
    private long highestRound;

    public RingStorage(final int retentionRounds, final int validators) {
        this.retentionRounds = retentionRounds;
        this.blocks = new Block[retentionRounds][validators];
        this.roundInSlot = new long[retentionRounds];
        java.util.Arrays.fill(roundInSlot, -1L);
    }

    @Override
    public void persistOwnBlock(final Block block) {
        lastOwnBlock = block;
        put(block);
    }

    @Override
    public void storeBlock(final Block block) {
        put(block);
    }

    private void put(final Block block) {
        final long round = block.round();
        if (round <= highestRound - retentionRounds) {
            return;
        }
        final int slot = (int) (round % retentionRounds);
        if (roundInSlot[slot] != round) {
            java.util.Arrays.fill(blocks[slot], null);
            roundInSlot[slot] = round;
        }
        if (blocks[slot][block.author()] == null) {
            blocks[slot][block.author()] = block;
        }
        highestRound = Math.max(highestRound, round);
    }

    @Override
    public void storeCommit(final CommitRecord record) {
        commits.add(record);
        commits.dropBelow(record.leader().round() - retentionRounds + 1);
    }

    @Override
    public Block lastOwnBlock() {
        return lastOwnBlock;
    }

    @Override
    public CommitRecord lastCommit() {
        return commits.last();
    }

    @Override
    public List<CommitRecord> commitsFrom(final long fromLeaderRound) {
        return commits.from(fromLeaderRound);
    }

    @Override
    public List<Block> blocksInRounds(final long fromRound, final long toRound, final int max) {
        final List<Block> found = new ArrayList<>();
        final long from = Math.max(fromRound, highestRound - retentionRounds + 1);
        final long to = Math.min(toRound, highestRound);
        for (long round = from; round <= to; round++) {
            final int slot = (int) (round % retentionRounds);
            if (roundInSlot[slot] != round) {
                continue;
            }
            for (final Block block : blocks[slot]) {
                if (block != null) {
                    if (found.size() == max) {
                        return found;
                    }
                    found.add(block);
                }
            }
        }
        return found;
    }

    @Override
    public Block block(final BlockRef ref) {
        if (ref.round() < 0 || ref.author() < 0 || ref.author() >= blocks[0].length) {
            return null;
        }
        final int slot = (int) (ref.round() % retentionRounds);
        if (roundInSlot[slot] != ref.round()) {
            return null;
        }
        final Block block = blocks[slot][ref.author()];
        return block != null && block.ref().equals(ref) ? block : null;
    }
}
