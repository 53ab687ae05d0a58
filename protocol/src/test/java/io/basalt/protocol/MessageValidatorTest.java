package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockEncoder;
import io.basalt.protocol.sbe.BlockRequestEncoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.CertifiedMessageEncoder;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import io.basalt.protocol.sbe.SwapVote;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static io.basalt.protocol.MutationProperties.put16;
import static io.basalt.protocol.MutationProperties.u16;
import static io.basalt.protocol.MutationProperties.validateExact;
import static io.basalt.protocol.MutationProperties.voteEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each structural rule of the validator, at and just past its boundary. */
class MessageValidatorTest
{
    private static final int ROOT = Layout.MESSAGE_HEADER_LENGTH;

    private final Random random = new Random(42);

    @Test
    void regionOutsideTheBufferIsReportedNotThrown()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(Samples.transfer(random));
        final int capacity = buffer.capacity();
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, 0, capacity));
        assertEquals(DecodeError.BAD_REGION, MessageValidator.validate(null, 0, 10));
        assertEquals(DecodeError.BAD_REGION, MessageValidator.validate(buffer, -1, capacity));
        assertEquals(DecodeError.BAD_REGION, MessageValidator.validate(buffer, 0, -1));
        assertEquals(DecodeError.BAD_REGION, MessageValidator.validate(buffer, 1, capacity));
        assertEquals(DecodeError.BAD_REGION, MessageValidator.validate(buffer, 0, capacity + 1));
        assertEquals(DecodeError.BAD_REGION, MessageValidator.validate(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(DecodeError.BAD_REGION, MessageValidator.validate(buffer, capacity + 1, 0));
        assertEquals(DecodeError.TRUNCATED, MessageValidator.validate(buffer, capacity, 0));
    }

    @Test
    void messageAtTheVeryEndOfALargerBufferIsReadInPlace()
    {
        // The agrona bounds checks this test relies on are on: a read past capacity throws.
        final UnsafeBuffer probe = new UnsafeBuffer(new byte[4]);
        assertThrows(IndexOutOfBoundsException.class, () -> probe.getByte(4));

        for (int kind = 0; kind < Samples.TEMPLATES.length; kind++)
        {
            final byte[] message = Samples.message(kind, random);
            final int offset = 1000 + kind;
            final byte[] array = new byte[offset + message.length];
            random.nextBytes(array);
            System.arraycopy(message, 0, array, offset, message.length);
            final UnsafeBuffer buffer = new UnsafeBuffer(array);
            assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, message.length), "template " + Samples.TEMPLATES[kind]);
            if (Templates.isSigned(Samples.TEMPLATES[kind]))
            {
                final int last = SignedRegion.signatureOffset(buffer, offset, message.length,
                    SignedRegion.signatureCount(buffer, offset, message.length) - 1);
                assertEquals(array.length, last + Layout.SIGNATURE_LENGTH, "the last signature ends the buffer");
            }
        }
    }

    @Test
    void unknownHeaderValuesAreNamed()
    {
        final byte[] transfer = Samples.transfer(random);
        assertEquals(DecodeError.UNKNOWN_SCHEMA, mutate(transfer, bytes -> put16(bytes, 4, 2)));
        assertEquals(DecodeError.UNSUPPORTED_VERSION, mutate(transfer, bytes -> put16(bytes, 6, 1)));
        assertEquals(DecodeError.UNKNOWN_TEMPLATE, mutate(transfer, bytes -> put16(bytes, 2, 0)));
        assertEquals(DecodeError.UNKNOWN_TEMPLATE, mutate(transfer, bytes -> put16(bytes, 2, 5)));
        assertEquals(DecodeError.UNKNOWN_TEMPLATE, mutate(transfer, bytes -> put16(bytes, 2, 0xFFFF)));
        assertEquals(DecodeError.BAD_BLOCK_LENGTH, mutate(transfer, bytes -> put16(bytes, 0, 105)));
    }

    @Test
    void expectedTemplateIsEnforced()
    {
        final byte[] transfer = Samples.transfer(random);
        final UnsafeBuffer buffer = new UnsafeBuffer(transfer);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, 0, transfer.length, Templates.TRANSFER));
        assertEquals(DecodeError.UNEXPECTED_TEMPLATE, MessageValidator.validate(buffer, 0, transfer.length, Templates.BLOCK));
        assertEquals(DecodeError.UNEXPECTED_TEMPLATE, MessageValidator.validate(buffer, 0, transfer.length, -1));
        assertEquals(DecodeError.UNEXPECTED_TEMPLATE, MessageValidator.validate(buffer, 0, transfer.length, 1000));

        final byte[] block = Samples.block(random, 1, 1);
        assertEquals(DecodeError.UNEXPECTED_TEMPLATE, MessageValidator.validateTransaction(new UnsafeBuffer(block), 0, block.length));
    }

    @Test
    void signatureCountsAreExact()
    {
        final byte[] transfer = Samples.transfer(random);
        final int group = Layout.TRANSFER_LENGTH - Layout.GROUP_HEADER_LENGTH - Layout.SIGNATURE_ENTRY_LENGTH;
        assertEquals(DecodeError.BAD_SIGNATURE_COUNT, mutate(transfer, bytes -> put16(bytes, group + 2, 0)));
        assertEquals(DecodeError.BAD_SIGNATURE_COUNT, mutate(transfer, bytes -> put16(bytes, group + 2, 2)));

        final byte[] swap = Samples.swap(random);
        final int swapGroup = Layout.SWAP_LENGTH - Layout.GROUP_HEADER_LENGTH - 2 * Layout.SIGNATURE_ENTRY_LENGTH;
        // One signature and 64 trailing bytes: the count rule fires before the trailing-bytes rule.
        assertEquals(DecodeError.BAD_SIGNATURE_COUNT, mutate(swap, bytes -> put16(bytes, swapGroup + 2, 1)));
    }

    @Test
    void certificateSignersAreIncreasingCommitteeIndices()
    {
        assertEquals(DecodeError.OK, certifiedWithSigners(0, 1, 255));
        assertEquals(DecodeError.OK, certifiedWithSigners(7));
        assertEquals(DecodeError.NONCANONICAL_SIGNERS, certifiedWithSigners(0, 2, 2));
        assertEquals(DecodeError.NONCANONICAL_SIGNERS, certifiedWithSigners(3, 1));
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, certifiedWithSigners(0, 256));
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, certifiedWithSigners(0xFFFF));
        assertEquals(DecodeError.BAD_SIGNATURE_COUNT, certifiedWithSigners());
        final int[] everyone = new int[ProtocolLimits.MAX_SIGNATURES];
        Arrays.setAll(everyone, i -> i);
        assertEquals(DecodeError.OK, certifiedWithSigners(everyone));
        final int[] oneTooMany = Arrays.copyOf(everyone, ProtocolLimits.MAX_SIGNATURES + 1);
        oneTooMany[ProtocolLimits.MAX_SIGNATURES] = ProtocolLimits.MAX_SIGNATURES;
        assertEquals(DecodeError.BAD_SIGNATURE_COUNT, certifiedWithSigners(oneTooMany));
    }

    @Test
    void certifiedStreamRunsBetweenDistinctShards()
    {
        assertEquals(DecodeError.OK, certified(1, 2, 1, 1));
        assertEquals(DecodeError.OK, certified(2, 1, 1, 1));
        assertEquals(DecodeError.OK, certified(0, 0xFFFF, 0, 1));
        // The whole uint16 is compared, not its low byte.
        assertEquals(DecodeError.OK, certified(0x0100, 0x0000, 1, 0));
        assertEquals(DecodeError.OK, certified(0x0003, 0x0103, 1, 0));
        assertEquals(DecodeError.BAD_FIELD_VALUE, certified(7, 7, 1, 1));
        assertEquals(DecodeError.BAD_FIELD_VALUE, certified(0, 0, 1, 0));
        assertEquals(DecodeError.BAD_FIELD_VALUE, certified(0xFFFF, 0xFFFF, 0, 1));

        // Rewriting the destination of a valid message to its source.
        final byte[] message = Samples.certified(random, 2, 2, 3);
        final int source = u16(message, ROOT + CertifiedMessageDecoder.sourceShardEncodingOffset());
        final int dest = ROOT + CertifiedMessageDecoder.destShardEncodingOffset();
        assertEquals(DecodeError.OK, validateExact(message, 0, message.length));
        assertEquals(DecodeError.BAD_FIELD_VALUE, mutate(message, bytes -> put16(bytes, dest, source)));
        assertEquals(DecodeError.OK, mutate(message, bytes -> put16(bytes, dest, (source + 1) & 0xFFFF)));
    }

    @Test
    void certifiedCarriesReceiptsOrVotesWithinLimits()
    {
        final int receipts = ProtocolLimits.MAX_RECEIPTS;
        final int votes = ProtocolLimits.MAX_VOTES;
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, certified(1, 2, 0, 0));
        assertEquals(DecodeError.OK, certified(1, 2, 1, 0));
        assertEquals(DecodeError.OK, certified(1, 2, 0, 1));
        assertEquals(DecodeError.OK, certified(1, 2, 1, 1));
        assertEquals(DecodeError.OK, certified(1, 2, receipts, 0));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, certified(1, 2, receipts + 1, 0));
        assertEquals(DecodeError.OK, certified(1, 2, 0, votes));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, certified(1, 2, 0, votes + 1));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, certified(1, 2, receipts + 1, 1));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, certified(1, 2, 1, votes + 1));

        // Zeroing the one count of a single-group message leaves both groups empty.
        final byte[] receiptsOnly = Samples.certified(random, 1, 0, 1);
        final int receiptCount = ROOT + CertifiedMessageDecoder.BLOCK_LENGTH + 2;
        final byte[] noReceipts = new byte[receiptsOnly.length - Layout.RECEIPT_ENTRY_LENGTH];
        System.arraycopy(receiptsOnly, 0, noReceipts, 0, receiptCount + 2);
        System.arraycopy(receiptsOnly, receiptCount + 2 + Layout.RECEIPT_ENTRY_LENGTH,
            noReceipts, receiptCount + 2, noReceipts.length - receiptCount - 2);
        put16(noReceipts, receiptCount, 0);
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, validateExact(noReceipts, 0, noReceipts.length));
        assertEquals(Layout.certifiedMessageLength(0, 0, 1), noReceipts.length);
    }

    @Test
    void everyVoteHoldsADeclaredValue()
    {
        final byte[] message = Samples.certified(random, 2, 3, 2);
        assertEquals(DecodeError.OK, validateExact(message, 0, message.length));
        for (int vote = 0; vote < 3; vote++)
        {
            final int index = voteEntry(message, vote) + CertifiedMessageDecoder.VotesDecoder.voteEncodingOffset();
            for (final int bad : new int[] { 0, 3, 255 })
            {
                assertEquals(DecodeError.BAD_ENUM, mutate(message, bytes -> bytes[index] = (byte)bad), "vote " + vote + " = " + bad);
            }
            assertEquals(DecodeError.OK, mutate(message, bytes -> bytes[index] = (byte)SwapVote.PREPARED.value()));
            assertEquals(DecodeError.OK, mutate(message, bytes -> bytes[index] = (byte)SwapVote.ABORT.value()));
        }
    }

    @Test
    void everyVoteCarriesOneValidSwap()
    {
        final Samples.Certified fields = Samples.Certified.random(random, 1, 2, 1);
        assertEquals(DecodeError.OK, certified(fields));
        final byte[] swap = fields.swaps()[1];
        final byte[] badSignatureCount = swap.clone();
        put16(badSignatureCount, Layout.SWAP_LENGTH - Layout.GROUP_HEADER_LENGTH - 2 * Layout.SIGNATURE_ENTRY_LENGTH + 2, 1);
        final byte[] wrongSchema = swap.clone();
        put16(wrongSchema, 4, 2);
        final byte[][] notSwaps = {
            Samples.transfer(random),
            Samples.createAsset(random),
            Samples.certified(random, 1, 0, 1),
            Samples.block(random, 0, 0),
            new byte[0],
            Arrays.copyOf(swap, Layout.SWAP_LENGTH - 1),                       // a Swap cut short
            Arrays.copyOf(swap, Layout.SWAP_LENGTH + 1),                       // a Swap and one more byte
            Arrays.copyOf(swap, ProtocolLimits.MAX_TX_BYTES),                  // as long as a transaction may be
            badSignatureCount,
            wrongSchema };
        for (int vote = 0; vote < 2; vote++)
        {
            for (int i = 0; i < notSwaps.length; i++)
            {
                assertEquals(DecodeError.INVALID_NESTED, certified(fields.withSwap(vote, notSwaps[i])), "vote " + vote + ", case " + i);
            }
            // Longer than any user transaction: rejected before it is walked.
            assertEquals(DecodeError.OVERSIZED,
                certified(fields.withSwap(vote, Arrays.copyOf(swap, ProtocolLimits.MAX_TX_BYTES + 1))), "vote " + vote);
        }
    }

    @Test
    void truncatedVotesAreTruncated()
    {
        // The last vote is followed by one signature: 4 + 66 bytes.
        final byte[] message = Samples.certified(random, 1, 2, 1);
        assertEquals(DecodeError.OK, validateExact(message, 0, message.length));
        final int last = voteEntry(message, 1);
        final int swapLength = last + Layout.VOTE_ENTRY_LENGTH;
        final int afterLast = swapLength + Layout.TX_LENGTH_PREFIX + Layout.SWAP_LENGTH;
        assertEquals(message.length, afterLast + Layout.GROUP_HEADER_LENGTH + Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH);

        // The message ends inside the vote: its fixed part, its length prefix or its Swap.
        for (int cut = last; cut < afterLast; cut++)
        {
            assertEquals(DecodeError.TRUNCATED, validateExact(message, 0, cut), "cut at " + cut);
        }
        // The Swap's length runs past the end of the message, or past what a transaction may be.
        final int rest = message.length - swapLength - Layout.TX_LENGTH_PREFIX;
        assertEquals(DecodeError.TRUNCATED, mutate(message, bytes -> put16(bytes, swapLength, rest + 1)));
        assertEquals(DecodeError.INVALID_NESTED, mutate(message, bytes -> put16(bytes, swapLength, rest)));
        assertEquals(DecodeError.INVALID_NESTED, mutate(message, bytes -> put16(bytes, swapLength, Layout.SWAP_LENGTH - 1)));
        assertEquals(DecodeError.OVERSIZED, mutate(message, bytes -> put16(bytes, swapLength, ProtocolLimits.MAX_TX_BYTES + 1)));
        assertEquals(DecodeError.OVERSIZED, mutate(message, bytes -> put16(bytes, swapLength, 0xFFFF)));
        // One vote more than the message holds: the signatures group is read as a third vote (here with
        // a declared vote value) whose Swap does not fit in what is left.
        final int votesHeader = voteEntry(message, 0) - Layout.GROUP_HEADER_LENGTH;
        final int thirdVote = afterLast + CertifiedMessageDecoder.VotesDecoder.voteEncodingOffset();
        final int thirdLength = afterLast + Layout.VOTE_ENTRY_LENGTH;
        assertEquals(DecodeError.TRUNCATED, mutate(message, bytes ->
        {
            put16(bytes, votesHeader + 2, 3);
            bytes[thirdVote] = (byte)SwapVote.ABORT.value();
            put16(bytes, thirdLength, Layout.SWAP_LENGTH);
        }));
    }

    @Test
    void largestCertifiedMessageIsValidAndOneMoreReceiptOrVoteIsNot()
    {
        final int receipts = ProtocolLimits.MAX_RECEIPTS;
        final int votes = ProtocolLimits.MAX_VOTES;
        final int[] everyone = new int[ProtocolLimits.MAX_SIGNATURES];
        Arrays.setAll(everyone, i -> i);
        final Samples.Certified fields = Samples.Certified.random(random, receipts, votes, 1).withSigners(everyone);
        final UnsafeBuffer buffer = Samples.scratch();
        final int length = fields.encode(new TransactionEncoding(), buffer, 0);
        assertEquals(ProtocolLimits.MAX_CERTIFIED_BYTES, length);
        assertEquals(Layout.certifiedMessageLength(receipts, votes, ProtocolLimits.MAX_SIGNATURES), length);
        final byte[] certified = Samples.copy(buffer, length);
        assertEquals(DecodeError.OK, validateExact(certified, 0, certified.length));
        assertEquals(DecodeError.OK, MessageValidator.validateTransaction(buffer, 0, length));
        assertEquals(length - Layout.GROUP_HEADER_LENGTH - ProtocolLimits.MAX_SIGNATURES * Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH,
            SignedRegion.signedLength(buffer, 0, length));
        assertEquals(ProtocolLimits.MAX_SIGNATURES - 1,
            SignedRegion.certifiedSigner(buffer, 0, length, ProtocolLimits.MAX_SIGNATURES - 1));

        // A block can carry it.
        final byte[] block = Samples.copy(buffer, new BlockEncoding().begin(buffer, 0, 0, 0, 1, 1, 0)
            .transactions(1).transaction(certified).finish());
        assertEquals(Layout.blockLength(0, 1, ProtocolLimits.MAX_CERTIFIED_BYTES), block.length);
        assertTrue(block.length <= ProtocolLimits.MAX_BLOCK_BYTES);
        assertEquals(DecodeError.OK, validateExact(block, 0, block.length));

        // One more receipt or one more vote, spliced in with the count bumped.
        final byte[] moreReceipts = insertReceipt(certified);
        assertEquals(certified.length + Layout.RECEIPT_ENTRY_LENGTH, moreReceipts.length);
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, validateExact(moreReceipts, 0, moreReceipts.length));
        final byte[] moreVotes = insertVote(certified);
        assertEquals(certified.length + Layout.VOTE_ENTRY_LENGTH + Layout.TX_LENGTH_PREFIX + Layout.SWAP_LENGTH, moreVotes.length);
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, validateExact(moreVotes, 0, moreVotes.length));

        // The same splices one below the limits are valid, so the count alone is what fails above.
        final byte[] below = Samples.certified(random, receipts - 1, votes - 1, 3);
        final byte[] belowGrown = insertVote(insertReceipt(below));
        assertEquals(DecodeError.OK, validateExact(belowGrown, 0, belowGrown.length));
        final byte[] grownTwice = insertReceipt(belowGrown);
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, validateExact(grownTwice, 0, grownTwice.length));
        final byte[] votedTwice = insertVote(belowGrown);
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, validateExact(votedTwice, 0, votedTwice.length));
    }

    @Test
    void blockLimitsHoldAtTheBoundary()
    {
        final byte[] transfer = Samples.transfer(random);
        assertEquals(DecodeError.OK, blockWith(ProtocolLimits.MAX_PARENTS, ProtocolLimits.MAX_BLOCK_TXS, transfer));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, blockWith(ProtocolLimits.MAX_PARENTS + 1, 0, transfer));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, blockWith(0, ProtocolLimits.MAX_BLOCK_TXS + 1, transfer));
    }

    @Test
    void blockAuthorsAreCommitteeIndices()
    {
        final byte[] block = Samples.block(random, 2, 1);
        final int author = ROOT + BlockDecoder.authorEncodingOffset();
        final int firstParentAuthor = ROOT + BlockDecoder.BLOCK_LENGTH + Layout.GROUP_HEADER_LENGTH +
            BlockDecoder.ParentsDecoder.authorEncodingOffset();
        assertEquals(DecodeError.OK, mutate(block, bytes -> put16(bytes, author, ProtocolLimits.MAX_COMMITTEE - 1)));
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, mutate(block, bytes -> put16(bytes, author, ProtocolLimits.MAX_COMMITTEE)));
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, mutate(block, bytes -> put16(bytes, firstParentAuthor, 0xFFFF)));
    }

    @Test
    void oversizedRegionsAreRejectedBeforeTheyAreWalked()
    {
        final byte[] block = Samples.block(random, 1, 1);
        final byte[] huge = new byte[ProtocolLimits.MAX_BLOCK_BYTES + 1];
        System.arraycopy(block, 0, huge, 0, block.length);
        assertEquals(DecodeError.OVERSIZED, MessageValidator.validate(new UnsafeBuffer(huge), 0, huge.length));
        assertEquals(DecodeError.TRAILING_BYTES, MessageValidator.validate(new UnsafeBuffer(huge), 0, ProtocolLimits.MAX_BLOCK_BYTES));

        final byte[] enormous = new byte[ProtocolLimits.MAX_MESSAGE_BYTES + 1];
        System.arraycopy(block, 0, enormous, 0, block.length);
        assertEquals(DecodeError.OVERSIZED, MessageValidator.validate(new UnsafeBuffer(enormous), 0, enormous.length));
    }

    @Test
    void embeddedLengthsAreBounded()
    {
        // A transaction in a block may not claim more than MAX_BLOCK_TX_BYTES.
        final byte[] block = Samples.block(random, 0, 1);
        final int txLength = MutationProperties.firstTransactionOffset(block) - Layout.TX_LENGTH_PREFIX;
        assertEquals(DecodeError.OVERSIZED, mutate(block, bytes -> put16(bytes, txLength, 0xFFFF)));
        assertEquals(DecodeError.TRUNCATED, mutate(block, bytes -> put16(bytes, txLength, ProtocolLimits.MAX_BLOCK_TX_BYTES)));

        // A submitted transaction may not claim more than MAX_TX_BYTES.
        final byte[] submit = Samples.submitTx(random);
        final int submitLength = ROOT + SubmitTxDecoder.BLOCK_LENGTH;
        assertEquals(DecodeError.OVERSIZED, mutate(submit, bytes -> put16(bytes, submitLength, ProtocolLimits.MAX_TX_BYTES + 1)));

        // A block in a response may not claim more than MAX_BLOCK_BYTES.
        final byte[] response = Samples.blockResponse(random, 1);
        final int blockLength = ROOT + 10 + Layout.GROUP_HEADER_LENGTH;
        assertEquals(DecodeError.OVERSIZED, mutate(response, bytes ->
            new UnsafeBuffer(bytes).putInt(blockLength, ProtocolLimits.MAX_BLOCK_BYTES + 1, ByteOrder.LITTLE_ENDIAN)));
        assertEquals(DecodeError.OVERSIZED, mutate(response, bytes ->
            new UnsafeBuffer(bytes).putInt(blockLength, -1, ByteOrder.LITTLE_ENDIAN)));
    }

    @Test
    void clientsMaySubmitOnlyUserTransactions()
    {
        assertEquals(DecodeError.OK, validateSubmit(Samples.transfer(random)));
        assertEquals(DecodeError.OK, validateSubmit(Samples.createAsset(random)));
        assertEquals(DecodeError.OK, validateSubmit(Samples.swap(random)));
        assertEquals(DecodeError.INVALID_NESTED, validateSubmit(Samples.certified(random, 1, 0, 1)));
        assertEquals(DecodeError.INVALID_NESTED, validateSubmit(Samples.certified(random, 0, 1, 1)));
        // Two votes carry two Swaps: longer than any user transaction.
        assertEquals(DecodeError.OVERSIZED, validateSubmit(Samples.certified(random, 0, 2, 1)));
        assertEquals(DecodeError.INVALID_NESTED, validateSubmit(Samples.finalityEvent(random)));
        assertEquals(DecodeError.INVALID_NESTED, validateSubmit(new byte[0]));
    }

    @Test
    void blocksMayNotNestBlocksAndResponsesOnlyCarryBlocks()
    {
        final byte[] inner = Samples.block(random, 0, 0);
        final UnsafeBuffer buffer = Samples.scratch();
        final int length = new BlockEncoding().begin(buffer, 0, 0, 0, 1, 1, 0).transactions(1).transaction(inner).finish();
        assertEquals(DecodeError.INVALID_NESTED, MessageValidator.validate(buffer, 0, length));

        final byte[] response = Samples.blockResponse(1, 2, new byte[][] { Samples.transfer(random) });
        assertEquals(DecodeError.INVALID_NESTED, validateExact(response, 0, response.length));
        final byte[] empty = Samples.blockResponse(1, 2, new byte[0][]);
        assertEquals(DecodeError.OK, validateExact(empty, 0, empty.length));
    }

    @Test
    void requestsAndResponsesRespectTheirLimits()
    {
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, blockRequest(0));
        assertEquals(DecodeError.OK, blockRequest(1));
        assertEquals(DecodeError.OK, blockRequest(ProtocolLimits.MAX_REQUEST_REFS));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, blockRequest(ProtocolLimits.MAX_REQUEST_REFS + 1));

        final byte[] empty = Samples.block(random, 0, 0);
        final byte[][] full = new byte[ProtocolLimits.MAX_RESPONSE_BLOCKS + 1][];
        Arrays.fill(full, empty);
        final byte[] tooMany = Samples.blockResponse(1, 2, full);
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, validateExact(tooMany, 0, tooMany.length));
        final byte[] atLimit = Samples.blockResponse(1, 2, Arrays.copyOf(full, ProtocolLimits.MAX_RESPONSE_BLOCKS));
        assertEquals(DecodeError.OK, validateExact(atLimit, 0, atLimit.length));
    }

    @Test
    void rangeRequestsAreNonEmptyForwardAndBounded()
    {
        final int max = ProtocolLimits.MAX_RANGE_ROUNDS;
        assertEquals(DecodeError.OK, range(5, 5));
        assertEquals(DecodeError.OK, range(5, 5 + max - 1));
        assertEquals(DecodeError.BAD_RANGE, range(5, 5 + max));
        assertEquals(DecodeError.BAD_RANGE, range(6, 5));
        assertEquals(DecodeError.OK, range(-2, -1));                   // rounds are unsigned: 2^64-2 .. 2^64-1
        assertEquals(DecodeError.BAD_RANGE, range(-1, 0));
        assertEquals(DecodeError.BAD_RANGE, range(0, -1));
        final byte[] badRequester = Samples.rangeRequest(1, ProtocolLimits.MAX_COMMITTEE, 1, 2);
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, validateExact(badRequester, 0, badRequester.length));
    }

    @Test
    void clientEnumsAreChecked()
    {
        final byte[] ack = Samples.submitAck(random);
        final int status = ROOT + SubmitAckDecoder.statusEncodingOffset();
        assertEquals(DecodeError.BAD_ENUM, mutate(ack, bytes -> bytes[status] = 0));
        assertEquals(DecodeError.BAD_ENUM, mutate(ack, bytes -> bytes[status] = 4));
        assertEquals(DecodeError.OK, mutate(ack, bytes -> bytes[status] = 3));

        final byte[] event = Samples.finalityEvent(random);
        final int level = ROOT + FinalityEventDecoder.levelEncodingOffset();
        assertEquals(DecodeError.BAD_ENUM, mutate(event, bytes -> bytes[level] = 5));
        assertEquals(DecodeError.BAD_ENUM, mutate(event, bytes -> bytes[level] = (byte)255));
        assertEquals(DecodeError.OK, mutate(event, bytes -> bytes[level] = 4));
    }

    @Test
    void validatingAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] blockBytes = Samples.block(random, 4, 8);
        final UnsafeBuffer block = new UnsafeBuffer(blockBytes);
        final byte[] transferBytes = Samples.transfer(random);
        final UnsafeBuffer transfer = new UnsafeBuffer(transferBytes);
        final long threadId = Thread.currentThread().threadId();

        int ok = 0;
        for (int warmup = 0; warmup < 20_000; warmup++)
        {
            ok += MessageValidator.validate(block, 0, blockBytes.length).isOk() ? 1 : 0;
            ok += MessageValidator.validateUserTransaction(transfer, 0, transferBytes.length).isOk() ? 1 : 0;
        }
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100_000; i++)
        {
            ok += MessageValidator.validate(block, 0, blockBytes.length).isOk() ? 1 : 0;
            ok += MessageValidator.validateUserTransaction(transfer, 0, transferBytes.length).isOk() ? 1 : 0;
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertEquals(2 * 120_000, ok);
        // 200 000 validations: anything per call would show up as megabytes.
        assertTrue(allocated < 4096, "validation allocated " + allocated + " bytes");
    }

    // ---------------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Mutation
    {
        void apply(byte[] bytes);
    }

    private static DecodeError mutate(final byte[] message, final Mutation mutation)
    {
        final byte[] bytes = message.clone();
        mutation.apply(bytes);
        return validateExact(bytes, 0, bytes.length);
    }

    /** One receipt, one vote and arbitrary signer indices (ours asserts they increase; the generated encoder does not). */
    private DecodeError certifiedWithSigners(final int... signers)
    {
        final UnsafeBuffer buffer = scratchWith(1, 2, 1, 1, signers);
        final int length = Layout.certifiedMessageLength(1, 1, signers.length);
        return validateExact(Samples.copy(buffer, length), 0, length);
    }

    /** A certified message with any shards and counts, signed by validator 0. */
    private DecodeError certified(final int sourceShard, final int destShard, final int receipts, final int votes)
    {
        final UnsafeBuffer buffer = scratchWith(sourceShard, destShard, receipts, votes, 0);
        final int length = Layout.certifiedMessageLength(receipts, votes, 1);
        return validateExact(Samples.copy(buffer, length), 0, length);
    }

    private static DecodeError certified(final Samples.Certified fields)
    {
        final UnsafeBuffer buffer = Samples.scratch();
        final int length = fields.encode(new TransactionEncoding(), buffer, 0);
        return validateExact(Samples.copy(buffer, length), 0, length);
    }

    /**
     * Encodes through the generated encoder so that what the protocol forbids (equal shards, counts
     * past the limits, any signers) can be written; every vote carries a valid Swap.
     */
    private UnsafeBuffer scratchWith(
        final int sourceShard, final int destShard, final int receipts, final int votes, final int... signers)
    {
        final UnsafeBuffer buffer = Samples.scratch();
        final CertifiedMessageEncoder encoder = new CertifiedMessageEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .sourceShard(sourceShard).destShard(destShard).seq(3).sourceTimeMs(4)
            .putPayloadRoot(Samples.bytes(random, 32), 0, 32);
        final CertifiedMessageEncoder.ReceiptsEncoder receiptGroup = encoder.receiptsCount(receipts);
        for (int i = 0; i < receipts; i++)
        {
            receiptGroup.next().putTxId(Samples.bytes(random, 32), 0, 32).putTo(Samples.bytes(random, 32), 0, 32)
                .assetId(i).amount(i);
        }
        final byte[] swap = Samples.swap(random);
        final CertifiedMessageEncoder.VotesEncoder voteGroup = encoder.votesCount(votes);
        for (int i = 0; i < votes; i++)
        {
            voteGroup.next().putSwapId(Samples.bytes(random, 32), 0, 32)
                .vote(i % 2 == 0 ? SwapVote.PREPARED : SwapVote.ABORT).putSwap(swap, 0, swap.length);
        }
        final CertifiedMessageEncoder.SignaturesEncoder signatureGroup = encoder.signaturesCount(signers.length);
        for (final int signer : signers)
        {
            signatureGroup.next().signer(signer).putSignature(Samples.bytes(random, 64), 0, 64);
        }
        assertEquals(Layout.certifiedMessageLength(receipts, votes, signers.length), ROOT + encoder.encodedLength());
        return buffer;
    }

    /** Adds one receipt (a copy of the first) to a certified message by splicing bytes and bumping the count. */
    private static byte[] insertReceipt(final byte[] message)
    {
        final int group = ROOT + CertifiedMessageDecoder.BLOCK_LENGTH;
        return duplicateFirstEntry(message, group, group + Layout.GROUP_HEADER_LENGTH, Layout.RECEIPT_ENTRY_LENGTH);
    }

    /** Adds one vote (a copy of the first, Swap included) to a certified message with at least one vote. */
    private static byte[] insertVote(final byte[] message)
    {
        final int first = voteEntry(message, 0);
        return duplicateFirstEntry(message, first - Layout.GROUP_HEADER_LENGTH, first,
            Layout.VOTE_ENTRY_LENGTH + Layout.TX_LENGTH_PREFIX + u16(message, first + Layout.VOTE_ENTRY_LENGTH));
    }

    private static byte[] duplicateFirstEntry(final byte[] message, final int group, final int entry, final int entryLength)
    {
        final byte[] grown = new byte[message.length + entryLength];
        System.arraycopy(message, 0, grown, 0, entry);
        System.arraycopy(message, entry, grown, entry, entryLength);
        System.arraycopy(message, entry, grown, entry + entryLength, message.length - entry);
        put16(grown, group + 2, u16(message, group + 2) + 1);
        return grown;
    }

    private static DecodeError blockWith(final int parents, final int txs, final byte[] tx)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProtocolLimits.MAX_BLOCK_BYTES]);
        final BlockEncoder encoder = new BlockEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .shardId(1).author(2).round(3).timestampMs(4);
        final BlockEncoder.ParentsEncoder parentGroup = encoder.parentsCount(parents);
        for (int i = 0; i < parents; i++)
        {
            parentGroup.next().author(i % ProtocolLimits.MAX_COMMITTEE).round(2).putDigest(new byte[32], 0, 32);
        }
        final BlockEncoder.TransactionsEncoder txGroup = encoder.transactionsCount(txs);
        for (int i = 0; i < txs; i++)
        {
            txGroup.next().putTx(tx, 0, tx.length);
        }
        encoder.signaturesCount(1).next().putSignature(new byte[64], 0, 64);
        final int length = ROOT + encoder.encodedLength();
        assertTrue(length <= ProtocolLimits.MAX_BLOCK_BYTES);
        return validateExact(Samples.copy(buffer, length), 0, length);
    }

    private DecodeError blockRequest(final int refs)
    {
        final UnsafeBuffer buffer = Samples.scratch();
        final BlockRequestEncoder encoder = new BlockRequestEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .requestId(1).requester(2);
        final BlockRequestEncoder.RefsEncoder group = encoder.refsCount(refs);
        for (int i = 0; i < refs; i++)
        {
            group.next().author(i % ProtocolLimits.MAX_COMMITTEE).round(i).putDigest(Samples.bytes(random, 32), 0, 32);
        }
        final int length = ROOT + encoder.encodedLength();
        return validateExact(Samples.copy(buffer, length), 0, length);
    }

    private static DecodeError range(final long fromRound, final long toRound)
    {
        final byte[] bytes = Samples.rangeRequest(1, 2, fromRound, toRound);
        return validateExact(bytes, 0, bytes.length);
    }

    private static DecodeError validateSubmit(final byte[] tx)
    {
        final byte[] bytes = Samples.submitTx(7, tx);
        return validateExact(bytes, 0, bytes.length);
    }

    // OpaquePayload (template 20): inside blocks, never from clients.

    @Test
    void opaquePayloadIsABlockTransactionButNotAUserTransaction()
    {
        for (final int payloadBytes : new int[] { 0, 1, 100, ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES })
        {
            final byte[] payload = Samples.opaquePayload(random, payloadBytes);
            final UnsafeBuffer buffer = new UnsafeBuffer(payload);
            assertEquals(Layout.opaquePayloadLength(payloadBytes), payload.length);
            assertEquals(DecodeError.OK, validateExact(payload, 0, payload.length), payloadBytes + " bytes");
            assertEquals(DecodeError.OK, MessageValidator.validateTransaction(buffer, 0, payload.length));
            assertEquals(DecodeError.UNEXPECTED_TEMPLATE, MessageValidator.validateUserTransaction(buffer, 0, payload.length));
            assertEquals(-1, SignedRegion.signedLength(buffer, 0, payload.length), "an opaque payload carries no signatures");
        }
        assertTrue(Templates.isTransaction(Templates.OPAQUE_PAYLOAD));
        assertEquals(false, Templates.isUserTransaction(Templates.OPAQUE_PAYLOAD));
        assertEquals(false, Templates.isSigned(Templates.OPAQUE_PAYLOAD));
    }

    @Test
    void opaquePayloadIsBoundedByTheProtocolLimit()
    {
        final int over = ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES + 1;
        final byte[] payload = new byte[Layout.opaquePayloadLength(over)];
        final UnsafeBuffer buffer = new UnsafeBuffer(payload);
        final int length = new OpaquePayloadEncoding().encode(buffer, 0, new byte[0], 0, 0);
        put16(payload, length - Layout.TX_LENGTH_PREFIX, over);
        assertEquals(DecodeError.OVERSIZED, validateExact(payload, 0, payload.length));
        assertThrows(IllegalArgumentException.class,
            () -> new OpaquePayloadEncoding().encode(buffer, 0, new byte[over], 0, over));
    }

    @Test
    void blockMayCarryOpaquePayloadsButSubmitTxMayNot()
    {
        final byte[][] txs = { Samples.opaquePayload(random, 100), Samples.transfer(random), Samples.opaquePayload(random, 0) };
        final UnsafeBuffer scratch = Samples.scratch();
        final int length = new BlockEncoding().encode(scratch, 0, 1, 2, 3, 4, 0, new int[0], new long[0], new byte[0][],
            txs.length, txs);
        final byte[] block = Samples.copy(scratch, length);
        assertEquals(DecodeError.OK, validateExact(block, 0, block.length));

        final byte[] submit = Samples.submitTx(7, Samples.opaquePayload(random, 100));
        assertEquals(DecodeError.INVALID_NESTED, validateExact(submit, 0, submit.length));
    }
}
