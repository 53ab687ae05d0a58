package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockEncoder;
import io.basalt.protocol.sbe.BlockRequestEncoder;
import io.basalt.protocol.sbe.CertifiedKind;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.CertifiedMessageEncoder;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static io.basalt.protocol.MutationProperties.put16;
import static io.basalt.protocol.MutationProperties.u16;
import static io.basalt.protocol.MutationProperties.validateExact;
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
        assertEquals(DecodeError.NONCANONICAL_SIGNERS, certifiedWithSigners(0, 2, 2));
        assertEquals(DecodeError.NONCANONICAL_SIGNERS, certifiedWithSigners(3, 1));
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, certifiedWithSigners(0, 256));
    }

    @Test
    void certifiedKindDecidesSubjectAndReceipts()
    {
        final byte[] subject = Samples.bytes(random, 32);
        assertEquals(DecodeError.OK, certified(CertifiedKind.SWAP_PREPARED, subject, 0));
        assertEquals(DecodeError.OK, certified(CertifiedKind.SWAP_ABORT, subject, 0));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, certified(CertifiedKind.SWAP_ABORT, subject, 1));
        assertEquals(DecodeError.OK, certified(CertifiedKind.RECEIPT_BATCH, new byte[32], 1));
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, certified(CertifiedKind.RECEIPT_BATCH, new byte[32], 0));
        assertEquals(DecodeError.BAD_FIELD_VALUE, certified(CertifiedKind.RECEIPT_BATCH, subject, 1));

        final byte[] message = Samples.certified(random, 0);
        final int kind = ROOT + CertifiedMessageDecoder.kindEncodingOffset();
        for (final int bad : new int[] { 0, 4, 255 })
        {
            assertEquals(DecodeError.BAD_ENUM, mutate(message, bytes -> bytes[kind] = (byte)bad));
        }
    }

    @Test
    void largestCertifiedMessageIsValidAndOneMoreReceiptIsNot()
    {
        final int receipts = ProtocolLimits.MAX_RECEIPTS;
        final int signers = ProtocolLimits.MAX_SIGNATURES;
        final UnsafeBuffer buffer = Samples.scratch();
        final int length = encodeCertified(buffer, CertifiedKind.RECEIPT_BATCH, new byte[32], receipts, signers);
        assertEquals(ProtocolLimits.MAX_CERTIFIED_BYTES, length);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, 0, length));

        // A block can carry it.
        final byte[] certified = Samples.copy(buffer, length);
        final byte[] block = Samples.copy(buffer, new BlockEncoding().begin(buffer, 0, 0, 0, 1, 1, 0)
            .transactions(1).transaction(certified).finish());
        assertEquals(DecodeError.OK, validateExact(block, 0, block.length));

        // One more receipt, encoded with the generated encoder's own (wider) limits.
        final int tooMany = encodeCertified(buffer, CertifiedKind.RECEIPT_BATCH, new byte[32], receipts, 1);
        final byte[] bytes = Samples.copy(buffer, tooMany);
        assertEquals(DecodeError.OK, validateExact(bytes, 0, bytes.length));
        final byte[] grown = insertReceipt(bytes);
        assertEquals(DecodeError.COUNT_OUT_OF_RANGE, validateExact(grown, 0, grown.length));
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
        assertEquals(DecodeError.INVALID_NESTED, validateSubmit(Samples.certified(random, 0)));
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

    /** A swap vote with arbitrary signer indices, written with the generated encoder (ours asserts they increase). */
    private DecodeError certifiedWithSigners(final int... signers)
    {
        final UnsafeBuffer buffer = Samples.scratch();
        final CertifiedMessageEncoder encoder = new CertifiedMessageEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .kind(CertifiedKind.SWAP_ABORT).sourceShard(1).destShard(2).seq(3)
            .putSubjectId(Samples.bytes(random, 32), 0, 32).putPayloadRoot(Samples.bytes(random, 32), 0, 32);
        encoder.receiptsCount(0);
        final CertifiedMessageEncoder.SignaturesEncoder group = encoder.signaturesCount(signers.length);
        for (final int signer : signers)
        {
            group.next().signer(signer).putSignature(Samples.bytes(random, 64), 0, 64);
        }
        final int length = ROOT + encoder.encodedLength();
        return validateExact(Samples.copy(buffer, length), 0, length);
    }

    private DecodeError certified(final CertifiedKind kind, final byte[] subject, final int receipts)
    {
        final UnsafeBuffer buffer = Samples.scratch();
        final int length = encodeCertified(buffer, kind, subject, receipts, 1);
        return validateExact(Samples.copy(buffer, length), 0, length);
    }

    /** Encodes through the generated encoder so that counts the protocol forbids can be written. */
    private int encodeCertified(
        final UnsafeBuffer buffer, final CertifiedKind kind, final byte[] subject, final int receipts, final int signers)
    {
        final CertifiedMessageEncoder encoder = new CertifiedMessageEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .kind(kind).sourceShard(1).destShard(2).seq(3)
            .putSubjectId(subject, 0, 32).putPayloadRoot(Samples.bytes(random, 32), 0, 32);
        final CertifiedMessageEncoder.ReceiptsEncoder receiptGroup = encoder.receiptsCount(receipts);
        for (int i = 0; i < receipts; i++)
        {
            receiptGroup.next().putTxId(Samples.bytes(random, 32), 0, 32).putTo(Samples.bytes(random, 32), 0, 32)
                .assetId(i).amount(i);
        }
        final CertifiedMessageEncoder.SignaturesEncoder signatureGroup = encoder.signaturesCount(signers);
        for (int i = 0; i < signers; i++)
        {
            signatureGroup.next().signer(i).putSignature(Samples.bytes(random, 64), 0, 64);
        }
        return ROOT + encoder.encodedLength();
    }

    /** Adds one receipt to a valid receipt batch by splicing bytes and bumping the count. */
    private static byte[] insertReceipt(final byte[] message)
    {
        final int group = ROOT + CertifiedMessageDecoder.BLOCK_LENGTH;
        final int count = u16(message, group + 2);
        final int insertAt = group + Layout.GROUP_HEADER_LENGTH;
        final byte[] grown = new byte[message.length + Layout.RECEIPT_ENTRY_LENGTH];
        System.arraycopy(message, 0, grown, 0, insertAt);
        System.arraycopy(message, insertAt, grown, insertAt + Layout.RECEIPT_ENTRY_LENGTH, message.length - insertAt);
        put16(grown, group + 2, count + 1);
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
}
