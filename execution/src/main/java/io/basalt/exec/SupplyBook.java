package io.basalt.exec;

import java.util.HashMap;
import java.util.Map;

/**
 * The always-on money invariant of one shard: for every asset, the balances plus the escrows
 * sum to the shard's supply (genesis + minted - burned - sent to other shards + received).
 *
 * <p>The balance sums are kept incrementally from the changes actually written (new minus old
 * value); the supply and escrow figures come from the asset images execution wrote. Both are
 * compared for every asset a height touches; a mismatch throws {@link IllegalStateException}, which
 * stops a validator rather than let it continue with balances it cannot trust.
 */
public final class SupplyBook {
    private final Map<Integer, Long> balanceSums = new HashMap<>();
    private final Map<Integer, long[]> registry = new HashMap<>();
    private final int shardId;

    public SupplyBook(final int shardId) {
        this.shardId = shardId;
    }

    /** A balance changed from {@code oldValue} to {@code newValue}. */
    public void balanceChanged(final int assetId, final long oldValue, final long newValue) {
        if (newValue < 0) {
            throw new IllegalStateException("negative balance of asset " + Integer.toUnsignedString(assetId));
        }
        balanceSums.merge(assetId, newValue - oldValue, SupplyBook::addOrStop);
    }

    /** The asset's supply and escrowed amount on this shard. */
    public void asset(final int assetId, final long supply, final long escrowed) {
        registry.put(assetId, new long[] {supply, escrowed});
    }

    /** Checks one asset; {@code height} only names where in the message. */
    public void check(final int assetId, final long height) {
        final long[] expected = registry.get(assetId);
        final long sum = balanceSums.getOrDefault(assetId, 0L);
        if (expected == null) {
            if (sum != 0) {
                throw new IllegalStateException("balances of unregistered asset " + Integer.toUnsignedString(assetId)
                    + " on shard " + shardId);
            }
            return;
        }
        if (addOrStop(sum, expected[1]) != expected[0]) {
            throw new IllegalStateException("supply invariant broken for asset " + Integer.toUnsignedString(assetId)
                + " on shard " + shardId + ": balances sum to " + sum + " and escrows to " + expected[1]
                + ", the shard's supply is " + expected[0] + " (height " + height + ")");
        }
    }

    /** Checks every asset a height touched. */
    public void check(final HeightEffects e) {
        for (final HeightEffects.BalanceImage b : e.balances) {
            check(b.assetId(), e.height);
        }
        for (final HeightEffects.AssetImage a : e.assets) {
            check(a.assetId(), e.height);
        }
    }

    /** Checks every asset known (after a full scan at start-up). */
    public void checkAll(final long height) {
        for (final int asset : balanceSums.keySet()) {
            check(asset, height);
        }
        for (final int asset : registry.keySet()) {
            check(asset, height);
        }
    }

    public void clear() {
        balanceSums.clear();
        registry.clear();
    }

    private static long addOrStop(final long a, final long b) {
        try {
            return Math.addExact(a, b);
        } catch (final ArithmeticException e) {
            throw new IllegalStateException("supply sum overflowed", e);
        }
    }
}
