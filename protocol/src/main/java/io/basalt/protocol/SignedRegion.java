package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.basalt.protocol.Layout.GROUP_HEADER_LENGTH;
import static io.basalt.protocol.Layout.MESSAGE_HEADER_LENGTH;

/**
 * Where the signed bytes and the signatures of a signed message (templates 1, 2, 3, 4 and 10) are.
 *
 * <pre>
 *   offset                                              offset + signedLength            offset + length
 *   |                                                   |                                |
 *   +----------------+-------------+-- ... groups ... --+-------------------+------------+
 *   | message header | root block  | (receipts + votes,| signatures header | entries    |
 *   |   8 bytes      |             |  or parents + txs)| blockLength|count |  ...       |
 *   +----------------+-------------+-------------------+-------------------+------------+
 *   &lt;------------------- signed bytes ------------------&gt;
 * </pre>
 *
 * Every signer signs the same prefix, so a transaction id or block digest (SHA-256 of the prefix) does
 * not depend on the signatures, and signatures can be filled in after encoding.
 *
 * <p>All methods expect a message that {@link MessageValidator} has accepted; on other bytes their
 * results are meaningless. With {@code -ea} they re-validate the message to catch that mistake (a
 * full walk, so not free for large blocks); without it they walk only the group headers they need
 * and allocate nothing.
 */
public final class SignedRegion
{
    private static final int CERTIFIED_SIGNATURE_OFFSET =
        CertifiedMessageDecoder.SignaturesDecoder.signatureEncodingOffset();
    private static final int CERTIFIED_SIGNER_OFFSET =
        CertifiedMessageDecoder.SignaturesDecoder.signerEncodingOffset();

    private SignedRegion()
    {
    }

    /**
     * Length of the signed prefix, counted from {@code offset}; -1 if the template carries no signatures.
     */
    public static int signedLength(final DirectBuffer buffer, final int offset, final int length)
    {
        assert MessageValidator.validate(buffer, offset, length).isOk() : "signedLength of an invalid message";
        final int root = offset + MESSAGE_HEADER_LENGTH;
        return switch (Templates.templateId(buffer, offset))
        {
            case TransferDecoder.TEMPLATE_ID -> MESSAGE_HEADER_LENGTH + TransferDecoder.BLOCK_LENGTH;
            case CreateAssetDecoder.TEMPLATE_ID -> MESSAGE_HEADER_LENGTH + CreateAssetDecoder.BLOCK_LENGTH;
            case SwapDecoder.TEMPLATE_ID -> MESSAGE_HEADER_LENGTH + SwapDecoder.BLOCK_LENGTH;
            case CertifiedMessageDecoder.TEMPLATE_ID -> certifiedSignaturesGroup(buffer, root) - offset;
            case BlockDecoder.TEMPLATE_ID -> blockSignaturesGroup(buffer, root) - offset;
            default -> -1;
        };
    }

    /** Number of entries in the trailing signatures group. */
    public static int signatureCount(final DirectBuffer buffer, final int offset, final int length)
    {
        return u16(buffer, signaturesGroup(buffer, offset, length) + 2);
    }

    /** Buffer index of the 64 bytes of signature {@code index}. */
    public static int signatureOffset(final DirectBuffer buffer, final int offset, final int length, final int index)
    {
        final int group = signaturesGroup(buffer, offset, length);
        assert index >= 0 && index < u16(buffer, group + 2) : "no signature " + index;
        final int entryLength = u16(buffer, group);
        final boolean certified = Templates.templateId(buffer, offset) == Templates.CERTIFIED_MESSAGE;
        final int within = certified ? CERTIFIED_SIGNATURE_OFFSET : 0;
        return group + GROUP_HEADER_LENGTH + index * entryLength + within;
    }

    /**
     * Validator index (in the source committee) of signature {@code index} of a CertifiedMessage.
     */
    public static int certifiedSigner(final DirectBuffer buffer, final int offset, final int length, final int index)
    {
        assert Templates.templateId(buffer, offset) == Templates.CERTIFIED_MESSAGE;
        final int group = signaturesGroup(buffer, offset, length);
        assert index >= 0 && index < u16(buffer, group + 2) : "no signature " + index;
        return u16(buffer, group + GROUP_HEADER_LENGTH + index * Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH + CERTIFIED_SIGNER_OFFSET);
    }

    /** Writes signature {@code index} (64 bytes of {@code signature} from {@code signatureOffset}). */
    public static void putSignature(
        final MutableDirectBuffer buffer, final int offset, final int length, final int index,
        final byte[] signature, final int signatureOffset)
    {
        buffer.putBytes(signatureOffset(buffer, offset, length, index), signature, signatureOffset, Layout.SIGNATURE_LENGTH);
    }

    /** Writes signature {@code index} from a 64-byte array. */
    public static void putSignature(
        final MutableDirectBuffer buffer, final int offset, final int length, final int index, final byte[] signature)
    {
        if (signature.length != Layout.SIGNATURE_LENGTH)
        {
            throw new IllegalArgumentException("signature must be " + Layout.SIGNATURE_LENGTH + " bytes: " + signature.length);
        }
        putSignature(buffer, offset, length, index, signature, 0);
    }

    private static int signaturesGroup(final DirectBuffer buffer, final int offset, final int length)
    {
        final int signed = signedLength(buffer, offset, length);
        if (signed < 0)
        {
            throw new IllegalArgumentException("template " + Templates.templateId(buffer, offset) + " is not signed");
        }
        return offset + signed;
    }

    /** Walks Block.parents and Block.transactions; returns the index of the signatures group header. */
    private static int blockSignaturesGroup(final DirectBuffer buffer, final int root)
    {
        final int transactions = afterFixedGroup(buffer, root + BlockDecoder.BLOCK_LENGTH);
        final int count = u16(buffer, transactions + 2);
        int cursor = transactions + GROUP_HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            cursor += Layout.TX_LENGTH_PREFIX + u16(buffer, cursor);
        }
        return cursor;
    }

    /** Walks CertifiedMessage.receipts and .votes; returns the index of the signatures group header. */
    private static int certifiedSignaturesGroup(final DirectBuffer buffer, final int root)
    {
        final int votes = afterFixedGroup(buffer, root + CertifiedMessageDecoder.BLOCK_LENGTH);
        final int count = u16(buffer, votes + 2);
        int cursor = votes + GROUP_HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            cursor += Layout.VOTE_ENTRY_LENGTH;
            cursor += Layout.TX_LENGTH_PREFIX + u16(buffer, cursor);
        }
        return cursor;
    }

    private static int afterFixedGroup(final DirectBuffer buffer, final int group)
    {
        return group + GROUP_HEADER_LENGTH + u16(buffer, group) * u16(buffer, group + 2);
    }

    private static int u16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }
}
