package io.basalt.xshard;

import io.basalt.crypto.Sha256;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.SwapVote;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Bytes of the certified cross-shard stream (docs/protocol.md §8, docs/cross-shard.md).
 *
 * <p>A source shard's execution cuts, per destination, batches numbered 1, 2, 3, ... Each batch is
 * stored and signed as its <em>prefix</em>: the CertifiedMessage up to, not including, its
 * signatures group. A destination validator that holds 2f+1 signatures appends the group and
 * proposes the result as a system transaction.
 *
 * <pre>
 *   CertifiedMessage = header 8 | root block 52 | receipts group | votes group | signatures group
 *                      \________ statement ________/\________ payload ________/
 *   payloadRoot      = SHA-256(payload bytes as encoded)
 *   statement digest = SHA-256("basalt/xshard/v1" | networkId u32 LE | header | root block)
 * </pre>
 *
 * Validators sign the 32-byte statement digest, which names (source, dest, seq, sourceTime) and
 * commits to the payload through the root; the network id keeps a certificate of one network from
 * being replayed on another. The encoding is canonical (SBE with fixed block lengths), so every
 * honest validator of the source shard derives the same prefix, root and digest from the same
 * committed history.
 */
public final class BatchCodec {
    public static final int STATEMENT_LENGTH = Layout.MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.BLOCK_LENGTH;
    private static final byte[] DOMAIN = "basalt/xshard/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int ROOT_OFFSET = Layout.MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.payloadRootEncodingOffset();
    private static final int SOURCE_OFFSET = Layout.MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.sourceShardEncodingOffset();
    private static final int DEST_OFFSET = Layout.MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.destShardEncodingOffset();
    private static final int SEQ_OFFSET = Layout.MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.seqEncodingOffset();
    private static final int TIME_OFFSET = Layout.MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.sourceTimeMsEncodingOffset();

    /** One credit that cannot fail: {@code amount} of {@code assetId} to {@code to}, caused by {@code txId}. */
    public record Receipt(byte[] txId, byte[] to, int assetId, long amount) {
    }

    /** A shard's vote on its leg of a cross-shard swap, with the whole signed Swap. */
    public record Vote(byte[] swapId, SwapVote vote, byte[] swap) {
    }

    private final TransactionEncoding encoding = new TransactionEncoding();
    private final Sha256 sha = new Sha256();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[io.basalt.protocol.ProtocolLimits.MAX_CERTIFIED_BYTES]);
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final byte[] statement = new byte[DOMAIN.length + 4 + STATEMENT_LENGTH];

    /** The prefix of a batch, with its payload root filled in. At most MAX_RECEIPTS receipts and MAX_VOTES votes. */
    public byte[] encodePrefix(final int sourceShard, final int destShard, final long seq, final long sourceTimeMs,
                               final List<Receipt> receipts, final List<Vote> votes) {
        final int r = receipts.size();
        final int v = votes.size();
        final byte[][] txIds = new byte[r][];
        final byte[][] tos = new byte[r][];
        final int[] assets = new int[r];
        final long[] amounts = new long[r];
        for (int i = 0; i < r; i++) {
            final Receipt receipt = receipts.get(i);
            txIds[i] = receipt.txId();
            tos[i] = receipt.to();
            assets[i] = receipt.assetId();
            amounts[i] = receipt.amount();
        }
        final byte[][] swapIds = new byte[v][];
        final SwapVote[] kinds = new SwapVote[v];
        final byte[][] swaps = new byte[v][];
        for (int i = 0; i < v; i++) {
            swapIds[i] = votes.get(i).swapId();
            kinds[i] = votes.get(i).vote();
            swaps[i] = votes.get(i).swap();
        }
        final int length = encoding.encodeCertified(scratch, 0, sourceShard, destShard, seq, sourceTimeMs, new byte[32],
            r, txIds, tos, assets, amounts, v, swapIds, kinds, swaps, 1, new int[] {0});
        final int prefixLength = SignedRegion.signedLength(scratch, 0, length);
        final byte[] prefix = new byte[prefixLength];
        scratch.getBytes(0, prefix);
        final byte[] root = new byte[32];
        sha.digest(prefix, STATEMENT_LENGTH, prefixLength - STATEMENT_LENGTH, root, 0);
        System.arraycopy(root, 0, prefix, ROOT_OFFSET, 32);
        return prefix;
    }

    /** Whether the payload root of the certified message (or prefix) at {@code [offset, offset + prefixLength)} is right. */
    public boolean rootMatches(final DirectBuffer buffer, final int offset, final int prefixLength) {
        final byte[] root = new byte[32];
        sha.digest(buffer, offset + STATEMENT_LENGTH, prefixLength - STATEMENT_LENGTH, root, 0);
        for (int i = 0; i < 32; i++) {
            if (buffer.getByte(offset + ROOT_OFFSET + i) != root[i]) {
                return false;
            }
        }
        return true;
    }

    /** The 32-byte digest validators sign for the batch whose bytes start at {@code offset}. */
    public byte[] statementDigest(final int networkId, final DirectBuffer buffer, final int offset) {
        System.arraycopy(DOMAIN, 0, statement, 0, DOMAIN.length);
        int p = DOMAIN.length;
        statement[p++] = (byte) networkId;
        statement[p++] = (byte) (networkId >>> 8);
        statement[p++] = (byte) (networkId >>> 16);
        statement[p++] = (byte) (networkId >>> 24);
        buffer.getBytes(offset, statement, p, STATEMENT_LENGTH);
        final byte[] digest = new byte[32];
        sha.digest(statement, 0, statement.length, digest, 0);
        return digest;
    }

    public byte[] statementDigest(final int networkId, final byte[] prefix) {
        view.wrap(prefix);
        return statementDigest(networkId, view, 0);
    }

    /** The certified message: the prefix followed by the signatures of {@code signers} (strictly increasing). */
    public static byte[] certify(final byte[] prefix, final int[] signers, final byte[][] signatures, final int count) {
        final int entry = Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH;
        final byte[] out = new byte[prefix.length + Layout.GROUP_HEADER_LENGTH + count * entry];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        final UnsafeBuffer b = new UnsafeBuffer(out);
        int p = prefix.length;
        b.putShort(p, (short) entry, ByteOrder.LITTLE_ENDIAN);
        b.putShort(p + 2, (short) count, ByteOrder.LITTLE_ENDIAN);
        p += Layout.GROUP_HEADER_LENGTH;
        for (int i = 0; i < count; i++, p += entry) {
            if (i > 0 && signers[i] <= signers[i - 1]) {
                throw new IllegalArgumentException("signers must be strictly increasing");
            }
            b.putShort(p, (short) signers[i], ByteOrder.LITTLE_ENDIAN);
            b.putBytes(p + 2, signatures[i], 0, Layout.SIGNATURE_LENGTH);
        }
        return out;
    }

    /** The ids of the receipts a batch prefix carries, in order. */
    public static List<byte[]> receiptTxIds(final byte[] prefix) {
        final UnsafeBuffer buffer = new UnsafeBuffer(prefix);
        final int group = STATEMENT_LENGTH;
        final int entryLength = buffer.getShort(group, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int count = buffer.getShort(group + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final List<byte[]> ids = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final byte[] id = new byte[32];
            buffer.getBytes(group + Layout.GROUP_HEADER_LENGTH + i * entryLength
                + CertifiedMessageDecoder.ReceiptsDecoder.txIdEncodingOffset(), id);
            ids.add(id);
        }
        return ids;
    }

    public static int sourceShard(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + SOURCE_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int destShard(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + DEST_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public static long seq(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    public static long sourceTimeMs(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    public static void payloadRoot(final DirectBuffer buffer, final int offset, final byte[] out) {
        buffer.getBytes(offset + ROOT_OFFSET, out, 0, 32);
    }
}
