package io.basalt.exec;

import io.basalt.protocol.ExecResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bytes of a height's effects: the body of one commit-log record, and the state digest
 * chained over it.
 *
 * <pre>
 *  body, little-endian
 *  +------------+-------------------+
 *  | height u64 | consensusTime u64 |
 *  +------------+-------------------+---------------------------------------------------+
 *  | txCount u32      | n x ( txId 32 | result u8 )                              33 B |
 *  | settledCount u32 | n x ( txId 32 | result u8 )                              33 B |
 *  | balanceCount u32 | n x ( account 32 | asset u32 | balance u64 )             44 B |
 *  | assetCount u32   | n x ( asset u32 | issuer 32 | supply u64 | escrowed u64 ) 52 B |
 *  | replayCount u32  | n x ( txId 32 | expiryMs u64 )                           40 B |
 *  | swapCount u32    | n x ( swapId 32 | present u8 | SwapRecord 131 )         164 B |
 *  | streamCount u32  | n x ( inbound u8 | shard u16 | next u64 )                11 B |
 *  | batchCount u32   | n x ( dest u16 | seq u64 | length u32 | prefix bytes )       |
 *  +------------------+----------------------------------------------------------------+
 *  | stateDigest 32 = SHA-256(previous digest || every body byte before it)            |
 *  +-----------------------------------------------------------------------------------+
 * </pre>
 */
public final class EffectsCodec {
    public static final int DIGEST_BYTES = 32;
    private static final int OUTCOME = 33;
    private static final int BALANCE = 44;
    private static final int ASSET = 52;
    private static final int REPLAY = 40;
    private static final int SWAP = 32 + 1 + SwapRecord.BYTES;
    private static final int STREAM = 11;

    private EffectsCodec() {
    }

    /** The record of {@code effects}, its last 32 bytes the digest chained onto {@code previousDigest}. */
    public static byte[] encode(final HeightEffects e, final byte[] previousDigest) {
        int size = 16 + 4 * 8 + (e.results.size() + e.settled.size()) * OUTCOME + e.balances.size() * BALANCE
            + e.assets.size() * ASSET + e.replay.size() * REPLAY + e.swaps.size() * SWAP + e.streams.size() * STREAM
            + DIGEST_BYTES;
        for (final HeightEffects.OutboundBatch batch : e.batches) {
            size += 14 + batch.prefix().length;
        }
        final ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(e.height).putLong(e.consensusTimeMs);
        outcomes(b, e.results.size(), e.results);
        outcomes(b, e.settled.size(), e.settled);
        b.putInt(e.balances.size());
        for (final HeightEffects.BalanceImage x : e.balances) {
            b.put(x.account()).putInt(x.assetId()).putLong(x.balance());
        }
        b.putInt(e.assets.size());
        for (final HeightEffects.AssetImage x : e.assets) {
            b.putInt(x.assetId()).put(x.issuer()).putLong(x.supply()).putLong(x.escrowed());
        }
        b.putInt(e.replay.size());
        for (final HeightEffects.ReplayImage x : e.replay) {
            b.put(x.txId()).putLong(x.expiryMs());
        }
        b.putInt(e.swaps.size());
        for (final HeightEffects.SwapImage x : e.swaps) {
            b.put(x.swapId()).put((byte) (x.record() == null ? 0 : 1));
            b.put(x.record() == null ? new byte[SwapRecord.BYTES] : x.record().encode());
        }
        b.putInt(e.streams.size());
        for (final HeightEffects.StreamImage x : e.streams) {
            b.put((byte) (x.inbound() ? 1 : 0)).putShort((short) x.shard()).putLong(x.next());
        }
        b.putInt(e.batches.size());
        for (final HeightEffects.OutboundBatch x : e.batches) {
            b.putShort((short) x.destShard()).putLong(x.seq()).putInt(x.prefix().length).put(x.prefix());
        }
        final byte[] out = b.array();
        final byte[] digest = chain(previousDigest, out, size - DIGEST_BYTES);
        System.arraycopy(digest, 0, out, size - DIGEST_BYTES, DIGEST_BYTES);
        return out;
    }

    /**
     * Decodes a record body of {@code length} bytes and checks that its digest chains onto
     * {@code previousDigest}; an {@link IllegalStateException} says where it does not.
     */
    public static HeightEffects decode(final byte[] body, final int length, final byte[] previousDigest) {
        final byte[] digest = chain(previousDigest, body, length - DIGEST_BYTES);
        for (int i = 0; i < DIGEST_BYTES; i++) {
            if (digest[i] != body[length - DIGEST_BYTES + i]) {
                throw new IllegalStateException("state digest chain broken at the record of height "
                    + ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
            }
        }
        return decodeUnchecked(body, length);
    }

    /**
     * Decodes a record body without checking its digest chain: for records below the state's
     * height, read only for the results they announce (their digests were checked when applied).
     */
    public static HeightEffects decodeUnchecked(final byte[] body, final int length) {
        final ByteBuffer b = ByteBuffer.wrap(body, 0, length - DIGEST_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        final HeightEffects e = new HeightEffects(b.getLong(), b.getLong());
        readOutcomes(b, e.results);
        readOutcomes(b, e.settled);
        for (int i = b.getInt(); i > 0; i--) {
            e.balances.add(new HeightEffects.BalanceImage(bytes(b, 32), b.getInt(), b.getLong()));
        }
        for (int i = b.getInt(); i > 0; i--) {
            e.assets.add(new HeightEffects.AssetImage(b.getInt(), bytes(b, 32), b.getLong(), b.getLong()));
        }
        for (int i = b.getInt(); i > 0; i--) {
            e.replay.add(new HeightEffects.ReplayImage(bytes(b, 32), b.getLong()));
        }
        for (int i = b.getInt(); i > 0; i--) {
            final byte[] id = bytes(b, 32);
            final boolean present = b.get() != 0;
            final byte[] record = bytes(b, SwapRecord.BYTES);
            e.swaps.add(new HeightEffects.SwapImage(id, present ? SwapRecord.decode(record, 0) : null));
        }
        for (int i = b.getInt(); i > 0; i--) {
            e.streams.add(new HeightEffects.StreamImage(b.get() != 0, b.getShort() & 0xFFFF, b.getLong()));
        }
        for (int i = b.getInt(); i > 0; i--) {
            final int dest = b.getShort() & 0xFFFF;
            final long seq = b.getLong();
            e.batches.add(new HeightEffects.OutboundBatch(dest, seq, bytes(b, b.getInt())));
        }
        if (b.hasRemaining()) {
            throw new IllegalStateException("record of height " + e.height + " has " + b.remaining() + " trailing bytes");
        }
        return e;
    }

    /** The digest a record carries: its last 32 bytes. */
    public static byte[] digestOf(final byte[] body, final int length) {
        final byte[] digest = new byte[DIGEST_BYTES];
        System.arraycopy(body, length - DIGEST_BYTES, digest, 0, DIGEST_BYTES);
        return digest;
    }

    /** The height a record is of, without decoding the rest. */
    public static long heightOf(final byte[] body) {
        return ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static void outcomes(final ByteBuffer b, final int count, final java.util.List<HeightEffects.Outcome> list) {
        b.putInt(count);
        for (final HeightEffects.Outcome o : list) {
            b.put(o.txId()).put((byte) o.result().code());
        }
    }

    private static void readOutcomes(final ByteBuffer b, final java.util.List<HeightEffects.Outcome> list) {
        for (int i = b.getInt(); i > 0; i--) {
            list.add(new HeightEffects.Outcome(bytes(b, 32), ExecResult.fromCode(b.get())));
        }
    }

    private static byte[] bytes(final ByteBuffer b, final int length) {
        if (length < 0 || length > b.remaining()) {
            throw new IllegalStateException("record truncated: " + length + " bytes wanted, " + b.remaining() + " left");
        }
        final byte[] out = new byte[length];
        b.get(out);
        return out;
    }

    static byte[] chain(final byte[] previous, final byte[] body, final int length) {
        final MessageDigest md = sha256();
        md.update(previous, 0, DIGEST_BYTES);
        md.update(body, 0, length);
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
