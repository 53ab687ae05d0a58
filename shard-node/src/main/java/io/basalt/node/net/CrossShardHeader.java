package io.basalt.node.net;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 40-byte prefix of every cross-shard message on the wire: which validator of which shard sent
 * it, for which shard it is meant, its place in the sender's stream to this receiver, and the tag that
 * proves all of it.
 *
 * <pre>
 *   0        2        4           6        8          10         16          24                 40
 *   +--------+--------+-----------+--------+----------+----------+-----------+------------------+------------+
 *   | magic  | version|sourceShard| sender |destShard | reserved | sequence  | tag: HMAC-SHA256 |  SBE msg   |
 *   | 0xBA5C | uint16 |  uint16   | uint16 |  uint16  | 6 zeros  |  uint64   | /128 over [0,24) |  (receipts,|
 *   |        |        |           |        |          |          |           |  || SBE          |  votes...) |
 *   +--------+--------+-----------+--------+----------+----------+-----------+------------------+------------+
 *   little-endian, like SBE; the tag is under key(sender -> receiver) of {@link PeerAuth}, purpose cross-shard
 * </pre>
 *
 * The magic differs from {@link MessageHeader#MAGIC} (0xBA5A), so a consensus message that reaches
 * a cross-shard stream by mistake (or the reverse) is refused on its first two bytes. The
 * destination shard is carried although the stream already implies it: a misconfigured genesis
 * that points two shards' validators at the same endpoint is then seen and counted instead of
 * feeding one shard's certificates to another.
 *
 * <p>{@link #check} judges only the fields; the source is a claim until {@link CrossShardTransport} has
 * checked the tag under the named sender's key. Certified cross-shard messages are still checked
 * against the source committee's signatures above this layer: the tag says who sent a message, the
 * signatures who certified it, and a certificate relayed by anyone must verify for everyone.
 */
public final class CrossShardHeader {
    public static final int LENGTH = 40;
    public static final int MAGIC = 0xBA5C;
    public static final int VERSION = 2;
    /** Bytes the tag covers ahead of the payload: everything before the tag. */
    public static final int AUTHENTICATED_LENGTH = 24;
    public static final int TAG_OFFSET = AUTHENTICATED_LENGTH;

    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 2;
    private static final int SOURCE_SHARD_OFFSET = 4;
    private static final int SENDER_OFFSET = 6;
    private static final int DEST_SHARD_OFFSET = 8;
    private static final int SEQUENCE_OFFSET = 16;

    /** What a receiver makes of a header; every value but {@link #VALID} drops the message. */
    public enum Verdict {
        VALID,
        /** Shorter than a header, or another magic or version. */
        BAD_HEADER,
        /** Meant for another shard than the receiver's. */
        WRONG_DEST_SHARD,
        /** From the receiver's own shard (that is consensus traffic) or from no shard of the genesis. */
        BAD_SOURCE_SHARD,
        /** A sender index outside the source shard's committee. */
        BAD_SENDER
    }

    private CrossShardHeader() {
    }

    public static void write(final MutableDirectBuffer buffer, final int offset, final int sourceShard,
                             final int sender, final int destShard) {
        buffer.putShort(offset + MAGIC_OFFSET, (short) MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + VERSION_OFFSET, (short) VERSION, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + SOURCE_SHARD_OFFSET, (short) sourceShard, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + SENDER_OFFSET, (short) sender, ByteOrder.LITTLE_ENDIAN);
        destShard(buffer, offset, destShard);
    }

    public static void sequence(final MutableDirectBuffer buffer, final int offset, final long sequence) {
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, ByteOrder.LITTLE_ENDIAN);
    }

    public static long sequence(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /** Rewrites only the destination, so that one header buffer serves every destination shard. */
    public static void destShard(final MutableDirectBuffer buffer, final int offset, final int destShard) {
        buffer.putShort(offset + DEST_SHARD_OFFSET, (short) destShard, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Judges the header of a message of {@code length} bytes at {@code offset} received by a validator
     * of {@code ownShard}, where shard {@code s} has {@code committeeSizeByShard[s]} validators.
     */
    public static Verdict check(final DirectBuffer buffer, final int offset, final int length, final int ownShard,
                                final int[] committeeSizeByShard) {
        if (length < LENGTH
            || u16(buffer, offset + MAGIC_OFFSET) != MAGIC
            || u16(buffer, offset + VERSION_OFFSET) != VERSION) {
            return Verdict.BAD_HEADER;
        }
        if (u16(buffer, offset + DEST_SHARD_OFFSET) != ownShard) {
            return Verdict.WRONG_DEST_SHARD;
        }
        final int source = sourceShard(buffer, offset);
        if (source == ownShard || source >= committeeSizeByShard.length) {
            return Verdict.BAD_SOURCE_SHARD;
        }
        if (sender(buffer, offset) >= committeeSizeByShard[source]) {
            return Verdict.BAD_SENDER;
        }
        return Verdict.VALID;
    }

    /** The claimed source shard; meaningful once {@link #check} said the header is long enough. */
    public static int sourceShard(final DirectBuffer buffer, final int offset) {
        return u16(buffer, offset + SOURCE_SHARD_OFFSET);
    }

    /** The claimed sender index within the source shard. */
    public static int sender(final DirectBuffer buffer, final int offset) {
        return u16(buffer, offset + SENDER_OFFSET);
    }

    public static int destShard(final DirectBuffer buffer, final int offset) {
        return u16(buffer, offset + DEST_SHARD_OFFSET);
    }

    private static int u16(final DirectBuffer buffer, final int index) {
        return buffer.getShort(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }
}
