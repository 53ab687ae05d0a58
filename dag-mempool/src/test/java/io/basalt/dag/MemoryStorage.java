package io.basalt.dag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Storage for core tests; records the order of calls so tests can check persist-before-send. */
final class MemoryStorage implements CoreStorage {
    final List<String> log = new ArrayList<>();
    final Map<BlockRef, Block> blocks = new HashMap<>();
    final List<CommitRecord> commits = new ArrayList<>();
    Block lastOwn;

    @Override
    public void persistOwnBlock(final Block block) {
        log.add("persist " + block.ref());
        lastOwn = block;
        blocks.put(block.ref(), block);
    }

    @Override
    public void storeBlock(final Block block) {
        blocks.put(block.ref(), block);
    }

    @Override
    public void storeCommit(final CommitRecord record) {
        commits.add(record);
    }

    @Override
    public Block lastOwnBlock() {
        return lastOwn;
    }

    @Override
    public CommitRecord lastCommit() {
        return commits.isEmpty() ? null : commits.get(commits.size() - 1);
    }

    @Override
    public List<CommitRecord> commitsFrom(final long fromLeaderRound) {
        return commits.stream().filter(c -> c.leader().round() >= fromLeaderRound).toList();
    }

    @Override
    public List<Block> blocksInRounds(final long fromRound, final long toRound, final int max) {
        return blocks.values().stream()
            .filter(b -> b.round() >= fromRound && b.round() <= toRound)
            .sorted((a, b) -> a.ref().compareTo(b.ref()))
            .limit(max)
            .toList();
    }

    @Override
    public Block block(final BlockRef ref) {
        return blocks.get(ref);
    }
}
