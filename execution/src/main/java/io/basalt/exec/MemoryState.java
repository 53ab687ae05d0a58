package io.basalt.exec;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A shard's state in memory: what the simulator and tests execute over. It applies
 * {@link HeightEffects} exactly as the validator's Chronicle-backed store does (after-images,
 * replay expiry, the supply invariant, the digest chain), without files.
 */
public final class MemoryState implements StateView {
    private final ExecConfig config;
    private final Map<ByteKey, Long> balances = new HashMap<>();
    private final Map<Integer, WriteSet.Asset> assets = new TreeMap<>();
    private final Map<ByteKey, Long> replay = new HashMap<>();
    private final Map<ByteKey, SwapRecord> swaps = new HashMap<>();
    private final Map<Integer, Long> inbound = new HashMap<>();
    private final Map<Integer, Long> outbound = new HashMap<>();
    /** Batches cut here, by destination and seq; a relay drops them once the destination applied them. */
    private final Map<Integer, TreeMap<Long, byte[]>> outbox = new TreeMap<>();
    private final SupplyBook supply;
    private long height;
    private long consensusTimeMs;
    private byte[] digest;

    public MemoryState(final ExecConfig config, final java.util.List<Allocation> allocations, final long genesisTimeMs) {
        this.config = config;
        this.supply = new SupplyBook(config.shardId());
        final GenesisState.Initial initial = GenesisState.of(config, allocations);
        for (final HeightEffects.BalanceImage b : initial.balances()) {
            balances.put(WriteSet.balanceKey(b.account(), b.assetId()), b.balance());
            supply.balanceChanged(b.assetId(), 0, b.balance());
        }
        for (final HeightEffects.AssetImage a : initial.assets()) {
            assets.put(a.assetId(), new WriteSet.Asset(a.issuer(), a.supply(), a.escrowed()));
            supply.asset(a.assetId(), a.supply(), a.escrowed());
        }
        supply.checkAll(0);
        this.digest = initial.digest();
        this.consensusTimeMs = genesisTimeMs;
    }

    /** Encodes the effects (chaining the digest), applies them and returns the record. */
    public byte[] commit(final HeightEffects e) {
        if (e.height != height + 1) {
            throw new IllegalStateException("height " + e.height + " after " + height);
        }
        final byte[] record = EffectsCodec.encode(e, digest);
        for (final HeightEffects.BalanceImage b : e.balances) {
            final ByteKey key = WriteSet.balanceKey(b.account(), b.assetId());
            final Long old = b.balance() == 0 ? balances.remove(key) : balances.put(key, b.balance());
            supply.balanceChanged(b.assetId(), old == null ? 0 : old, b.balance());
        }
        for (final HeightEffects.AssetImage a : e.assets) {
            assets.put(a.assetId(), new WriteSet.Asset(a.issuer(), a.supply(), a.escrowed()));
            supply.asset(a.assetId(), a.supply(), a.escrowed());
        }
        supply.check(e);
        for (final HeightEffects.ReplayImage r : e.replay) {
            replay.put(new ByteKey(r.txId()), r.expiryMs());
        }
        for (final HeightEffects.SwapImage s : e.swaps) {
            if (s.record() == null) {
                swaps.remove(new ByteKey(s.swapId()));
            } else {
                swaps.put(new ByteKey(s.swapId()), s.record());
            }
        }
        for (final HeightEffects.StreamImage s : e.streams) {
            (s.inbound() ? inbound : outbound).put(s.shard(), s.next());
        }
        for (final HeightEffects.OutboundBatch b : e.batches) {
            outbox.computeIfAbsent(b.destShard(), d -> new TreeMap<>()).put(b.seq(), b.prefix());
        }
        height = e.height;
        consensusTimeMs = Math.max(consensusTimeMs, e.consensusTimeMs);
        replay.values().removeIf(expiry -> expiry <= consensusTimeMs);
        digest = EffectsCodec.digestOf(record, record.length);
        return record;
    }

    // ---- StateView

    @Override
    public long balance(final byte[] account, final int assetId) {
        return balances.getOrDefault(WriteSet.balanceKey(account, assetId), 0L);
    }

    @Override
    public long assetSupply(final int assetId) {
        final WriteSet.Asset a = assets.get(assetId);
        return a == null ? ABSENT : a.supply();
    }

    @Override
    public long assetEscrowed(final int assetId) {
        final WriteSet.Asset a = assets.get(assetId);
        return a == null ? 0 : a.escrowed();
    }

    @Override
    public byte[] assetIssuer(final int assetId) {
        final WriteSet.Asset a = assets.get(assetId);
        return a == null ? new byte[32] : a.issuer();
    }

    @Override
    public long replayExpiry(final byte[] txId) {
        return replay.getOrDefault(new ByteKey(txId), ABSENT);
    }

    @Override
    public long inboundNext(final int sourceShard) {
        return inbound.getOrDefault(sourceShard, 1L);
    }

    @Override
    public long outboundNext(final int destShard) {
        return outbound.getOrDefault(destShard, 1L);
    }

    @Override
    public SwapRecord swap(final byte[] swapId) {
        return swaps.get(new ByteKey(swapId));
    }

    // ---- for relays, checkers and tests

    public ExecConfig config() {
        return config;
    }

    public long height() {
        return height;
    }

    public long consensusTimeMs() {
        return consensusTimeMs;
    }

    public byte[] digest() {
        return digest.clone();
    }

    /** Batches for {@code dest} from {@code fromSeq} on, in order. */
    public java.util.SortedMap<Long, byte[]> outbox(final int dest, final long fromSeq) {
        return outbox.getOrDefault(dest, new TreeMap<>()).tailMap(fromSeq);
    }

    /** Forgets batches to {@code dest} up to and including {@code seq} (the destination applied them). */
    public void pruneOutbox(final int dest, final long seq) {
        final TreeMap<Long, byte[]> batches = outbox.get(dest);
        if (batches != null) {
            batches.headMap(seq, true).clear();
        }
    }

    /** Every asset known here with its supply and escrowed amount: {@code {supply, escrowed}}. */
    public Map<Integer, long[]> assets() {
        final Map<Integer, long[]> out = new TreeMap<>();
        assets.forEach((id, a) -> out.put(id, new long[] {a.supply(), a.escrowed()}));
        return out;
    }

    /** Open swap records. */
    public java.util.Collection<SwapRecord> swaps() {
        return java.util.List.copyOf(swaps.values());
    }

    /** Sum of the escrows in open swap records of one asset (equals the asset's escrowed figure). */
    public long escrowedInRecords(final int assetId) {
        long sum = 0;
        for (final SwapRecord r : swaps.values()) {
            if (r.assetId() == assetId) {
                sum += r.escrowed();
            }
        }
        return sum;
    }
}
