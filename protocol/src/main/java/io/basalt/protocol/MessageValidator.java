package io.basalt.protocol;

import io.basalt.protocol.sbe.BatchAckDecoder;
import io.basalt.protocol.sbe.BatchSignatureDecoder;
import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockRangeRequestDecoder;
import io.basalt.protocol.sbe.BlockRequestDecoder;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.SwapVote;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.FinalityLevel;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.OpaquePayloadDecoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.SubmitStatus;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.basalt.protocol.Layout.GROUP_HEADER_LENGTH;
import static io.basalt.protocol.Layout.MESSAGE_HEADER_LENGTH;
import static io.basalt.protocol.ProtocolLimits.MAX_COMMITTEE;

/**
 * The gate between untrusted bytes and the generated SBE flyweights.
 *
 * <p>Generated decoders trust the lengths and counts they read; this class checks all of them first,
 * reading only inside {@code [offset, offset + length)} with its own bounds checks, and answers with a
 * {@link DecodeError} instead of throwing. A message that passes is the canonical encoding of exactly
 * one logical message: root and group blockLengths equal the schema's, the version is 0, enum values
 * are known, every count and length is within {@link ProtocolLimits}, the message ends exactly at
 * {@code offset + length}, and embedded transactions (in a Block or SubmitTx) and blocks (in a
 * BlockResponse) pass the same checks. Canonicality matters because transaction ids and block digests
 * are hashes of the bytes.
 *
 * <p>Signatures, balances, committee membership and consensus rules are checked elsewhere; this class
 * only checks what can be decided from the bytes alone. It allocates nothing and keeps no state, so
 * any thread may call it.
 *
 * <p>Internally each step returns the position after what it checked, or a negative
 * {@link DecodeError#code()}.
 */
public final class MessageValidator
{
    private static final long ANY_TEMPLATE = mask(
        Templates.TRANSFER, Templates.CREATE_ASSET, Templates.SWAP, Templates.CERTIFIED_MESSAGE,
        Templates.OPAQUE_PAYLOAD, Templates.BLOCK, Templates.BLOCK_REQUEST, Templates.BLOCK_RANGE_REQUEST, Templates.BLOCK_RESPONSE,
        Templates.SUBMIT_TX, Templates.SUBMIT_ACK, Templates.FINALITY_EVENT,
        Templates.BATCH_SIGNATURE, Templates.BATCH_ACK);
    private static final long USER_TRANSACTIONS = mask(Templates.TRANSFER, Templates.CREATE_ASSET, Templates.SWAP);
    /**
     * What a Block may carry. OpaquePayload is here so that the consensus-only benchmark's cores accept
     * it; production validators refuse it at the signature stage (SignedBlockVerifier knows no signer
     * for it), and clients cannot send it (SubmitTx and Admission take {@link #USER_TRANSACTIONS}).
     */
    private static final long TRANSACTIONS =
        USER_TRANSACTIONS | mask(Templates.CERTIFIED_MESSAGE) | mask(Templates.OPAQUE_PAYLOAD);
    private static final long BLOCKS = mask(Templates.BLOCK);

    private static final DecodeError[] BY_CODE = DecodeError.values();

    private static final boolean[] SWAP_VOTES = swapVotes();
    private static final boolean[] SUBMIT_STATUSES = submitStatuses();
    private static final boolean[] FINALITY_LEVELS = finalityLevels();

    private static final int SIGNATURE_ENTRY = Layout.SIGNATURE_ENTRY_LENGTH;
    private static final int CERTIFIED_SIGNATURE_ENTRY = Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH;
    private static final int SIGNER_OFFSET = CertifiedMessageDecoder.SignaturesDecoder.signerEncodingOffset();
    private static final int PARENT_AUTHOR_OFFSET = BlockDecoder.ParentsDecoder.authorEncodingOffset();
    private static final int REF_AUTHOR_OFFSET = BlockRequestDecoder.RefsDecoder.authorEncodingOffset();
    private static final int VOTE_OFFSET = CertifiedMessageDecoder.VotesDecoder.voteEncodingOffset();
    private static final long SWAPS = mask(Templates.SWAP);

    private MessageValidator()
    {
    }

    /** Validates one message of any template. */
    public static DecodeError validate(final DirectBuffer buffer, final int offset, final int length)
    {
        return validateRegion(buffer, offset, length, ANY_TEMPLATE);
    }

    /** Validates one message that must be of the given template, e.g. {@link Templates#BLOCK}. */
    public static DecodeError validate(
        final DirectBuffer buffer, final int offset, final int length, final int expectedTemplateId)
    {
        return validateRegion(buffer, offset, length, mask(expectedTemplateId));
    }

    /** Validates one transaction of any kind that a Block may carry (templates 1-4 and 20). */
    public static DecodeError validateTransaction(final DirectBuffer buffer, final int offset, final int length)
    {
        return validateRegion(buffer, offset, length, TRANSACTIONS);
    }

    /** Validates one transaction that a client may sign and submit (templates 1-3). */
    public static DecodeError validateUserTransaction(final DirectBuffer buffer, final int offset, final int length)
    {
        return validateRegion(buffer, offset, length, USER_TRANSACTIONS);
    }

    private static DecodeError validateRegion(
        final DirectBuffer buffer, final int offset, final int length, final long allowedTemplates)
    {
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            return DecodeError.BAD_REGION;
        }
        final int result = message(buffer, offset, offset + length, allowedTemplates);
        return result < 0 ? BY_CODE[-result] : DecodeError.OK;
    }

    /** Checks one message occupying exactly {@code [start, end)}; returns {@code end} or a negative error code. */
    private static int message(final DirectBuffer buffer, final int start, final int end, final long allowedTemplates)
    {
        if (end - start > ProtocolLimits.MAX_MESSAGE_BYTES)
        {
            return fail(DecodeError.OVERSIZED);
        }
        if (end - start < MESSAGE_HEADER_LENGTH)
        {
            return fail(DecodeError.TRUNCATED);
        }
        final int blockLength = u16(buffer, start + MessageHeaderDecoder.blockLengthEncodingOffset());
        final int templateId = u16(buffer, start + MessageHeaderDecoder.templateIdEncodingOffset());
        final int schemaId = u16(buffer, start + MessageHeaderDecoder.schemaIdEncodingOffset());
        final int version = u16(buffer, start + MessageHeaderDecoder.versionEncodingOffset());
        if (schemaId != Templates.SCHEMA_ID)
        {
            return fail(DecodeError.UNKNOWN_SCHEMA);
        }
        if (version != Templates.SCHEMA_VERSION)
        {
            return fail(DecodeError.UNSUPPORTED_VERSION);
        }
        final int expectedBlockLength = rootBlockLength(templateId);
        if (expectedBlockLength < 0)
        {
            return fail(DecodeError.UNKNOWN_TEMPLATE);
        }
        if ((allowedTemplates & mask(templateId)) == 0)
        {
            return fail(DecodeError.UNEXPECTED_TEMPLATE);
        }
        if (blockLength != expectedBlockLength)
        {
            return fail(DecodeError.BAD_BLOCK_LENGTH);
        }
        final int root = start + MESSAGE_HEADER_LENGTH;
        if (end - root < blockLength)
        {
            return fail(DecodeError.TRUNCATED);
        }
        final int position = body(buffer, templateId, start, root, end);
        if (position < 0)
        {
            return position;
        }
        return position == end ? end : fail(DecodeError.TRAILING_BYTES);
    }

    /** The schema's root blockLength of a template, or -1 if the template is unknown. */
    private static int rootBlockLength(final int templateId)
    {
        return switch (templateId)
        {
            case TransferDecoder.TEMPLATE_ID -> TransferDecoder.BLOCK_LENGTH;
            case CreateAssetDecoder.TEMPLATE_ID -> CreateAssetDecoder.BLOCK_LENGTH;
            case SwapDecoder.TEMPLATE_ID -> SwapDecoder.BLOCK_LENGTH;
            case CertifiedMessageDecoder.TEMPLATE_ID -> CertifiedMessageDecoder.BLOCK_LENGTH;
            case OpaquePayloadDecoder.TEMPLATE_ID -> OpaquePayloadDecoder.BLOCK_LENGTH;
            case BlockDecoder.TEMPLATE_ID -> BlockDecoder.BLOCK_LENGTH;
            case BlockRequestDecoder.TEMPLATE_ID -> BlockRequestDecoder.BLOCK_LENGTH;
            case BlockRangeRequestDecoder.TEMPLATE_ID -> BlockRangeRequestDecoder.BLOCK_LENGTH;
            case BlockResponseDecoder.TEMPLATE_ID -> BlockResponseDecoder.BLOCK_LENGTH;
            case SubmitTxDecoder.TEMPLATE_ID -> SubmitTxDecoder.BLOCK_LENGTH;
            case SubmitAckDecoder.TEMPLATE_ID -> SubmitAckDecoder.BLOCK_LENGTH;
            case FinalityEventDecoder.TEMPLATE_ID -> FinalityEventDecoder.BLOCK_LENGTH;
            case BatchSignatureDecoder.TEMPLATE_ID -> BatchSignatureDecoder.BLOCK_LENGTH;
            case BatchAckDecoder.TEMPLATE_ID -> BatchAckDecoder.BLOCK_LENGTH;
            default -> -1;
        };
    }

    /** Checks root fields and everything after the root block; the root block is known to fit. */
    private static int body(final DirectBuffer buffer, final int templateId, final int start, final int root, final int end)
    {
        return switch (templateId)
        {
            case TransferDecoder.TEMPLATE_ID ->
                signatures(buffer, root + TransferDecoder.BLOCK_LENGTH, end, 1);
            case CreateAssetDecoder.TEMPLATE_ID ->
                signatures(buffer, root + CreateAssetDecoder.BLOCK_LENGTH, end, 1);
            case SwapDecoder.TEMPLATE_ID ->
                signatures(buffer, root + SwapDecoder.BLOCK_LENGTH, end, 2);
            case CertifiedMessageDecoder.TEMPLATE_ID -> certifiedMessage(buffer, root, end);
            case OpaquePayloadDecoder.TEMPLATE_ID -> opaquePayload(buffer, root, end);
            case BlockDecoder.TEMPLATE_ID -> block(buffer, start, root, end);
            case BlockRequestDecoder.TEMPLATE_ID -> blockRequest(buffer, root, end);
            case BlockRangeRequestDecoder.TEMPLATE_ID -> blockRangeRequest(buffer, root);
            case BlockResponseDecoder.TEMPLATE_ID -> blockResponse(buffer, start, root, end);
            case SubmitTxDecoder.TEMPLATE_ID -> submitTx(buffer, root, end);
            case SubmitAckDecoder.TEMPLATE_ID ->
                enumField(buffer, root + SubmitAckDecoder.statusEncodingOffset(), SUBMIT_STATUSES,
                    root + SubmitAckDecoder.BLOCK_LENGTH);
            case FinalityEventDecoder.TEMPLATE_ID ->
                enumField(buffer, root + FinalityEventDecoder.levelEncodingOffset(), FINALITY_LEVELS,
                    root + FinalityEventDecoder.BLOCK_LENGTH);
            case BatchSignatureDecoder.TEMPLATE_ID -> batchSignature(buffer, root, end);
            case BatchAckDecoder.TEMPLATE_ID -> batchAck(buffer, root);
            default -> fail(DecodeError.UNKNOWN_TEMPLATE);
        };
    }

    /**
     * A signer index and a batch prefix: at most a maximal certified message's bytes. The prefix
     * itself is checked as a CertifiedMessage by the relay, once it appends the signature group.
     */
    private static int batchSignature(final DirectBuffer buffer, final int root, final int end)
    {
        if (u16(buffer, root + BatchSignatureDecoder.signerEncodingOffset()) >= MAX_COMMITTEE)
        {
            return fail(DecodeError.BAD_VALIDATOR_INDEX);
        }
        final int position = root + BatchSignatureDecoder.BLOCK_LENGTH;
        if (end - position < Layout.TX_LENGTH_PREFIX)
        {
            return fail(DecodeError.TRUNCATED);
        }
        final int length = u16(buffer, position);
        if (length > ProtocolLimits.MAX_CERTIFIED_BYTES)
        {
            return fail(DecodeError.OVERSIZED);
        }
        if (length > end - position - Layout.TX_LENGTH_PREFIX)
        {
            return fail(DecodeError.TRUNCATED);
        }
        return position + Layout.TX_LENGTH_PREFIX + length;
    }

    /** One uint16-length-prefixed run of bytes, at most {@link ProtocolLimits#MAX_OPAQUE_PAYLOAD_BYTES}; never looked into. */
    private static int opaquePayload(final DirectBuffer buffer, final int root, final int end)
    {
        final int position = root + OpaquePayloadDecoder.BLOCK_LENGTH;
        if (end - position < Layout.TX_LENGTH_PREFIX)
        {
            return fail(DecodeError.TRUNCATED);
        }
        final int length = u16(buffer, position);
        if (length > ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES)
        {
            return fail(DecodeError.OVERSIZED);
        }
        if (length > end - position - Layout.TX_LENGTH_PREFIX)
        {
            return fail(DecodeError.TRUNCATED);
        }
        return position + Layout.TX_LENGTH_PREFIX + length;
    }

    private static int batchAck(final DirectBuffer buffer, final int root)
    {
        if (u16(buffer, root + BatchAckDecoder.signerEncodingOffset()) >= MAX_COMMITTEE)
        {
            return fail(DecodeError.BAD_VALIDATOR_INDEX);
        }
        return root + BatchAckDecoder.BLOCK_LENGTH;
    }

    /** The trailing group of a single-key signed message: exactly {@code required} bare signatures. */
    private static int signatures(final DirectBuffer buffer, final int position, final int end, final int required)
    {
        return fixedGroup(buffer, position, end, SIGNATURE_ENTRY, required, required, DecodeError.BAD_SIGNATURE_COUNT);
    }

    /**
     * One entry of a cross-shard stream: distinct shards, 0..MAX_RECEIPTS receipts and 0..MAX_VOTES
     * swap votes (not both empty), each vote carrying one whole Swap, then the certificate.
     */
    private static int certifiedMessage(final DirectBuffer buffer, final int root, final int end)
    {
        if (u16(buffer, root + CertifiedMessageDecoder.sourceShardEncodingOffset()) ==
            u16(buffer, root + CertifiedMessageDecoder.destShardEncodingOffset()))
        {
            return fail(DecodeError.BAD_FIELD_VALUE);
        }
        final int receiptsStart = root + CertifiedMessageDecoder.BLOCK_LENGTH;
        final int receiptsEnd = fixedGroup(buffer, receiptsStart, end, Layout.RECEIPT_ENTRY_LENGTH,
            0, ProtocolLimits.MAX_RECEIPTS, DecodeError.COUNT_OUT_OF_RANGE);
        if (receiptsEnd < 0)
        {
            return receiptsEnd;
        }
        final int votes = groupCount(buffer, receiptsEnd, end, Layout.VOTE_ENTRY_LENGTH,
            0, ProtocolLimits.MAX_VOTES, DecodeError.COUNT_OUT_OF_RANGE);
        if (votes < 0)
        {
            return votes;
        }
        if (votes == 0 && u16(buffer, receiptsStart + 2) == 0)
        {
            return fail(DecodeError.COUNT_OUT_OF_RANGE);
        }
        int cursor = receiptsEnd + GROUP_HEADER_LENGTH;
        for (int i = 0; i < votes; i++)
        {
            if (end - cursor < Layout.VOTE_ENTRY_LENGTH)
            {
                return fail(DecodeError.TRUNCATED);
            }
            if (!SWAP_VOTES[u8(buffer, cursor + VOTE_OFFSET)])
            {
                return fail(DecodeError.BAD_ENUM);
            }
            cursor = nested16(buffer, cursor + Layout.VOTE_ENTRY_LENGTH, end, ProtocolLimits.MAX_TX_BYTES, SWAPS);
            if (cursor < 0)
            {
                return cursor;
            }
        }
        return certificateSignatures(buffer, cursor, end);
    }

    /** 1..MAX_SIGNATURES entries whose signer indices are strictly increasing and below MAX_COMMITTEE. */
    private static int certificateSignatures(final DirectBuffer buffer, final int position, final int end)
    {
        final int groupEnd = fixedGroup(buffer, position, end, CERTIFIED_SIGNATURE_ENTRY,
            1, ProtocolLimits.MAX_SIGNATURES, DecodeError.BAD_SIGNATURE_COUNT);
        if (groupEnd < 0)
        {
            return groupEnd;
        }
        int previousSigner = -1;
        for (int entry = position + GROUP_HEADER_LENGTH; entry < groupEnd; entry += CERTIFIED_SIGNATURE_ENTRY)
        {
            final int signer = u16(buffer, entry + SIGNER_OFFSET);
            if (signer >= MAX_COMMITTEE)
            {
                return fail(DecodeError.BAD_VALIDATOR_INDEX);
            }
            if (signer <= previousSigner)
            {
                return fail(DecodeError.NONCANONICAL_SIGNERS);
            }
            previousSigner = signer;
        }
        return groupEnd;
    }

    private static int block(final DirectBuffer buffer, final int start, final int root, final int end)
    {
        if (end - start > ProtocolLimits.MAX_BLOCK_BYTES)
        {
            return fail(DecodeError.OVERSIZED);
        }
        if (u16(buffer, root + BlockDecoder.authorEncodingOffset()) >= MAX_COMMITTEE)
        {
            return fail(DecodeError.BAD_VALIDATOR_INDEX);
        }
        final int parentsStart = root + BlockDecoder.BLOCK_LENGTH;
        final int parentsEnd = fixedGroup(buffer, parentsStart, end, Layout.PARENT_ENTRY_LENGTH,
            0, ProtocolLimits.MAX_PARENTS, DecodeError.COUNT_OUT_OF_RANGE);
        if (parentsEnd < 0)
        {
            return parentsEnd;
        }
        final int authorsCheck = validatorIndices(
            buffer, parentsStart + GROUP_HEADER_LENGTH, parentsEnd, Layout.PARENT_ENTRY_LENGTH, PARENT_AUTHOR_OFFSET);
        if (authorsCheck < 0)
        {
            return authorsCheck;
        }
        final int transactionsEnd = transactions(buffer, parentsEnd, end);
        if (transactionsEnd < 0)
        {
            return transactionsEnd;
        }
        return signatures(buffer, transactionsEnd, end, 1);
    }

    /** Block.transactions: each entry is a uint16 length and one whole transaction, itself validated. */
    private static int transactions(final DirectBuffer buffer, final int position, final int end)
    {
        final int count = groupCount(buffer, position, end, 0, 0, ProtocolLimits.MAX_BLOCK_TXS, DecodeError.COUNT_OUT_OF_RANGE);
        if (count < 0)
        {
            return count;
        }
        int cursor = position + GROUP_HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            cursor = nested16(buffer, cursor, end, ProtocolLimits.MAX_BLOCK_TX_BYTES, TRANSACTIONS);
            if (cursor < 0)
            {
                return cursor;
            }
        }
        return cursor;
    }

    private static int blockRequest(final DirectBuffer buffer, final int root, final int end)
    {
        if (u16(buffer, root + BlockRequestDecoder.requesterEncodingOffset()) >= MAX_COMMITTEE)
        {
            return fail(DecodeError.BAD_VALIDATOR_INDEX);
        }
        final int refsStart = root + BlockRequestDecoder.BLOCK_LENGTH;
        final int refsEnd = fixedGroup(buffer, refsStart, end, Layout.REF_ENTRY_LENGTH,
            1, ProtocolLimits.MAX_REQUEST_REFS, DecodeError.COUNT_OUT_OF_RANGE);
        if (refsEnd < 0)
        {
            return refsEnd;
        }
        final int authorsCheck = validatorIndices(
            buffer, refsStart + GROUP_HEADER_LENGTH, refsEnd, Layout.REF_ENTRY_LENGTH, REF_AUTHOR_OFFSET);
        return authorsCheck < 0 ? authorsCheck : refsEnd;
    }

    private static int blockRangeRequest(final DirectBuffer buffer, final int root)
    {
        if (u16(buffer, root + BlockRangeRequestDecoder.requesterEncodingOffset()) >= MAX_COMMITTEE)
        {
            return fail(DecodeError.BAD_VALIDATOR_INDEX);
        }
        final long fromRound = buffer.getLong(root + BlockRangeRequestDecoder.fromRoundEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
        final long toRound = buffer.getLong(root + BlockRangeRequestDecoder.toRoundEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
        // Rounds are uint64 on the wire: compare unsigned. The range is inclusive at both ends.
        if (Long.compareUnsigned(fromRound, toRound) > 0 ||
            Long.compareUnsigned(toRound - fromRound, ProtocolLimits.MAX_RANGE_ROUNDS - 1) > 0)
        {
            return fail(DecodeError.BAD_RANGE);
        }
        return root + BlockRangeRequestDecoder.BLOCK_LENGTH;
    }

    private static int blockResponse(final DirectBuffer buffer, final int start, final int root, final int end)
    {
        if (end - start > ProtocolLimits.MAX_RESPONSE_BYTES)
        {
            return fail(DecodeError.OVERSIZED);
        }
        if (u16(buffer, root + BlockResponseDecoder.responderEncodingOffset()) >= MAX_COMMITTEE)
        {
            return fail(DecodeError.BAD_VALIDATOR_INDEX);
        }
        final int position = root + BlockResponseDecoder.BLOCK_LENGTH;
        final int count = groupCount(buffer, position, end, 0, 0, ProtocolLimits.MAX_RESPONSE_BLOCKS, DecodeError.COUNT_OUT_OF_RANGE);
        if (count < 0)
        {
            return count;
        }
        int cursor = position + GROUP_HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            cursor = nestedBlock(buffer, cursor, end);
            if (cursor < 0)
            {
                return cursor;
            }
        }
        return cursor;
    }

    /** One BlockResponse.blocks entry: a uint32 length and one whole Block. */
    private static int nestedBlock(final DirectBuffer buffer, final int position, final int end)
    {
        if (end - position < Layout.BLOCK_LENGTH_PREFIX)
        {
            return fail(DecodeError.TRUNCATED);
        }
        final long length = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        final int data = position + Layout.BLOCK_LENGTH_PREFIX;
        if (length > ProtocolLimits.MAX_BLOCK_BYTES)
        {
            return fail(DecodeError.OVERSIZED);
        }
        if (length > end - data)
        {
            return fail(DecodeError.TRUNCATED);
        }
        final int dataEnd = data + (int)length;
        return message(buffer, data, dataEnd, BLOCKS) < 0 ? fail(DecodeError.INVALID_NESTED) : dataEnd;
    }

    private static int submitTx(final DirectBuffer buffer, final int root, final int end)
    {
        return nested16(buffer, root + SubmitTxDecoder.BLOCK_LENGTH, end, ProtocolLimits.MAX_TX_BYTES, USER_TRANSACTIONS);
    }

    /** A uint16-length-prefixed embedded message of one of the allowed templates. */
    private static int nested16(
        final DirectBuffer buffer, final int position, final int end, final int maxLength, final long allowedTemplates)
    {
        if (end - position < Layout.TX_LENGTH_PREFIX)
        {
            return fail(DecodeError.TRUNCATED);
        }
        final int length = u16(buffer, position);
        final int data = position + Layout.TX_LENGTH_PREFIX;
        if (length > maxLength)
        {
            return fail(DecodeError.OVERSIZED);
        }
        if (length > end - data)
        {
            return fail(DecodeError.TRUNCATED);
        }
        return message(buffer, data, data + length, allowedTemplates) < 0 ? fail(DecodeError.INVALID_NESTED) : data + length;
    }

    /**
     * A group of fixed-size entries: header present, entry blockLength as the schema says, count in
     * {@code [min, max]} and all entries inside the region. Returns the position after the last entry.
     */
    private static int fixedGroup(
        final DirectBuffer buffer, final int position, final int end, final int entryLength,
        final int min, final int max, final DecodeError countError)
    {
        final int count = groupCount(buffer, position, end, entryLength, min, max, countError);
        if (count < 0)
        {
            return count;
        }
        final int entries = position + GROUP_HEADER_LENGTH;
        // count <= 65534 and entryLength < 128, so the product cannot overflow.
        final int bytes = count * entryLength;
        return bytes > end - entries ? fail(DecodeError.TRUNCATED) : entries + bytes;
    }

    /** Reads and checks a group header; returns numInGroup or a negative error code. */
    private static int groupCount(
        final DirectBuffer buffer, final int position, final int end, final int entryLength,
        final int min, final int max, final DecodeError countError)
    {
        if (end - position < GROUP_HEADER_LENGTH)
        {
            return fail(DecodeError.TRUNCATED);
        }
        if (u16(buffer, position) != entryLength)
        {
            return fail(DecodeError.BAD_BLOCK_LENGTH);
        }
        final int count = u16(buffer, position + 2);
        return count < min || count > max ? fail(countError) : count;
    }

    /** Checks the validator index at {@code fieldOffset} of every entry in {@code [from, to)}. */
    private static int validatorIndices(
        final DirectBuffer buffer, final int from, final int to, final int entryLength, final int fieldOffset)
    {
        for (int entry = from; entry < to; entry += entryLength)
        {
            if (u16(buffer, entry + fieldOffset) >= MAX_COMMITTEE)
            {
                return fail(DecodeError.BAD_VALIDATOR_INDEX);
            }
        }
        return to;
    }

    private static int enumField(final DirectBuffer buffer, final int fieldIndex, final boolean[] known, final int next)
    {
        return known[u8(buffer, fieldIndex)] ? next : fail(DecodeError.BAD_ENUM);
    }


    private static int fail(final DecodeError error)
    {
        return -error.code();
    }

    private static int u8(final DirectBuffer buffer, final int index)
    {
        return buffer.getByte(index) & 0xFF;
    }

    private static int u16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    private static long mask(final int... templateIds)
    {
        long mask = 0;
        for (final int templateId : templateIds)
        {
            if (templateId >= 0 && templateId < Long.SIZE)
            {
                mask |= 1L << templateId;
            }
        }
        return mask;
    }

    private static long mask(final int templateId)
    {
        return templateId >= 0 && templateId < Long.SIZE ? 1L << templateId : 0;
    }

    // Tables of the enum values the schema declares (NULL_VAL excluded), indexed by the raw uint8.

    private static boolean[] swapVotes()
    {
        final boolean[] known = new boolean[256];
        for (final SwapVote value : SwapVote.values())
        {
            known[value.value()] = value != SwapVote.NULL_VAL;
        }
        return known;
    }

    private static boolean[] submitStatuses()
    {
        final boolean[] known = new boolean[256];
        for (final SubmitStatus value : SubmitStatus.values())
        {
            known[value.value()] = value != SubmitStatus.NULL_VAL;
        }
        return known;
    }

    private static boolean[] finalityLevels()
    {
        final boolean[] known = new boolean[256];
        for (final FinalityLevel value : FinalityLevel.values())
        {
            known[value.value()] = value != FinalityLevel.NULL_VAL;
        }
        return known;
    }
}
