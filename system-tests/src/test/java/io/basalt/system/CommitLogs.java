package io.basalt.system;

import io.basalt.exec.EffectsCodec;
import io.basalt.exec.HeightEffects;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A read-only reader of a validator's commit log, the oracle of the process tests: it holds every
 * height the validator executed, with the transactions and their results, the cross-shard outcomes
 * that became final there, each asset's supply on the shard, and the state digest after it, so
 * agreement can be checked at every height rather than at one sampled moment.
 *
 * <p>Formats: {@code CommitLog} frames ({@code [length u32][crc32c u32][body]}, little-endian, in
 * shard-node) around record bodies whose layout belongs to {@link EffectsCodec} (module execution),
 * which this class uses to decode them rather than parsing by hand. Within one log every record's
 * digest must chain onto the one before ({@link EffectsCodec#decode}); the first record read is
 * decoded unchecked (its predecessor is the genesis digest). The reader never writes: it may read
 * the log of a running validator and stops at the first frame that is incomplete or fails its
 * checksum, as recovery would. If the frame format changes, this class must follow.
 */
final class CommitLogs {
    private static final int FRAME_HEADER = 8;
    /** The smallest body: height, time, eight counts, the digest. */
    private static final int MIN_BODY = 16 + 8 * 4 + EffectsCodec.DIGEST_BYTES;

    /**
     * One outcome: a transaction's id (hex) and result code ({@code io.basalt.protocol.ExecResult}:
     * 0 success, 4 duplicate, ...).
     */
    record TxResult(String txId, int result) {
    }

    /** An asset's supply on the shard after a height (balances plus escrows) and the escrowed part. */
    record AssetSupply(int assetId, long supply, long escrowed) {
    }

    /**
     * One executed height: the state digest after it, its transactions' results in execution order
     * (user transactions and certified batches), the cross-shard outcomes that became final (SETTLED)
     * here, and the asset supplies it wrote.
     */
    record Height(long height, long consensusTimeMs, String stateDigest, List<TxResult> transactions,
                  List<TxResult> settled, List<AssetSupply> assets) {
    }

    private CommitLogs() {
    }

    /** Every complete record of the log, by height; empty when the file does not exist yet. */
    static NavigableMap<Long, Height> read(final Path file) throws IOException {
        final NavigableMap<Long, Height> heights = new TreeMap<>();
        if (!Files.exists(file)) {
            return heights;
        }
        final byte[] bytes = Files.readAllBytes(file);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        byte[] previousDigest = null;
        int offset = 0;
        while (bytes.length - offset >= FRAME_HEADER) {
            final long length = Integer.toUnsignedLong(buffer.getInt(offset));
            if (length < MIN_BODY || length > bytes.length - offset - FRAME_HEADER) {
                break;
            }
            crc.reset();
            crc.update(bytes, offset + FRAME_HEADER, (int) length);
            if ((int) crc.getValue() != buffer.getInt(offset + 4)) {
                break;
            }
            final byte[] body = Arrays.copyOfRange(bytes, offset + FRAME_HEADER, offset + FRAME_HEADER + (int) length);
            final long height = EffectsCodec.heightOf(body);
            if (!heights.isEmpty() && height != heights.lastKey() + 1) {
                throw new IllegalStateException(file + " jumps from height " + heights.lastKey() + " to " + height);
            }
            final HeightEffects effects = previousDigest == null
                ? EffectsCodec.decodeUnchecked(body, body.length)
                : EffectsCodec.decode(body, body.length, previousDigest);
            previousDigest = EffectsCodec.digestOf(body, body.length);
            heights.put(height, height(effects, previousDigest));
            offset += FRAME_HEADER + (int) length;
        }
        return heights;
    }

    private static Height height(final HeightEffects e, final byte[] digest) {
        final List<AssetSupply> assets = new ArrayList<>(e.assets.size());
        for (final HeightEffects.AssetImage a : e.assets) {
            assets.add(new AssetSupply(a.assetId(), a.supply(), a.escrowed()));
        }
        return new Height(e.height, e.consensusTimeMs, HexFormat.of().formatHex(digest), outcomes(e.results),
            outcomes(e.settled), List.copyOf(assets));
    }

    private static List<TxResult> outcomes(final List<HeightEffects.Outcome> outcomes) {
        final List<TxResult> out = new ArrayList<>(outcomes.size());
        for (final HeightEffects.Outcome o : outcomes) {
            out.add(new TxResult(HexFormat.of().formatHex(o.txId()), o.result().code()));
        }
        return List.copyOf(out);
    }
}
