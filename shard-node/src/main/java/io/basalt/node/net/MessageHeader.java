package io.basalt.node.net;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 8-byte prefix of every consensus message on the wire: who sent it, for which shard.
 *
 * <pre>
 *   0          2          4          6          8
 *   +----------+----------+----------+----------+---------------------------+
 *   |  magic   |  shard   |  sender  | version  |  SBE message (Block, ...)  |
 *   |  0xBA5A  |  uint16  |  uint16  |  uint16  |                           |
 *   +----------+----------+----------+----------+---------------------------+
 *   little-endian, like SBE
 * </pre>
 *
 * The sender index is a claim, not a proof: today any process that can reach the port can claim
 * any index. The core's checks still hold (every block is signed by its author), but a liar can
 * make the core count rejects against an innocent peer. Authenticated channels are future work.
 */
public final class MessageHeader {
    public static final int LENGTH = 8;
    public static final int MAGIC = 0xBA5A;
    public static final int VERSION = 1;

    private static final int MAGIC_OFFSET = 0;
    private static final int SHARD_OFFSET = 2;
    private static final int SENDER_OFFSET = 4;
    private static final int VERSION_OFFSET = 6;

    private MessageHeader() {
    }

    public static void write(final MutableDirectBuffer buffer, final int offset, final int shardId, final int sender) {
        buffer.putShort(offset + MAGIC_OFFSET, (short) MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + SHARD_OFFSET, (short) shardId, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + SENDER_OFFSET, (short) sender, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + VERSION_OFFSET, (short) VERSION, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The sender of a message of {@code length} bytes at {@code offset}, or -1 when the header is
     * absent, of another version or protocol, or for another shard.
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
