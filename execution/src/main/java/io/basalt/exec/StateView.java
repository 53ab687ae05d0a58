package io.basalt.exec;

/**
 * The committed state of one shard as the rules read it. Implementations: the Chronicle-backed
 * store of a validator and {@link MemoryState}. Reads only; every change goes through
 * {@link HeightEffects}.
 */
public interface StateView {
    /** Sentinel of {@link #assetSupply} and {@link #replayExpiry}: nothing is known. */
    long ABSENT = Long.MIN_VALUE;

    /** The balance of (account, asset); 0 when there is none. */
    long balance(byte[] account, int assetId);

    /** The asset's supply on this shard (balances plus escrows), or {@link #ABSENT} when unknown here. */
    long assetSupply(int assetId);

    /** Of {@link #assetSupply}, how much sits in swap escrows; 0 for an unknown asset. */
    long assetEscrowed(int assetId);

    /** The asset's issuer (zeros for genesis assets and assets that arrived from another shard). */
    byte[] assetIssuer(int assetId);

    /** The expiry of a transaction id in the replay set, or {@link #ABSENT}. */
    long replayExpiry(byte[] txId);

    /** The next batch number expected from {@code sourceShard}; 1 before the first. */
    long inboundNext(int sourceShard);

    /** The number the next batch to {@code destShard} gets; 1 before the first. */
    long outboundNext(int destShard);

    /** The swap record of a cross-shard swap this shard takes part in, or null. */
    SwapRecord swap(byte[] swapId);
}
