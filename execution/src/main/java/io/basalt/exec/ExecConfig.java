package io.basalt.exec;

/**
 * What the rules need to know of the network, from its genesis.
 *
 * @param shardId    the shard these rules execute for
 * @param shardCount shards of the network; an account's shard is {@code Shards.shardOf(address, shardCount)}
 * @param networkId  signed into every transaction
 * @param fee        flat fee per user transaction, in asset 0, burned on the fee payer's shard
 */
public record ExecConfig(int shardId, int shardCount, int networkId, long fee) {
    /** A transaction may expire at most this far beyond the consensus time. */
    public static final long MAX_EXPIRY_AHEAD_MS = 60_000;

    public ExecConfig {
        if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
            throw new IllegalArgumentException("shard " + shardId + " of " + shardCount);
        }
        if (fee < 0) {
            throw new IllegalArgumentException("fee must not be negative");
        }
    }

    /**
     * Asset ids are unique across the network because each shard mints only ids of its own
     * residue class: asset {@code a} is created on shard {@code a mod shardCount}. (Asset 0 is the
     * native asset of genesis and exists on every shard.)
     */
    public int homeShardOfAsset(final int assetId) {
        return (int) Long.remainderUnsigned(Integer.toUnsignedLong(assetId), shardCount);
    }
}
