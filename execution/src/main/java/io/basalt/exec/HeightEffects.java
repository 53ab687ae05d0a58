package io.basalt.exec;

import io.basalt.protocol.ExecResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one committed height changes, as after-images in first-touch order, plus what it
 * tells clients. Every honest validator derives the same effects from the same sub-DAG, so the
 * record {@link EffectsCodec} makes of them, and the digest chained over it, are equal everywhere.
 * Applying effects whose images already reached the state is harmless (they are absolute values),
 * which is what makes replaying a commit log after a crash safe.
 */
public final class HeightEffects {
    /** The result of one transaction of the height, in execution order. */
    public record Outcome(byte[] txId, ExecResult result) {
    }

    public record BalanceImage(byte[] account, int assetId, long balance) {
    }

    /** An asset's supply on this shard (balances plus escrows) and the part of it held in escrows. */
    public record AssetImage(int assetId, byte[] issuer, long supply, long escrowed) {
    }

    public record ReplayImage(byte[] txId, long expiryMs) {
    }

    /** A swap record written ({@code record != null}) or deleted. */
    public record SwapImage(byte[] swapId, SwapRecord record) {
    }

    /** {@code inbound}: the next batch expected from {@code shard}; else the next number for batches to it. */
    public record StreamImage(boolean inbound, int shard, long next) {
    }

    /** A batch cut at this height for {@code destShard}: its unsigned prefix (see {@code BatchCodec}). */
    public record OutboundBatch(int destShard, long seq, byte[] prefix) {
    }

    public final long height;
    public final long consensusTimeMs;
    public final List<Outcome> results = new ArrayList<>();
    /** Cross-shard outcomes that became final here: receipts credited, swaps decided. */
    public final List<Outcome> settled = new ArrayList<>();
    public final List<BalanceImage> balances = new ArrayList<>();
    public final List<AssetImage> assets = new ArrayList<>();
    public final List<ReplayImage> replay = new ArrayList<>();
    public final List<SwapImage> swaps = new ArrayList<>();
    public final List<StreamImage> streams = new ArrayList<>();
    public final List<OutboundBatch> batches = new ArrayList<>();

    public HeightEffects(final long height, final long consensusTimeMs) {
        this.height = height;
        this.consensusTimeMs = consensusTimeMs;
    }
}
