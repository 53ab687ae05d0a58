package io.basalt.sim;

import io.basalt.dag.Block;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CommitWindow;
import io.basalt.dag.CoreStorage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validator's disk in the simulator: it survives crashes. Writes are durable when the call
 * returns, as the core expects. Keeps blocks for {@code retentionRounds} below the last commit so
 * that peers down for that long can catch up from it, and prunes the rest so that memory stays
 * flat in long runs.
 */
final class SimStorage implements CoreStorage {
    private final TreeMap<Long, List<Block>> blocksByRound = new TreeMap<>();
    private final Map<BlockRef, Block> byRef = new HashMap<>();
    private final CommitWindow commits = new CommitWindow();
    private final long retentionRounds;
    private Block lastOwnBlock;
    private long ownBlocksPersisted;

    SimStorage(final long retentionRounds) {
        this.retentionRounds = retentionRounds;
    }

    @Override
    public void persistOwnBlock(final Block block) {
        if (lastOwnBlock != null && block.round() <= lastOwnBlock.round()) {
            throw new AssertionError("validator signed a second block for round " + block.round()
                + " (last own round " + lastOwnBlock.round() + ")");
        }
        lastOwnBlock = block;
        ownBlocksPersisted++;
        put(block);
    }

    @Override
    public void storeBlock(final Block block) {
        put(block);
    }

    private void put(final Block block) {
        if (byRef.putIfAbsent(block.ref(), block) == null) {
            blocksByRound.computeIfAbsent(block.round(), r -> new ArrayList<>(4)).add(block);
        }
    }

    @Override
    public void storeCommit(final CommitRecord record) {
        commits.add(record);
        final long keepFrom = record.leader().round() - retentionRounds;
        commits.dropBelow(keepFrom);
        final Iterator<Map.Entry<Long, List<Block>>> it = blocksByRound.headMap(keepFrom, false).entrySet().iterator();
        while (it.hasNext()) {
            for (final Block block : it.next().getValue()) {
                byRef.remove(block.ref());
            }
            it.remove();
        }
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
        final List<Block> blocks = new ArrayList<>();
        for (final List<Block> round : blocksByRound.subMap(fromRound, true, toRound, true).values()) {
            for (final Block block : round) {
                if (blocks.size() == max) {
                    return blocks;
                }
                blocks.add(block);
            }
        }
        return blocks;
    }

    @Override
    public Block block(final BlockRef ref) {
        return byRef.get(ref);
    }

    int blockCount() {
        return byRef.size();
    }

    int commitCount() {
        return commits.size();
    }

    long ownBlocksPersisted() {
        return ownBlocksPersisted;
    }
}
