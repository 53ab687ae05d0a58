package io.basalt.perf.consensus;

import io.basalt.dag.Block;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CommitWindow;
import io.basalt.dag.CoreStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-memory {@link CoreStorage} for the consensus-only benchmark: nothing is durable (the benchmark
 * measures ordering, not disks), and only the last {@code retentionRounds} rounds of blocks and
 * commit records are kept, so memory stays flat however many rounds a run goes through. Enough for
 * peers' block and range requests inside that window; recovery is never exercised.
 *
 * <p>Used by its core's thread only.
 */
final class MemoryCoreStorage implements CoreStorage {
    private final int retentionRounds;
    /** round → (author → first block seen of that slot); honest benchmark validators never equivocate. */
    private final TreeMap<Long, Block[]> rounds = new TreeMap<>();
    private final CommitWindow commits = new CommitWindow();
    private final int validators;
    private Block lastOwnBlock;

    MemoryCoreStorage(final int retentionRounds, final int validators) {
        if (retentionRounds < 1) {
            throw new IllegalArgumentException("retentionRounds >= 1");
        }
        this.retentionRounds = retentionRounds;
        this.validators = validators;
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
        final Block[] slot = rounds.computeIfAbsent(block.round(), r -> new Block[validators]);
        if (slot[block.author()] == null) {
            slot[block.author()] = block;
        }
        final long keepFrom = rounds.lastKey() - retentionRounds + 1;
        while (rounds.firstKey() < keepFrom) {
            rounds.pollFirstEntry();
        }
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
        for (final Map.Entry<Long, Block[]> entry : rounds.subMap(fromRound, true, toRound, true).entrySet()) {
            for (final Block block : entry.getValue()) {
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
        final Block[] slot = rounds.get(ref.round());
        if (slot == null || ref.author() < 0 || ref.author() >= slot.length) {
            return null;
        }
        final Block block = slot[ref.author()];
        return block != null && block.ref().equals(ref) ? block : null;
    }
}
