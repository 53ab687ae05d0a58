package io.basalt.dag;

import java.util.List;

/**
 * Where {@link ConsensusAdapter} hands the blocks it decoded. By default the core itself; the node
 * puts its parallel verification stage in between, so that signatures are checked off the
 * consensus thread and the verified blocks reach the core later, on its own thread.
 */
public interface BlockIntake {
    /** A block pushed by a peer. */
    void onBlock(int from, Block block, long nowNs);

    /** Blocks sent in answer to one of our requests. */
    void onBlocks(int from, long requestId, List<Block> blocks, long nowNs);

    /** The core itself. */
    static BlockIntake of(final ConsensusCore core) {
        return new BlockIntake() {
            @Override
            public void onBlock(final int from, final Block block, final long nowNs) {
                core.onBlock(from, block, nowNs);
            }

            @Override
            public void onBlocks(final int from, final long requestId, final List<Block> blocks, final long nowNs) {
                core.onBlocks(from, requestId, blocks, nowNs);
            }
        };
    }
}
