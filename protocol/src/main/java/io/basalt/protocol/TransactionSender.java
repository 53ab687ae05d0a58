package io.basalt.protocol;

import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.basalt.protocol.Layout.KEY_LENGTH;
import static io.basalt.protocol.Layout.MESSAGE_HEADER_LENGTH;

/**
 * The sender of a user transaction: {@code Transfer.from}, {@code CreateAsset.issuer} or
 * {@code Swap.partyA}. It pays the fee, and the validators of its shard admit the transaction, so a
 * client routes by it and a gateway names its shard when a validator of another shard refuses the
 * transaction with WRONG_SHARD. (A cross-shard swap is admitted on either party's shard; partyA's
 * is the one a client should pick, since partyA pays the fee.)
 *
 * <p>The sender is a fixed field of each root block, so it is read at a constant offset without a
 * decoder. Both methods expect bytes that {@link MessageValidator#validateUserTransaction} has
 * accepted; with {@code -ea} they check that.
 */
public final class TransactionSender
{
    private static final int TRANSFER_FROM = MESSAGE_HEADER_LENGTH + TransferDecoder.fromEncodingOffset();
    private static final int CREATE_ASSET_ISSUER = MESSAGE_HEADER_LENGTH + CreateAssetDecoder.issuerEncodingOffset();
    private static final int SWAP_PARTY_A = MESSAGE_HEADER_LENGTH + SwapDecoder.partyAEncodingOffset();

    private TransactionSender()
    {
    }

    /** Copies the sender's 32-byte address of the transaction at {@code offset} into {@code out}. */
    public static void copy(final DirectBuffer buffer, final int offset, final int length, final byte[] out)
    {
        assert MessageValidator.validateUserTransaction(buffer, offset, length).isOk() : "sender of an invalid transaction";
        final int field = switch (Templates.templateId(buffer, offset))
        {
            case TransferDecoder.TEMPLATE_ID -> TRANSFER_FROM;
            case CreateAssetDecoder.TEMPLATE_ID -> CREATE_ASSET_ISSUER;
            case SwapDecoder.TEMPLATE_ID -> SWAP_PARTY_A;
            default -> throw new IllegalArgumentException("not a user transaction: template " + Templates.templateId(buffer, offset));
        };
        buffer.getBytes(offset + field, out, 0, KEY_LENGTH);
    }

    /** The sender's address of a whole transaction. */
    public static byte[] of(final byte[] transaction)
    {
        final byte[] sender = new byte[KEY_LENGTH];
        copy(new UnsafeBuffer(transaction), 0, transaction.length, sender);
        return sender;
    }
}
