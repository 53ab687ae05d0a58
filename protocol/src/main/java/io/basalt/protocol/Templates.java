package io.basalt.protocol;

import io.basalt.protocol.sbe.BatchAckDecoder;
import io.basalt.protocol.sbe.BatchSignatureDecoder;
import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockRangeRequestDecoder;
import io.basalt.protocol.sbe.BlockRequestDecoder;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.OpaquePayloadDecoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Template ids of the Basalt schema and the classes of message they fall into.
 *
 * <p>The values come from the generated codecs so that the schema stays the single source of truth.
 */
public final class Templates
{
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    public static final int SCHEMA_VERSION = MessageHeaderDecoder.SCHEMA_VERSION;

    public static final int TRANSFER = TransferDecoder.TEMPLATE_ID;
    public static final int CREATE_ASSET = CreateAssetDecoder.TEMPLATE_ID;
    public static final int SWAP = SwapDecoder.TEMPLATE_ID;
    public static final int CERTIFIED_MESSAGE = CertifiedMessageDecoder.TEMPLATE_ID;
    /** The consensus-only benchmark's unsigned payload: ordered, never executed (docs/consensus-only.md). */
    public static final int OPAQUE_PAYLOAD = OpaquePayloadDecoder.TEMPLATE_ID;
    public static final int BLOCK = BlockDecoder.TEMPLATE_ID;
    public static final int BLOCK_REQUEST = BlockRequestDecoder.TEMPLATE_ID;
    public static final int BLOCK_RANGE_REQUEST = BlockRangeRequestDecoder.TEMPLATE_ID;
    public static final int BLOCK_RESPONSE = BlockResponseDecoder.TEMPLATE_ID;
    public static final int SUBMIT_TX = SubmitTxDecoder.TEMPLATE_ID;
    public static final int SUBMIT_ACK = SubmitAckDecoder.TEMPLATE_ID;
    public static final int FINALITY_EVENT = FinalityEventDecoder.TEMPLATE_ID;
    public static final int BATCH_SIGNATURE = BatchSignatureDecoder.TEMPLATE_ID;
    public static final int BATCH_ACK = BatchAckDecoder.TEMPLATE_ID;

    private Templates()
    {
    }

    /** Transactions a client may sign and submit. */
    public static boolean isUserTransaction(final int templateId)
    {
        return templateId == TRANSFER || templateId == CREATE_ASSET || templateId == SWAP;
    }

    /**
     * Anything that may appear in a Block's transactions: user transactions, certified messages and
     * the benchmark's opaque payloads (which a production validator's block verifier refuses).
     */
    public static boolean isTransaction(final int templateId)
    {
        return isUserTransaction(templateId) || templateId == CERTIFIED_MESSAGE || templateId == OPAQUE_PAYLOAD;
    }

    /** Messages that end with a {@code signatures} group covering the bytes before it. */
    public static boolean isSigned(final int templateId)
    {
        return isUserTransaction(templateId) || templateId == CERTIFIED_MESSAGE || templateId == BLOCK;
    }

    /**
     * The templateId of the message whose header starts at {@code offset}. Reads two bytes at
     * {@code offset + 2}; use on validated messages, or check the length first.
     */
    public static int templateId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }
}
