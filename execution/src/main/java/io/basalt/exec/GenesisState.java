package io.basalt.exec;

import io.basalt.crypto.Shards;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of a shard at height 0: its accounts' genesis allocations summed per (account,
 * asset), every allocated asset registered with its supply (and, at supply 0, every genesis asset
 * whose home shard this is but which only other shards hold), and the first digest of the chain:
 * SHA-256("basalt-genesis/" networkId "/" shard, each allocation of the shard in genesis order as
 * account | asset u64 LE | amount u64 LE, then the fee u64 LE).
 */
public final class GenesisState {
    /** Balances in (hex account, asset) order, assets by id, and the genesis digest. */
    public record Initial(List<HeightEffects.BalanceImage> balances, List<HeightEffects.AssetImage> assets, byte[] digest) {
    }

    private GenesisState() {
    }

    public static Initial of(final ExecConfig config, final List<Allocation> allocations) {
        final TreeMap<String, Long> sums = new TreeMap<>();
        final TreeMap<Integer, Long> supply = new TreeMap<>();
        supply.put(0, 0L);
        final MessageDigest md = EffectsCodec.sha256();
        md.update(("basalt-genesis/" + config.networkId() + "/" + config.shardId()).getBytes(StandardCharsets.UTF_8));
        final TreeMap<Integer, Long> networkSupply = new TreeMap<>();
        for (final Allocation a : allocations) {
            if (a.amount() < 0) {
                throw new IllegalArgumentException("genesis allocation to " + HexFormat.of().formatHex(a.account())
                    + " is negative");
            }
            // A cross-shard credit stops the node when a shard's supply would overflow; that cannot
            // happen while every asset's network-wide supply fits in a long, so genesis must fit.
            networkSupply.merge(a.assetId(), a.amount(), (x, y) -> {
                if (x > Long.MAX_VALUE - y) {
                    throw new IllegalArgumentException("genesis supply of asset " + Integer.toUnsignedString(a.assetId())
                        + " exceeds 2^63-1 across the network");
                }
                return x + y;
            });
            if (Shards.shardOf(a.account(), config.shardCount()) != config.shardId()) {
                // Asset ids stay unique only if the home shard of a genesis asset knows it, even when
                // it holds none: else a CREATE_ASSET there would mint a second supply of the id.
                if (config.homeShardOfAsset(a.assetId()) == config.shardId()) {
                    supply.putIfAbsent(a.assetId(), 0L);
                }
                continue;
            }
            md.update(a.account());
            md.update(longBytes(Integer.toUnsignedLong(a.assetId())));
            md.update(longBytes(a.amount()));
            sums.merge(HexFormat.of().formatHex(a.account()) + "/" + Integer.toUnsignedString(a.assetId()), a.amount(),
                Math::addExact);
            supply.merge(a.assetId(), a.amount(), Math::addExact);
        }
        md.update(longBytes(config.fee()));
        final List<HeightEffects.BalanceImage> balances = new ArrayList<>();
        for (final Map.Entry<String, Long> e : sums.entrySet()) {
            final String[] parts = e.getKey().split("/");
            if (e.getValue() != 0) {
                balances.add(new HeightEffects.BalanceImage(HexFormat.of().parseHex(parts[0]),
                    Integer.parseUnsignedInt(parts[1]), e.getValue()));
            }
        }
        final List<HeightEffects.AssetImage> assets = new ArrayList<>();
        supply.forEach((asset, amount) -> assets.add(new HeightEffects.AssetImage(asset, new byte[32], amount, 0)));
        return new Initial(balances, assets, md.digest());
    }

    private static byte[] longBytes(final long v) {
        final byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
