package io.basalt.node.net;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 32-byte prefix of every consensus message on the wire: who sent it, for which shard, its place in the
 * sender's stream to this receiver, and the tag that proves both.
 *
 * <pre>
 *   0        2        4        6        8                  16                          32
 *   +--------+--------+--------+--------+------------------+---------------------------+--------------------+
 *   | magic  | shard  | sender | version|    sequence      |  tag: HMAC-SHA256/128      |  SBE message       |
 *   | 0xBA5A | uint16 | uint16 | uint16 |    uint64        |  over [0, 16) || SBE       |  (Block, ...)      |
 *   +--------+--------+--------+--------+------------------+---------------------------+--------------------+
 *   little-endian, like SBE; the tag is under key(sender -> receiver) of {@link PeerAuth}
 * </pre>
 *
 * The receiver's seat is not on the wire: it is bound by the key, so a message to one peer cannot be replayed to
 * another. Version 1 (the unauthenticated 8-byte header) is refused like any foreign header.
 */
public final class MessageHeader {
    public static final int LENGTH = 32;
    public static final int MAGIC = 0xBA5A;
    public static final int VERSION = 2;
    /** Bytes the tag covers ahead of the payload: everything before the tag. */
    public static final int AUTHENTICATED_LENGTH = 16;
    public static final int TAG_OFFSET = AUTHENTICATED_LENGTH;

    private static final int MAGIC_OFFSET = 0;
    private static final int SHARD_OFFSET = 2;
    private static final int SENDER_OFFSET = 4;
    private static final int VERSION_OFFSET = 6;
    private static final int SEQUENCE_OFFSET = 8;

    private MessageHeader() {
    }

    /** Writes the fields that do not change from message to message. */
    public static void write(final MutableDirectBuffer buffer, final int offset, final int shardId, final int sender) {
        buffer.putShort(offset + MAGIC_OFFSET, (short) MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + SHARD_OFFSET, (short) shardId, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + SENDER_OFFSET, (short) sender, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + VERSION_OFFSET, (short) VERSION, ByteOrder.LITTLE_ENDIAN);
    }

    public static void sequence(final MutableDirectBuffer buffer, final int offset, final long sequence) {
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, ByteOrder.LITTLE_ENDIAN);
    }

    public static long sequence(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The claimed sender of a message of {@code length} bytes at {@code offset}, or -1 when the header is absent,
     * of another version or protocol, or for another shard. A claim until the tag is checked.
     */
    public static int sender(final DirectBuffer buffer, final int offset, final int length, final int expectedShard) {
        if (length < LENGTH
            || (buffer.getShort(offset + MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != MAGIC
            || (buffer.getShort(offset + VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != VERSION
            || (buffer.getShort(offset + SHARD_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != expectedShard) {
            return -1;
        }
        return buffer.getShort(offset + SENDER_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }
}
