package io.basalt.dag;

import java.util.List;

/**
 * The output of consensus: one committed leader and its not-yet-committed causal history, in a
 * deterministic order (round, author, digest). Heights count from 1 without gaps; consensus time is
 * the leader's timestamp, made monotonic over heights.
 */
public record CommittedSubDag(long height, BlockRef leader, long consensusTimeMs, List<Block> blocks) {
    public int transactionCount() {
        int count = 0;
        for (final Block block : blocks) {
            count += block.transactionCount();
        }
        return count;
    }
}
