package io.basalt.protocol;

import io.basalt.protocol.sbe.CertifiedMessageEncoder;
import io.basalt.protocol.sbe.CreateAssetEncoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SwapEncoder;
import io.basalt.protocol.sbe.SwapVote;
import io.basalt.protocol.sbe.TransferEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes transactions with zeroed signature placeholders: encode, hash the signed prefix
 * ({@link SignedRegion#signedLength}), sign, then {@link SignedRegion#putSignature}.
 *
 * <p>One instance per thread: it keeps preallocated SBE flyweights so that encoding allocates nothing.
 * uint32 fields ({@code networkId}, asset ids) are passed as Java {@code int} and written as their
 * unsigned value. Keys and hashes are 32-byte arrays.
 */
public final class TransactionEncoding
{
    private static final byte[] ZERO_SIGNATURE = new byte[Layout.SIGNATURE_LENGTH];

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final TransferEncoder transfer = new TransferEncoder();
    private final CreateAssetEncoder createAsset = new CreateAssetEncoder();
    private final SwapEncoder swap = new SwapEncoder();
    private final CertifiedMessageEncoder certified = new CertifiedMessageEncoder();

    /** Encodes a Transfer at {@code offset}; returns its length ({@link Layout#TRANSFER_LENGTH}). */
    public int encodeTransfer(
        final MutableDirectBuffer out, final int offset,
        final int networkId, final long fee, final long nonce, final long expiryMs,
        final byte[] from, final byte[] to, final int assetId, final long amount)
    {
        transfer.wrapAndApplyHeader(out, offset, header)
            .networkId(Integer.toUnsignedLong(networkId))
            .fee(fee)
            .nonce(nonce)
            .expiryMs(expiryMs)
            .putFrom(key(from), 0, Layout.KEY_LENGTH)
            .putTo(key(to), 0, Layout.KEY_LENGTH)
            .assetId(Integer.toUnsignedLong(assetId))
            .amount(amount);
        transfer.signaturesCount(1).next().putSignature(ZERO_SIGNATURE, 0, Layout.SIGNATURE_LENGTH);
        return Layout.MESSAGE_HEADER_LENGTH + transfer.encodedLength();
    }

    /** Encodes a CreateAsset; {@code decimals} is a uint8 (0..255). Returns its length. */
    public int encodeCreateAsset(
        final MutableDirectBuffer out, final int offset,
        final int networkId, final long fee, final long nonce, final long expiryMs,
        final byte[] issuer, final int assetId, final long supply, final int decimals)
    {
        if (decimals < 0 || decimals > 0xFF)
        {
            throw new IllegalArgumentException("decimals is a uint8: " + decimals);
        }
        createAsset.wrapAndApplyHeader(out, offset, header)
            .networkId(Integer.toUnsignedLong(networkId))
            .fee(fee)
            .nonce(nonce)
            .expiryMs(expiryMs)
            .putIssuer(key(issuer), 0, Layout.KEY_LENGTH)
            .assetId(Integer.toUnsignedLong(assetId))
            .supply(supply)
            .decimals((short)decimals);
        createAsset.signaturesCount(1).next().putSignature(ZERO_SIGNATURE, 0, Layout.SIGNATURE_LENGTH);
        return Layout.MESSAGE_HEADER_LENGTH + createAsset.encodedLength();
    }

    /** Encodes a Swap with two placeholders: signature 0 is A's, signature 1 is B's. Returns its length. */
    public int encodeSwap(
        final MutableDirectBuffer out, final int offset,
        final int networkId, final long fee, final long nonce, final long expiryMs,
        final byte[] partyA, final int assetA, final long amountA,
        final byte[] partyB, final int assetB, final long amountB)
    {
        swap.wrapAndApplyHeader(out, offset, header)
            .networkId(Integer.toUnsignedLong(networkId))
            .fee(fee)
            .nonce(nonce)
            .expiryMs(expiryMs)
            .putPartyA(key(partyA), 0, Layout.KEY_LENGTH)
            .assetA(Integer.toUnsignedLong(assetA))
            .amountA(amountA)
            .putPartyB(key(partyB), 0, Layout.KEY_LENGTH)
            .assetB(Integer.toUnsignedLong(assetB))
            .amountB(amountB);
        final SwapEncoder.SignaturesEncoder signatures = swap.signaturesCount(2);
        signatures.next().putSignature(ZERO_SIGNATURE, 0, Layout.SIGNATURE_LENGTH);
        signatures.next().putSignature(ZERO_SIGNATURE, 0, Layout.SIGNATURE_LENGTH);
        return Layout.MESSAGE_HEADER_LENGTH + swap.encodedLength();
    }

    /**
     * Encodes a CertifiedMessage with {@code signerCount} placeholder signatures for the given signers
     * (strictly increasing validator indices). Receipts are the first {@code receiptCount} elements of
     * the parallel receipt arrays, votes the first {@code voteCount} of the vote arrays (each vote
     * carries a whole encoded Swap); arrays may be {@code null} when their count is 0. The payload
     * root is written as given: {@code io.basalt.xshard.BatchCodec} computes it. Returns the length.
     */
    public int encodeCertified(
        final MutableDirectBuffer out, final int offset,
        final int sourceShard, final int destShard, final long seq, final long sourceTimeMs, final byte[] payloadRoot,
        final int receiptCount, final byte[][] receiptTxIds, final byte[][] receiptTos,
        final int[] receiptAssetIds, final long[] receiptAmounts,
        final int voteCount, final byte[][] swapIds, final SwapVote[] votes, final byte[][] swaps,
        final int signerCount, final int[] signers)
    {
        if (receiptCount < 0 || receiptCount > ProtocolLimits.MAX_RECEIPTS ||
            voteCount < 0 || voteCount > ProtocolLimits.MAX_VOTES ||
            signerCount < 1 || signerCount > ProtocolLimits.MAX_SIGNATURES)
        {
            throw new IllegalArgumentException("receipts " + receiptCount + ", votes " + voteCount +
                " or signers " + signerCount + " out of range");
        }
        certified.wrapAndApplyHeader(out, offset, header)
            .sourceShard(sourceShard)
            .destShard(destShard)
            .seq(seq)
            .sourceTimeMs(sourceTimeMs)
            .putPayloadRoot(hash(payloadRoot), 0, Layout.HASH_LENGTH);
        final CertifiedMessageEncoder.ReceiptsEncoder receipts = certified.receiptsCount(receiptCount);
        for (int i = 0; i < receiptCount; i++)
        {
            receipts.next()
                .putTxId(hash(receiptTxIds[i]), 0, Layout.HASH_LENGTH)
                .putTo(key(receiptTos[i]), 0, Layout.KEY_LENGTH)
                .assetId(Integer.toUnsignedLong(receiptAssetIds[i]))
                .amount(receiptAmounts[i]);
        }
        final CertifiedMessageEncoder.VotesEncoder voteGroup = certified.votesCount(voteCount);
        for (int i = 0; i < voteCount; i++)
        {
            voteGroup.next()
                .putSwapId(hash(swapIds[i]), 0, Layout.HASH_LENGTH)
                .vote(votes[i])
                .putSwap(swaps[i], 0, swaps[i].length);
        }
        final CertifiedMessageEncoder.SignaturesEncoder signatures = certified.signaturesCount(signerCount);
        for (int i = 0; i < signerCount; i++)
        {
            assert i == 0 || signers[i] > signers[i - 1] : "signers must be strictly increasing";
            signatures.next().signer(signers[i]).putSignature(ZERO_SIGNATURE, 0, Layout.SIGNATURE_LENGTH);
        }
        return Layout.MESSAGE_HEADER_LENGTH + certified.encodedLength();
    }

    private static byte[] key(final byte[] key)
    {
        return exactly(key, Layout.KEY_LENGTH, "key");
    }

    private static byte[] hash(final byte[] hash)
    {
        return exactly(hash, Layout.HASH_LENGTH, "hash");
    }

    static byte[] exactly(final byte[] bytes, final int length, final String what)
    {
        if (bytes.length != length)
        {
            throw new IllegalArgumentException(what + " must be " + length + " bytes: " + bytes.length);
        }
        return bytes;
    }
}
