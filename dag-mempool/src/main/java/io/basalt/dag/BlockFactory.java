package io.basalt.dag;

/** Encodes, digests and signs a new own block. */
public interface BlockFactory {
    Block build(int shardId, int author, long round, long timestampMs, BlockRef[] parents, byte[][] transactions);
}
