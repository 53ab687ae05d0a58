package io.basalt.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An append-only, checksummed log of opaque records, each starting with a height: the write-ahead
 * log of execution. A record is written and {@link FileChannel#force forced} before the state it
 * describes changes, so a crash at any moment leaves either the whole record or a torn tail that
 * {@link #open} cuts off.
 *
 * <pre>
 *   file:   record record record ... [torn tail, dropped on open]
 *
 *   0        4        8                                      8 + length
 *   +--------+--------+--------------------------------------+
 *   | length | crc32c |  body (length bytes)                 |
 *   |  u32   |  u32   |  starts with height u64 (LE)         |
 *   +--------+--------+--------------------------------------+
 *   crc32c covers the body only; a record whose length runs past the end of the file or whose
 *   checksum fails ends the log (everything from it on is truncated).
 * </pre>
 *
 * Heights must increase by one from record to record. One file for now; rotating it and deleting
 * what a checkpoint of the state covers is left for later (see {@code ChronicleLedger}).
 * Not thread-safe: the execution agent owns it.
 */
public final class CommitLog implements AutoCloseable {
    public static final String FILE_NAME = "commit.log";
    static final int HEADER_BYTES = 8;
    /** A record larger than this is treated as garbage (a block holds at most 4 MiB of transactions). */
    public static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long endOffset;
    private long firstHeight;
    private long lastHeight;
    private long droppedTailBytes;

    /** Receives one record body; the buffer is reused after the call returns. */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(UnsafeBuffer body, int length);
    }

    private CommitLog(final Path file, final FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (or creates) the log in {@code dir}, scanning it and cutting off a torn or corrupt tail. */
    public static CommitLog open(final Path dir) {
        try {
            Files.createDirectories(dir);
            final Path file = dir.resolve(FILE_NAME);
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            final CommitLog log = new CommitLog(file, channel);
            log.recover();
            return log;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open commit log in " + dir, e);
        }
    }

    private void recover() throws IOException {
        final long[] heights = {0, 0};
        final long validEnd = scan(0, (body, length) -> {
            final long height = body.getLong(0, ByteOrder.LITTLE_ENDIAN);
            if (heights[1] != 0 && height != heights[1] + 1) {
                throw new IllegalStateException("commit log " + file + " jumps from height " + heights[1] + " to " + height);
            }
            if (heights[0] == 0) {
                heights[0] = height;
            }
            heights[1] = height;
        });
        firstHeight = heights[0];
        lastHeight = heights[1];
        final long size = channel.size();
        if (validEnd < size) {
            droppedTailBytes = size - validEnd;
            channel.truncate(validEnd);
            channel.force(true);
        }
        endOffset = validEnd;
    }

    /** Visits every complete record from {@code from}; returns the offset after the last good one. */
    private long scan(final long from, final RecordHandler handler) throws IOException {
        final long size = channel.size();
        long offset = from;
        ByteBuffer body = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer view = new UnsafeBuffer(body.array());
        final ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C check = new CRC32C();
        while (size - offset >= HEADER_BYTES) {
            head.clear();
            readFully(head, offset);
            final long length = Integer.toUnsignedLong(head.getInt(0));
            final int expectedCrc = head.getInt(4);
            if (length < Long.BYTES || length > MAX_RECORD_BYTES || length > size - offset - HEADER_BYTES) {
                break;
            }
            if (body.capacity() < length) {
                body = ByteBuffer.allocate((int) Math.max(length, body.capacity() * 2L)).order(ByteOrder.LITTLE_ENDIAN);
                view.wrap(body.array());
            }
            body.clear().limit((int) length);
            readFully(body, offset + HEADER_BYTES);
            check.reset();
            check.update(body.array(), 0, (int) length);
            if ((int) check.getValue() != expectedCrc) {
                break;
            }
            handler.onRecord(view, (int) length);
            offset += HEADER_BYTES + length;
        }
        return offset;
    }

    private void readFully(final ByteBuffer dst, final long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            final int n = channel.read(dst, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + file);
            }
            at += n;
        }
    }

    /**
     * Appends one record and forces it to disk before returning. The body must start with its height
     * (u64, little-endian), one above {@link #lastHeight()} (or any height for an empty log).
     */
    public void append(final org.agrona.DirectBuffer body, final int length) {
        final long height = body.getLong(0, ByteOrder.LITTLE_ENDIAN);
        if (lastHeight != 0 && height != lastHeight + 1) {
            throw new IllegalStateException("commit log expects height " + (lastHeight + 1) + ", got " + height);
        }
        if (length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record of " + length + " bytes exceeds " + MAX_RECORD_BYTES);
        }
        if (writeBuffer.capacity() < HEADER_BYTES + length) {
            writeBuffer = ByteBuffer.allocateDirect(Math.max(HEADER_BYTES + length, writeBuffer.capacity() * 2))
                .order(ByteOrder.LITTLE_ENDIAN);
        }
        final byte[] array = body.byteArray();
        if (array == null) {
            throw new IllegalArgumentException("the record body must be on-heap");
        }
        crc.reset();
        crc.update(array, body.wrapAdjustment(), length);
        writeBuffer.clear();
        writeBuffer.putInt(length).putInt((int) crc.getValue()).put(array, body.wrapAdjustment(), length);
        writeBuffer.flip();
        try {
            long at = endOffset;
            while (writeBuffer.hasRemaining()) {
                at += channel.write(writeBuffer, at);
            }
            channel.force(false);
            endOffset = at;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot append to commit log " + file, e);
        }
        if (firstHeight == 0) {
            firstHeight = height;
        }
        lastHeight = height;
    }

    /** Visits every record whose height is above {@code aboveHeight}, in order. */
    public void forEachAbove(final long aboveHeight, final RecordHandler handler) {
        try {
            scan(0, (body, length) -> {
                if (body.getLong(0, ByteOrder.LITTLE_ENDIAN) > aboveHeight) {
                    handler.onRecord(body, length);
                }
            });
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read commit log " + file, e);
        }
    }

    /** Height of the last complete record; 0 when empty. */
    public long lastHeight() {
        return lastHeight;
    }

    /** Height of the first record; 0 when empty. */
    public long firstHeight() {
        return firstHeight;
    }

    /** Bytes cut off as a torn or corrupt tail when the log was opened. */
    public long droppedTailBytes() {
        return droppedTailBytes;
    }

    public long sizeBytes() {
        return endOffset;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
