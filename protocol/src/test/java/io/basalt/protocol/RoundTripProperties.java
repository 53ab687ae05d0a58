package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockRangeRequestDecoder;
import io.basalt.protocol.sbe.BlockRangeRequestEncoder;
import io.basalt.protocol.sbe.BlockRequestDecoder;
import io.basalt.protocol.sbe.BlockRequestEncoder;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.BlockResponseEncoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.FinalityEventEncoder;
import io.basalt.protocol.sbe.FinalityLevel;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.SubmitAckEncoder;
import io.basalt.protocol.sbe.SubmitStatus;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import io.basalt.protocol.sbe.SubmitTxEncoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.SwapVote;
import io.basalt.protocol.sbe.TransferDecoder;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Encode random field values, validate, decode with the generated decoders: the values come back,
 * the decoders consume exactly the validated length, and the signed region ends where the decoder
 * finds the signatures group.
 */
class RoundTripProperties
{
    private static final int SIGNATURES_HEADER = Layout.GROUP_HEADER_LENGTH;

    private final TransactionEncoding transactions = new TransactionEncoding();
    private final BlockEncoding blocks = new BlockEncoding();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Property
    void transferRoundTrips(
        @ForAll int networkId, @ForAll long fee, @ForAll long nonce, @ForAll long expiryMs,
        @ForAll @Size(32) byte[] from, @ForAll @Size(32) byte[] to, @ForAll int assetId, @ForAll long amount,
        @ForAll @Size(64) byte[] signature, @ForAll @IntRange(max = 64) int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.TRANSFER_LENGTH]);
        final int length = transactions.encodeTransfer(buffer, offset, networkId, fee, nonce, expiryMs, from, to, assetId, amount);
        assertEquals(Layout.TRANSFER_LENGTH, length);
        assertEquals(Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.BLOCK_LENGTH, SignedRegion.signedLength(buffer, offset, length));
        SignedRegion.putSignature(buffer, offset, length, 0, signature);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length));
        assertEquals(DecodeError.OK, MessageValidator.validateUserTransaction(buffer, offset, length));

        final TransferDecoder decoder = new TransferDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(Integer.toUnsignedLong(networkId), decoder.networkId());
        assertEquals(fee, decoder.fee());
        assertEquals(nonce, decoder.nonce());
        assertEquals(expiryMs, decoder.expiryMs());
        assertArrayEquals(from, key(decoder::getFrom));
        assertArrayEquals(to, key(decoder::getTo));
        assertEquals(Integer.toUnsignedLong(assetId), decoder.assetId());
        assertEquals(amount, decoder.amount());
        assertEquals(offset + SignedRegion.signedLength(buffer, offset, length), decoder.limit());
        final TransferDecoder.SignaturesDecoder signatures = decoder.signatures();
        assertEquals(1, signatures.count());
        assertArrayEquals(signature, signature(signatures.next()::getSignature));
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void createAssetRoundTrips(
        @ForAll int networkId, @ForAll long fee, @ForAll long nonce, @ForAll long expiryMs,
        @ForAll @Size(32) byte[] issuer, @ForAll int assetId, @ForAll long supply, @ForAll @IntRange(max = 255) int decimals,
        @ForAll @Size(64) byte[] signature, @ForAll @IntRange(max = 64) int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.CREATE_ASSET_LENGTH]);
        final int length = transactions.encodeCreateAsset(buffer, offset, networkId, fee, nonce, expiryMs, issuer, assetId, supply, decimals);
        assertEquals(Layout.CREATE_ASSET_LENGTH, length);
        SignedRegion.putSignature(buffer, offset, length, 0, signature);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length));

        final CreateAssetDecoder decoder = new CreateAssetDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(Integer.toUnsignedLong(networkId), decoder.networkId());
        assertEquals(fee, decoder.fee());
        assertEquals(nonce, decoder.nonce());
        assertEquals(expiryMs, decoder.expiryMs());
        assertArrayEquals(issuer, key(decoder::getIssuer));
        assertEquals(Integer.toUnsignedLong(assetId), decoder.assetId());
        assertEquals(supply, decoder.supply());
        assertEquals(decimals, decoder.decimals());
        assertEquals(offset + SignedRegion.signedLength(buffer, offset, length), decoder.limit());
        final CreateAssetDecoder.SignaturesDecoder signatures = decoder.signatures();
        assertEquals(1, signatures.count());
        assertArrayEquals(signature, signature(signatures.next()::getSignature));
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void swapRoundTrips(
        @ForAll int networkId, @ForAll long fee, @ForAll long nonce, @ForAll long expiryMs,
        @ForAll @Size(32) byte[] partyA, @ForAll int assetA, @ForAll long amountA,
        @ForAll @Size(32) byte[] partyB, @ForAll int assetB, @ForAll long amountB,
        @ForAll @Size(64) byte[] signatureA, @ForAll @Size(64) byte[] signatureB, @ForAll @IntRange(max = 64) int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.SWAP_LENGTH]);
        final int length = transactions.encodeSwap(buffer, offset, networkId, fee, nonce, expiryMs,
            partyA, assetA, amountA, partyB, assetB, amountB);
        assertEquals(Layout.SWAP_LENGTH, length);
        assertEquals(2, SignedRegion.signatureCount(buffer, offset, length));
        assertEquals(length - SIGNATURES_HEADER - 2 * 64, SignedRegion.signedLength(buffer, offset, length));
        SignedRegion.putSignature(buffer, offset, length, 0, signatureA);
        SignedRegion.putSignature(buffer, offset, length, 1, signatureB);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length));

        final SwapDecoder decoder = new SwapDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(Integer.toUnsignedLong(networkId), decoder.networkId());
        assertEquals(fee, decoder.fee());
        assertEquals(nonce, decoder.nonce());
        assertEquals(expiryMs, decoder.expiryMs());
        assertArrayEquals(partyA, key(decoder::getPartyA));
        assertEquals(Integer.toUnsignedLong(assetA), decoder.assetA());
        assertEquals(amountA, decoder.amountA());
        assertArrayEquals(partyB, key(decoder::getPartyB));
        assertEquals(Integer.toUnsignedLong(assetB), decoder.assetB());
        assertEquals(amountB, decoder.amountB());
        final SwapDecoder.SignaturesDecoder signatures = decoder.signatures();
        assertEquals(2, signatures.count());
        assertArrayEquals(signatureA, signature(signatures.next()::getSignature));
        assertArrayEquals(signatureB, signature(signatures.next()::getSignature));
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void certifiedMessageRoundTrips(
        @ForAll long seed, @ForAll @IntRange(max = 12) int receiptCount, @ForAll @IntRange(max = 4) int voteCount,
        @ForAll @IntRange(min = 1, max = 12) int signerCount, @ForAll @IntRange(max = 64) int offset)
    {
        Assume.that(receiptCount + voteCount > 0);
        final Random random = new Random(seed);
        final Samples.Certified fields = Samples.Certified.random(random, receiptCount, voteCount, signerCount);
        final int expectedLength = Layout.certifiedMessageLength(receiptCount, voteCount, signerCount);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + expectedLength]);
        final int length = fields.encode(transactions, buffer, offset);
        assertEquals(expectedLength, length);

        // The signed prefix ends at the signatures group header, after the last vote's Swap.
        final int signed = SignedRegion.signedLength(buffer, offset, length);
        assertEquals(length - SIGNATURES_HEADER - signerCount * Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH, signed);
        assertEquals(Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH, buffer.getShort(offset + signed, ByteOrder.LITTLE_ENDIAN));
        assertEquals(signerCount, buffer.getShort(offset + signed + 2, ByteOrder.LITTLE_ENDIAN));
        final byte[] prefix = new byte[signed];
        buffer.getBytes(offset, prefix);
        final byte[][] signatures = new byte[signerCount][];
        for (int i = 0; i < signerCount; i++)
        {
            signatures[i] = Samples.bytes(random, 64);
            SignedRegion.putSignature(buffer, offset, length, i, signatures[i]);
            assertEquals(offset + signed + SIGNATURES_HEADER + i * Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH + 2,
                SignedRegion.signatureOffset(buffer, offset, length, i));
        }
        final byte[] prefixAfterSigning = new byte[signed];
        buffer.getBytes(offset, prefixAfterSigning);
        assertArrayEquals(prefix, prefixAfterSigning);
        assertEquals(DecodeError.OK, MessageValidator.validateTransaction(buffer, offset, length));
        assertEquals(DecodeError.UNEXPECTED_TEMPLATE, MessageValidator.validateUserTransaction(buffer, offset, length));

        final CertifiedMessageDecoder decoder = new CertifiedMessageDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(fields.sourceShard(), decoder.sourceShard());
        assertEquals(fields.destShard(), decoder.destShard());
        assertEquals(fields.seq(), decoder.seq());
        assertEquals(fields.sourceTimeMs(), decoder.sourceTimeMs());
        assertArrayEquals(fields.payloadRoot(), key(decoder::getPayloadRoot));
        final CertifiedMessageDecoder.ReceiptsDecoder receiptsDecoder = decoder.receipts();
        assertEquals(receiptCount, receiptsDecoder.count());
        for (int i = 0; i < receiptCount; i++)
        {
            receiptsDecoder.next();
            assertArrayEquals(fields.txIds()[i], key(receiptsDecoder::getTxId));
            assertArrayEquals(fields.tos()[i], key(receiptsDecoder::getTo));
            assertEquals(Integer.toUnsignedLong(fields.assetIds()[i]), receiptsDecoder.assetId());
            assertEquals(fields.amounts()[i], receiptsDecoder.amount());
        }
        final CertifiedMessageDecoder.VotesDecoder votesDecoder = decoder.votes();
        assertEquals(voteCount, votesDecoder.count());
        for (int i = 0; i < voteCount; i++)
        {
            votesDecoder.next();
            assertArrayEquals(fields.swapIds()[i], key(votesDecoder::getSwapId));
            assertEquals(fields.votes()[i], votesDecoder.vote());
            assertEquals(Layout.SWAP_LENGTH, votesDecoder.swapLength());
            final int swapStart = decoder.limit() + Layout.TX_LENGTH_PREFIX;
            final byte[] swap = new byte[votesDecoder.swapLength()];
            assertEquals(swap.length, votesDecoder.getSwap(swap, 0, swap.length));
            assertArrayEquals(fields.swaps()[i], swap);
            // The nested Swap is valid in place, where a validator that walks the votes finds it.
            assertEquals(DecodeError.OK, MessageValidator.validate(buffer, swapStart, swap.length, Templates.SWAP));
        }
        assertEquals(offset + signed, decoder.limit());
        final CertifiedMessageDecoder.SignaturesDecoder signaturesDecoder = decoder.signatures();
        assertEquals(signerCount, signaturesDecoder.count());
        assertEquals(signerCount, SignedRegion.signatureCount(buffer, offset, length));
        for (int i = 0; i < signerCount; i++)
        {
            signaturesDecoder.next();
            assertEquals(fields.signers()[i], signaturesDecoder.signer());
            assertEquals(fields.signers()[i], SignedRegion.certifiedSigner(buffer, offset, length, i));
            assertArrayEquals(signatures[i], signature(signaturesDecoder::getSignature));
        }
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void everySwapVoteRoundTrips(@ForAll SwapVote vote, @ForAll long seed)
    {
        Assume.that(vote != SwapVote.NULL_VAL);
        final Random random = new Random(seed);
        final Samples.Certified drawn = Samples.Certified.random(random, 0, 1, 1);
        final Samples.Certified fields = new Samples.Certified(drawn.sourceShard(), drawn.destShard(), drawn.seq(),
            drawn.sourceTimeMs(), drawn.payloadRoot(), drawn.txIds(), drawn.tos(), drawn.assetIds(), drawn.amounts(),
            drawn.swapIds(), new SwapVote[] { vote }, drawn.swaps(), drawn.signers());
        final UnsafeBuffer buffer = Samples.scratch();
        final int length = fields.encode(transactions, buffer, 0);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, 0, length));
        final CertifiedMessageDecoder decoder = new CertifiedMessageDecoder().wrapAndApplyHeader(buffer, 0, header);
        assertEquals(0, decoder.receipts().count());
        final CertifiedMessageDecoder.VotesDecoder votes = decoder.votes();
        assertEquals(1, votes.count());
        assertEquals(vote, votes.next().vote());
        assertEquals(vote.value(), votes.voteRaw());
    }

    @Property
    void blockRoundTrips(
        @ForAll long seed, @ForAll @IntRange(max = 8) int parentCount, @ForAll @IntRange(max = 8) int txCount,
        @ForAll @IntRange(max = 64) int offset)
    {
        final Random random = new Random(seed);
        final int shardId = random.nextInt(0x10000);
        final int author = random.nextInt(ProtocolLimits.MAX_COMMITTEE);
        final long round = random.nextLong();
        final long timestampMs = random.nextLong();
        final int[] parentAuthors = new int[parentCount];
        final long[] parentRounds = new long[parentCount];
        final byte[][] parentDigests = new byte[parentCount][];
        for (int i = 0; i < parentCount; i++)
        {
            parentAuthors[i] = random.nextInt(ProtocolLimits.MAX_COMMITTEE);
            parentRounds[i] = random.nextLong();
            parentDigests[i] = Samples.bytes(random, 32);
        }
        final byte[][] txs = new byte[txCount][];
        long txBytes = 0;
        for (int i = 0; i < txCount; i++)
        {
            txs[i] = Samples.anyTransaction(random);
            txBytes += txs[i].length;
        }
        final int expectedLength = (int)Layout.blockLength(parentCount, txCount, txBytes);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + expectedLength]);
        final int length = blocks.encode(buffer, offset, shardId, author, round, timestampMs,
            parentCount, parentAuthors, parentRounds, parentDigests, txCount, txs);
        assertEquals(expectedLength, length);
        assertEquals(length - SIGNATURES_HEADER - 64, SignedRegion.signedLength(buffer, offset, length));
        final byte[] signature = Samples.bytes(random, 64);
        SignedRegion.putSignature(buffer, offset, length, 0, signature);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length, Templates.BLOCK));

        final BlockDecoder decoder = new BlockDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(shardId, decoder.shardId());
        assertEquals(author, decoder.author());
        assertEquals(round, decoder.round());
        assertEquals(timestampMs, decoder.timestampMs());
        final BlockDecoder.ParentsDecoder parents = decoder.parents();
        assertEquals(parentCount, parents.count());
        for (int i = 0; i < parentCount; i++)
        {
            parents.next();
            assertEquals(parentAuthors[i], parents.author());
            assertEquals(parentRounds[i], parents.round());
            assertArrayEquals(parentDigests[i], key(parents::getDigest));
        }
        final BlockDecoder.TransactionsDecoder transactionsDecoder = decoder.transactions();
        assertEquals(txCount, transactionsDecoder.count());
        for (int i = 0; i < txCount; i++)
        {
            transactionsDecoder.next();
            final byte[] tx = new byte[transactionsDecoder.txLength()];
            transactionsDecoder.getTx(tx, 0, tx.length);
            assertArrayEquals(txs[i], tx);
        }
        assertEquals(offset + SignedRegion.signedLength(buffer, offset, length), decoder.limit());
        final BlockDecoder.SignaturesDecoder signatures = decoder.signatures();
        assertEquals(1, signatures.count());
        assertArrayEquals(signature, signature(signatures.next()::getSignature));
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void blockRequestRoundTrips(
        @ForAll long requestId, @ForAll @IntRange(max = 255) int requester, @ForAll long seed,
        @ForAll @IntRange(min = 1, max = 16) int refCount, @ForAll @IntRange(max = 64) int offset)
    {
        final Random random = new Random(seed);
        final int[] authors = new int[refCount];
        final long[] rounds = new long[refCount];
        final byte[][] digests = new byte[refCount][];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.blockRequestLength(refCount)]);
        final BlockRequestEncoder encoder = new BlockRequestEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .requestId(requestId).requester(requester);
        final BlockRequestEncoder.RefsEncoder refs = encoder.refsCount(refCount);
        for (int i = 0; i < refCount; i++)
        {
            authors[i] = random.nextInt(ProtocolLimits.MAX_COMMITTEE);
            rounds[i] = random.nextLong();
            digests[i] = Samples.bytes(random, 32);
            refs.next().author(authors[i]).round(rounds[i]).putDigest(digests[i], 0, 32);
        }
        final int length = Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength();
        assertEquals(Layout.blockRequestLength(refCount), length);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length));

        final BlockRequestDecoder decoder = new BlockRequestDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(requestId, decoder.requestId());
        assertEquals(requester, decoder.requester());
        final BlockRequestDecoder.RefsDecoder refsDecoder = decoder.refs();
        assertEquals(refCount, refsDecoder.count());
        for (int i = 0; i < refCount; i++)
        {
            refsDecoder.next();
            assertEquals(authors[i], refsDecoder.author());
            assertEquals(rounds[i], refsDecoder.round());
            assertArrayEquals(digests[i], key(refsDecoder::getDigest));
        }
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void blockRangeRequestRoundTrips(
        @ForAll long requestId, @ForAll @IntRange(max = 255) int requester, @ForAll long fromRound,
        @ForAll @IntRange(max = ProtocolLimits.MAX_RANGE_ROUNDS - 1) int span, @ForAll @IntRange(max = 64) int offset)
    {
        final long toRound = fromRound + span;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.BLOCK_RANGE_REQUEST_LENGTH]);
        final BlockRangeRequestEncoder encoder = new BlockRangeRequestEncoder()
            .wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .requestId(requestId).requester(requester).fromRound(fromRound).toRound(toRound);
        final int length = Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength();
        // A range that wraps past 2^64 - 1 is reversed when read as unsigned rounds.
        final boolean wraps = Long.compareUnsigned(fromRound, toRound) > 0;
        assertEquals(wraps ? DecodeError.BAD_RANGE : DecodeError.OK, MessageValidator.validate(buffer, offset, length));

        final BlockRangeRequestDecoder decoder = new BlockRangeRequestDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(requestId, decoder.requestId());
        assertEquals(requester, decoder.requester());
        assertEquals(fromRound, decoder.fromRound());
        assertEquals(toRound, decoder.toRound());
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void blockResponseRoundTrips(
        @ForAll long requestId, @ForAll @IntRange(max = 255) int responder, @ForAll long seed,
        @ForAll @IntRange(max = 5) int blockCount, @ForAll @IntRange(max = 64) int offset)
    {
        final Random random = new Random(seed);
        final byte[][] encodedBlocks = new byte[blockCount][];
        long blockBytes = 0;
        for (int i = 0; i < blockCount; i++)
        {
            encodedBlocks[i] = Samples.block(random, random.nextInt(4), random.nextInt(4));
            blockBytes += encodedBlocks[i].length;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + (int)Layout.blockResponseLength(blockCount, blockBytes)]);
        final BlockResponseEncoder encoder = new BlockResponseEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .requestId(requestId).responder(responder);
        final BlockResponseEncoder.BlocksEncoder group = encoder.blocksCount(blockCount);
        for (final byte[] block : encodedBlocks)
        {
            group.next().putBlock(block, 0, block.length);
        }
        final int length = Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength();
        assertEquals(Layout.blockResponseLength(blockCount, blockBytes), length);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length));

        final BlockResponseDecoder decoder = new BlockResponseDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(requestId, decoder.requestId());
        assertEquals(responder, decoder.responder());
        final BlockResponseDecoder.BlocksDecoder blocksDecoder = decoder.blocks();
        assertEquals(blockCount, blocksDecoder.count());
        for (int i = 0; i < blockCount; i++)
        {
            blocksDecoder.next();
            final byte[] block = new byte[blocksDecoder.blockLength()];
            blocksDecoder.getBlock(block, 0, block.length);
            assertArrayEquals(encodedBlocks[i], block);
        }
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void submitTxRoundTrips(@ForAll long correlationId, @ForAll long seed, @ForAll @IntRange(max = 64) int offset)
    {
        final byte[] tx = Samples.userTransaction(new Random(seed));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.submitTxLength(tx.length)]);
        final SubmitTxEncoder encoder = new SubmitTxEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .correlationId(correlationId).putTx(tx, 0, tx.length);
        final int length = Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength();
        assertEquals(Layout.submitTxLength(tx.length), length);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length, Templates.SUBMIT_TX));

        final SubmitTxDecoder decoder = new SubmitTxDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(correlationId, decoder.correlationId());
        final byte[] decoded = new byte[decoder.txLength()];
        decoder.getTx(decoded, 0, decoded.length);
        assertArrayEquals(tx, decoded);
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void submitAckRoundTrips(
        @ForAll long correlationId, @ForAll @Size(32) byte[] txId, @ForAll SubmitStatus status,
        @ForAll @IntRange(max = 0xFFFF) int reason, @ForAll @IntRange(max = 64) int offset)
    {
        Assume.that(status != SubmitStatus.NULL_VAL);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.SUBMIT_ACK_LENGTH]);
        final SubmitAckEncoder encoder = new SubmitAckEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .correlationId(correlationId).putTxId(txId, 0, 32).status(status).reason(reason);
        final int length = Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength();
        assertEquals(Layout.SUBMIT_ACK_LENGTH, length);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length));

        final SubmitAckDecoder decoder = new SubmitAckDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertEquals(correlationId, decoder.correlationId());
        assertArrayEquals(txId, key(decoder::getTxId));
        assertEquals(status, decoder.status());
        assertEquals(reason, decoder.reason());
        assertEquals(offset + length, decoder.limit());
    }

    @Property
    void finalityEventRoundTrips(
        @ForAll @Size(32) byte[] txId, @ForAll @IntRange(max = 0xFFFF) int shardId, @ForAll FinalityLevel level,
        @ForAll @IntRange(max = 0xFFFF) int result, @ForAll long height, @ForAll long consensusTimeMs,
        @ForAll @IntRange(max = 64) int offset)
    {
        Assume.that(level != FinalityLevel.NULL_VAL);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Layout.FINALITY_EVENT_LENGTH]);
        final FinalityEventEncoder encoder = new FinalityEventEncoder().wrapAndApplyHeader(buffer, offset, new MessageHeaderEncoder())
            .putTxId(txId, 0, 32).shardId(shardId).level(level).result(result).height(height).consensusTimeMs(consensusTimeMs);
        final int length = Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength();
        assertEquals(Layout.FINALITY_EVENT_LENGTH, length);
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, offset, length));

        final FinalityEventDecoder decoder = new FinalityEventDecoder().wrapAndApplyHeader(buffer, offset, header);
        assertArrayEquals(txId, key(decoder::getTxId));
        assertEquals(shardId, decoder.shardId());
        assertEquals(level, decoder.level());
        assertEquals(result, decoder.result());
        assertEquals(height, decoder.height());
        assertEquals(consensusTimeMs, decoder.consensusTimeMs());
        assertEquals(offset + length, decoder.limit());
    }

    /** A generated {@code getX(byte[] dst, int dstOffset, int length)} accessor. */
    @FunctionalInterface
    interface BytesGetter
    {
        int get(byte[] dst, int dstOffset, int length);
    }

    private static byte[] key(final BytesGetter getter)
    {
        final byte[] bytes = new byte[32];
        assertEquals(32, getter.get(bytes, 0, 32));
        return bytes;
    }

    private static byte[] signature(final BytesGetter getter)
    {
        final byte[] bytes = new byte[64];
        assertEquals(64, getter.get(bytes, 0, 64));
        return bytes;
    }
}
