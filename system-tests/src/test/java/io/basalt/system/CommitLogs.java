package io.basalt.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A read-only reader of a validator's commit log, the oracle of the process tests: it holds every
 * height the validator executed, with the transactions and their results and the state digest after
 * it, so agreement can be checked at every height rather than at one sampled moment.
 *
 * <p>Formats: {@code CommitLog} frames ({@code [length u32][crc32c u32][body]}, little-endian) around
 * {@code ChronicleLedger} bodies that start {@code height u64, consensusTime u64, txCount u32,
 * txCount × (txId 32, result u8)} and end with the 32-byte state digest. The reader never writes:
 * it may read the log of a running validator and stops at the first frame that is incomplete or
 * fails its checksum, as recovery would. If either format changes, this class must follow.
 */
final class CommitLogs {
    private static final int FRAME_HEADER = 8;
    private static final int TX_ENTRY = 33;
    private static final int DIGEST = 32;

    /** One executed transaction: id (hex) and result code ({@code ExecResult}: 0 success, 4 duplicate). */
    record TxResult(String txId, int result) {
    }

    /** One executed height: the state digest after it and its transactions in execution order. */
    record Height(long height, long consensusTimeMs, String stateDigest, List<TxResult> transactions) {
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
        int offset = 0;
        while (bytes.length - offset >= FRAME_HEADER) {
            final long length = Integer.toUnsignedLong(buffer.getInt(offset));
            if (length < 20 + DIGEST || length > bytes.length - offset - FRAME_HEADER) {
                break;
            }
            crc.reset();
            crc.update(bytes, offset + FRAME_HEADER, (int) length);
            if ((int) crc.getValue() != buffer.getInt(offset + 4)) {
                break;
            }
            final Height height = parse(buffer, bytes, offset + FRAME_HEADER, (int) length);
            if (!heights.isEmpty() && height.height() != heights.lastKey() + 1) {
                throw new IllegalStateException(file + " jumps from height " + heights.lastKey() + " to " + height.height());
            }
            heights.put(height.height(), height);
            offset += FRAME_HEADER + (int) length;
        }
        return heights;
    }

    private static Height parse(final ByteBuffer buffer, final byte[] bytes, final int body, final int length) {
        final long height = buffer.getLong(body);
        final long consensusTimeMs = buffer.getLong(body + 8);
        final int txCount = buffer.getInt(body + 16);
        final List<TxResult> transactions = new ArrayList<>(txCount);
        final HexFormat hex = HexFormat.of();
        for (int i = 0; i < txCount; i++) {
            final int at = body + 20 + i * TX_ENTRY;
            transactions.add(new TxResult(hex.formatHex(bytes, at, at + 32), bytes[at + 32] & 0xFF));
        }
        final String digest = hex.formatHex(bytes, body + length - DIGEST, body + length);
        return new Height(height, consensusTimeMs, digest, List.copyOf(transactions));
    }
}
