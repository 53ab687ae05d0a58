package io.basalt.exec;

import io.basalt.xshard.BatchCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes of one height over the committed state, in two layers: the height's (kept) and the
 * current transaction's (kept on {@link #commit}, dropped on {@link #rollback}), so a transaction
 * that fails half-way leaves nothing behind. Insertion-ordered maps keep the first-touch order
 * that makes the after-images, and so the digest, equal on every validator.
 */
final class WriteSet implements Guard.Reads {
    /** An asset's state on this shard. */
    record Asset(byte[] issuer, long supply, long escrowed) {
    }

    /** Marks a swap record deleted in a layer. */
    private static final SwapRecord DELETED = new SwapRecord(new byte[32], false, 0, 0, 0, new byte[32], new byte[32],
        0, 0, 0, 0, 0, false);

    private static final class Layer {
        final LinkedHashMap<ByteKey, Long> balances = new LinkedHashMap<>();
        final LinkedHashMap<Integer, Asset> assets = new LinkedHashMap<>();
        final LinkedHashMap<ByteKey, Long> replay = new LinkedHashMap<>();
        final LinkedHashMap<ByteKey, SwapRecord> swaps = new LinkedHashMap<>();
        final LinkedHashMap<Integer, Long> inbound = new LinkedHashMap<>();
        final LinkedHashMap<Integer, Long> outbound = new LinkedHashMap<>();
        final List<HeightEffects.Outcome> settled = new ArrayList<>();
        final TreeMap<Integer, List<BatchCodec.Receipt>> receipts = new TreeMap<>();
        final TreeMap<Integer, List<BatchCodec.Vote>> votes = new TreeMap<>();

        void clear() {
            balances.clear();
            assets.clear();
            replay.clear();
            swaps.clear();
            inbound.clear();
            outbound.clear();
            settled.clear();
            receipts.clear();
            votes.clear();
        }

        void mergeInto(final Layer height) {
            height.balances.putAll(balances);
            height.assets.putAll(assets);
            height.replay.putAll(replay);
            height.swaps.putAll(swaps);
            height.inbound.putAll(inbound);
            height.outbound.putAll(outbound);
            height.settled.addAll(settled);
            receipts.forEach((dest, list) -> height.receipts.computeIfAbsent(dest, d -> new ArrayList<>()).addAll(list));
            votes.forEach((dest, list) -> height.votes.computeIfAbsent(dest, d -> new ArrayList<>()).addAll(list));
        }
    }

    private final StateView state;
    private final Layer height = new Layer();
    private final Layer tx = new Layer();

    WriteSet(final StateView state) {
        this.state = state;
    }

    void commit() {
        tx.mergeInto(height);
        tx.clear();
    }

    void rollback() {
        tx.clear();
    }

    // ---- reads: transaction layer, then height layer, then the state

    @Override
    public long balance(final byte[] account, final int assetId) {
        final ByteKey key = balanceKey(account, assetId);
        Long v = tx.balances.get(key);
        if (v == null) {
            v = height.balances.get(key);
        }
        return v != null ? v : state.balance(account, assetId);
    }

    @Override
    public long replayExpiry(final byte[] txId) {
        final ByteKey key = new ByteKey(txId);
        Long v = tx.replay.get(key);
        if (v == null) {
            v = height.replay.get(key);
        }
        return v != null ? v : state.replayExpiry(txId);
    }

    /** The asset's state, or null when this shard does not know it. */
    Asset asset(final int assetId) {
        Asset a = tx.assets.get(assetId);
        if (a == null) {
            a = height.assets.get(assetId);
        }
        if (a != null) {
            return a;
        }
        final long supply = state.assetSupply(assetId);
        return supply == StateView.ABSENT ? null : new Asset(state.assetIssuer(assetId), supply, state.assetEscrowed(assetId));
    }

    SwapRecord swap(final byte[] swapId) {
        final ByteKey key = new ByteKey(swapId);
        SwapRecord r = tx.swaps.get(key);
        if (r == null) {
            r = height.swaps.get(key);
        }
        if (r == null) {
            r = state.swap(swapId);
        }
        return r == DELETED ? null : r;
    }

    long inboundNext(final int source) {
        Long v = tx.inbound.get(source);
        if (v == null) {
            v = height.inbound.get(source);
        }
        return v != null ? v : state.inboundNext(source);
    }

    long outboundNext(final int dest) {
        final Long v = height.outbound.get(dest);
        return v != null ? v : state.outboundNext(dest);
    }

    // ---- writes go to the transaction layer

    void setBalance(final byte[] account, final int assetId, final long value) {
        if (value < 0) {
            throw new IllegalStateException("a balance would become negative: a rule is broken");
        }
        tx.balances.put(balanceKey(account, assetId), value);
    }

    void setAsset(final int assetId, final Asset asset) {
        if (asset.supply() < 0 || asset.escrowed() < 0 || asset.escrowed() > asset.supply()) {
            throw new IllegalStateException("asset " + Integer.toUnsignedString(assetId) + " would have supply "
                + asset.supply() + " with " + asset.escrowed() + " escrowed: a rule is broken");
        }
        tx.assets.put(assetId, asset);
    }

    void addReplay(final byte[] txId, final long expiryMs) {
        tx.replay.put(new ByteKey(txId.clone()), expiryMs);
    }

    void putSwap(final SwapRecord record) {
        tx.swaps.put(new ByteKey(record.swapId()), record.finished() ? DELETED : record);
    }

    void setInboundNext(final int source, final long next) {
        tx.inbound.put(source, next);
    }

    void settled(final byte[] txId, final io.basalt.protocol.ExecResult result) {
        tx.settled.add(new HeightEffects.Outcome(txId.clone(), result));
    }

    void receipt(final int dest, final BatchCodec.Receipt receipt) {
        tx.receipts.computeIfAbsent(dest, d -> new ArrayList<>()).add(receipt);
    }

    void vote(final int dest, final BatchCodec.Vote vote) {
        tx.votes.computeIfAbsent(dest, d -> new ArrayList<>()).add(vote);
    }

    // ---- the height's effects

    /** Cuts the outbound batches (height layer only: call after the last commit) and writes every image. */
    void writeEffects(final HeightEffects e, final int self, final BatchCodec codec) {
        assert tx.balances.isEmpty() && tx.assets.isEmpty() : "uncommitted transaction at the end of a height";
        final TreeMap<Integer, Boolean> dests = new TreeMap<>();
        height.receipts.keySet().forEach(d -> dests.put(d, true));
        height.votes.keySet().forEach(d -> dests.put(d, true));
        for (final int dest : dests.keySet()) {
            cut(e, self, dest, height.receipts.getOrDefault(dest, List.of()), height.votes.getOrDefault(dest, List.of()), codec);
        }
        for (final Map.Entry<ByteKey, Long> x : height.balances.entrySet()) {
            final byte[] k = x.getKey().bytes();
            e.balances.add(new HeightEffects.BalanceImage(Arrays.copyOf(k, 32), assetIdOf(k), x.getValue()));
        }
        height.assets.forEach((id, a) -> e.assets.add(new HeightEffects.AssetImage(id, a.issuer(), a.supply(), a.escrowed())));
        height.replay.forEach((id, expiry) -> e.replay.add(new HeightEffects.ReplayImage(id.bytes(), expiry)));
        height.swaps.forEach((id, r) -> e.swaps.add(new HeightEffects.SwapImage(id.bytes(), r == DELETED ? null : r)));
        height.inbound.forEach((s, next) -> e.streams.add(new HeightEffects.StreamImage(true, s, next)));
        height.outbound.forEach((s, next) -> e.streams.add(new HeightEffects.StreamImage(false, s, next)));
        e.settled.addAll(height.settled);
    }

    /** One destination's receipts and votes in as few batches as the limits allow, numbered on. */
    private void cut(final HeightEffects e, final int self, final int dest, final List<BatchCodec.Receipt> receipts,
                     final List<BatchCodec.Vote> votes, final BatchCodec codec) {
        int r = 0;
        int v = 0;
        while (r < receipts.size() || v < votes.size()) {
            final int rEnd = Math.min(receipts.size(), r + io.basalt.protocol.ProtocolLimits.MAX_RECEIPTS);
            final int vEnd = Math.min(votes.size(), v + io.basalt.protocol.ProtocolLimits.MAX_VOTES);
            final long seq = outboundNext(dest);
            final byte[] prefix = codec.encodePrefix(self, dest, seq, e.consensusTimeMs, receipts.subList(r, rEnd),
                votes.subList(v, vEnd));
            e.batches.add(new HeightEffects.OutboundBatch(dest, seq, prefix));
            height.outbound.put(dest, seq + 1);
            r = rEnd;
            v = vEnd;
        }
    }

    static ByteKey balanceKey(final byte[] account, final int assetId) {
        final byte[] k = Arrays.copyOf(account, 36);
        k[32] = (byte) assetId;
        k[33] = (byte) (assetId >>> 8);
        k[34] = (byte) (assetId >>> 16);
        k[35] = (byte) (assetId >>> 24);
        return new ByteKey(k);
    }

    private static int assetIdOf(final byte[] k) {
        return (k[32] & 0xFF) | (k[33] & 0xFF) << 8 | (k[34] & 0xFF) << 16 | (k[35] & 0xFF) << 24;
    }
}
