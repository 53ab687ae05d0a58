package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockRangeRequestDecoder;
import io.basalt.protocol.sbe.BlockRequestDecoder;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.GroupSizeEncodingDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.OpaquePayloadDecoder;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import io.basalt.protocol.sbe.VarData32EncodingDecoder;
import io.basalt.protocol.sbe.VarDataEncodingDecoder;

/**
 * Byte sizes of the encoding, taken from the generated codecs, and the exact encoded length of each
 * message given its counts. Used to derive limits, to plan batches (a proposer can tell whether one
 * more transaction fits before it encodes the block) and by the validator.
 */
public final class Layout
{
    public static final int MESSAGE_HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    public static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    /** Length prefix of a transaction in Block.transactions and SubmitTx.tx (uint16). */
    public static final int TX_LENGTH_PREFIX = VarDataEncodingDecoder.lengthEncodingLength();
    /** Length prefix of a block in BlockResponse.blocks (uint32). */
    public static final int BLOCK_LENGTH_PREFIX = VarData32EncodingDecoder.lengthEncodingLength();

    public static final int KEY_LENGTH = TransferDecoder.fromLength();
    public static final int HASH_LENGTH = BlockDecoder.ParentsDecoder.digestLength();
    public static final int SIGNATURE_LENGTH = TransferDecoder.SignaturesDecoder.signatureLength();

    /** One entry of the single-key signatures group: the bare signature. */
    public static final int SIGNATURE_ENTRY_LENGTH = TransferDecoder.SignaturesDecoder.sbeBlockLength();
    /** One entry of a certificate's signatures group: signer index then signature. */
    public static final int CERTIFIED_SIGNATURE_ENTRY_LENGTH = CertifiedMessageDecoder.SignaturesDecoder.sbeBlockLength();
    public static final int RECEIPT_ENTRY_LENGTH = CertifiedMessageDecoder.ReceiptsDecoder.sbeBlockLength();
    /** The fixed part of a CertifiedMessage.votes entry (swap id, vote); the Swap follows with its length. */
    public static final int VOTE_ENTRY_LENGTH = CertifiedMessageDecoder.VotesDecoder.sbeBlockLength();
    public static final int PARENT_ENTRY_LENGTH = BlockDecoder.ParentsDecoder.sbeBlockLength();
    public static final int REF_ENTRY_LENGTH = BlockRequestDecoder.RefsDecoder.sbeBlockLength();

    public static final int TRANSFER_LENGTH = signedFixed(TransferDecoder.BLOCK_LENGTH, 1);
    public static final int CREATE_ASSET_LENGTH = signedFixed(CreateAssetDecoder.BLOCK_LENGTH, 1);
    public static final int SWAP_LENGTH = signedFixed(SwapDecoder.BLOCK_LENGTH, 2);
    public static final int BLOCK_RANGE_REQUEST_LENGTH = MESSAGE_HEADER_LENGTH + BlockRangeRequestDecoder.BLOCK_LENGTH;
    public static final int SUBMIT_ACK_LENGTH = MESSAGE_HEADER_LENGTH + SubmitAckDecoder.BLOCK_LENGTH;
    public static final int FINALITY_EVENT_LENGTH = MESSAGE_HEADER_LENGTH + FinalityEventDecoder.BLOCK_LENGTH;

    private Layout()
    {
    }

    private static int signedFixed(final int rootBlockLength, final int signatures)
    {
        return MESSAGE_HEADER_LENGTH + rootBlockLength + GROUP_HEADER_LENGTH + signatures * SIGNATURE_ENTRY_LENGTH;
    }

    /** Encoded length of a CertifiedMessage with the given counts (every vote carries one Swap). */
    public static int certifiedMessageLength(final int receipts, final int votes, final int signatures)
    {
        return MESSAGE_HEADER_LENGTH + CertifiedMessageDecoder.BLOCK_LENGTH +
            GROUP_HEADER_LENGTH + receipts * RECEIPT_ENTRY_LENGTH +
            GROUP_HEADER_LENGTH + votes * (VOTE_ENTRY_LENGTH + TX_LENGTH_PREFIX + SWAP_LENGTH) +
            GROUP_HEADER_LENGTH + signatures * CERTIFIED_SIGNATURE_ENTRY_LENGTH;
    }

    /**
     * Encoded length of a Block.
     *
     * @param txBytes sum of the encoded lengths of its transactions, without their length prefixes.
     */
    public static long blockLength(final int parents, final int txCount, final long txBytes)
    {
        return MESSAGE_HEADER_LENGTH + BlockDecoder.BLOCK_LENGTH +
            GROUP_HEADER_LENGTH + (long)parents * PARENT_ENTRY_LENGTH +
            GROUP_HEADER_LENGTH + (long)txCount * TX_LENGTH_PREFIX + txBytes +
            GROUP_HEADER_LENGTH + SIGNATURE_ENTRY_LENGTH;
    }

    /** Encoded length of a BlockRequest with {@code refs} references. */
    public static int blockRequestLength(final int refs)
    {
        return MESSAGE_HEADER_LENGTH + BlockRequestDecoder.BLOCK_LENGTH + GROUP_HEADER_LENGTH + refs * REF_ENTRY_LENGTH;
    }

    /**
     * Encoded length of a BlockResponse.
     *
     * @param blockBytes sum of the encoded lengths of its blocks, without their length prefixes.
     */
    public static long blockResponseLength(final int blocks, final long blockBytes)
    {
        return MESSAGE_HEADER_LENGTH + BlockResponseDecoder.BLOCK_LENGTH +
            GROUP_HEADER_LENGTH + (long)blocks * BLOCK_LENGTH_PREFIX + blockBytes;
    }

    /** Encoded length of an OpaquePayload whose data is {@code payloadBytes} long. */
    public static int opaquePayloadLength(final int payloadBytes)
    {
        return MESSAGE_HEADER_LENGTH + OpaquePayloadDecoder.BLOCK_LENGTH + TX_LENGTH_PREFIX + payloadBytes;
    }

    /** Encoded length of a SubmitTx carrying a transaction of {@code txLength} bytes. */
    public static int submitTxLength(final int txLength)
    {
        return MESSAGE_HEADER_LENGTH + SubmitTxDecoder.BLOCK_LENGTH + TX_LENGTH_PREFIX + txLength;
    }
}
