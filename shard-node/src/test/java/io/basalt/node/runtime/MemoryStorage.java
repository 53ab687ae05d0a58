package io.basalt.node.runtime;

import io.basalt.dag.Block;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CoreStorage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test stand-in for the block store: everything in memory, synchronized, no pruning. */
final class MemoryStorage implements CoreStorage {
    private final TreeMap<Long, List<Block>> blocksByRound = new TreeMap<>();
    private final Map<BlockRef, Block> byRef = new HashMap<>();
    private final List<CommitRecord> commits = new ArrayList<>();
    private Block lastOwnBlock;

    @Override
    public synchronized void persistOwnBlock(final Block block) {
        if (lastOwnBlock != null && block.round() <= lastOwnBlock.round()) {
            throw new AssertionError("second own block for round " + block.round());
        }
        lastOwnBlock = block;
        put(block);
    }

    @Override
    public synchronized void storeBlock(final Block block) {
        put(block);
    }

    private void put(final Block block) {
        if (byRef.putIfAbsent(block.ref(), block) == null) {
            blocksByRound.computeIfAbsent(block.round(), r -> new ArrayList<>()).add(block);
        }
    }

    @Override
    public synchronized void storeCommit(final CommitRecord record) {
        commits.add(record);
    }

    @Override
    public synchronized Block lastOwnBlock() {
        return lastOwnBlock;
    }

    @Override
    public synchronized CommitRecord lastCommit() {
        return commits.isEmpty() ? null : commits.getLast();
    }

    @Override
    public synchronized List<CommitRecord> commitsFrom(final long fromLeaderRound) {
        return commits.stream().filter(r -> r.leader().round() >= fromLeaderRound).toList();
    }

    @Override
    public synchronized List<Block> blocksInRounds(final long fromRound, final long toRound, final int max) {
        final List<Block> out = new ArrayList<>();
        for (final List<Block> round : blocksByRound.subMap(fromRound, true, toRound, true).values()) {
            for (final Block block : round) {
                if (out.size() == max) {
                    return out;
                }
                out.add(block);
            }
        }
        return out;
    }

    @Override
    public synchronized Block block(final BlockRef ref) {
        return byRef.get(ref);
    }
}
