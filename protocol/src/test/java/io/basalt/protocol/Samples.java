package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockRangeRequestEncoder;
import io.basalt.protocol.sbe.BlockRequestEncoder;
import io.basalt.protocol.sbe.BlockResponseEncoder;
import io.basalt.protocol.sbe.CertifiedKind;
import io.basalt.protocol.sbe.FinalityEventEncoder;
import io.basalt.protocol.sbe.FinalityLevel;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckEncoder;
import io.basalt.protocol.sbe.SubmitStatus;
import io.basalt.protocol.sbe.SubmitTxEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Random;

/** Random valid messages of every template, for mutation and boundary tests. */
final class Samples
{
    /** Templates in the order {@link #message(int, Random)} numbers them. */
    static final int[] TEMPLATES = {
        Templates.TRANSFER, Templates.CREATE_ASSET, Templates.SWAP, Templates.CERTIFIED_MESSAGE, Templates.BLOCK,
        Templates.BLOCK_REQUEST, Templates.BLOCK_RANGE_REQUEST, Templates.BLOCK_RESPONSE,
        Templates.SUBMIT_TX, Templates.SUBMIT_ACK, Templates.FINALITY_EVENT };

    private Samples()
    {
    }

    /** A valid encoding of template {@code TEMPLATES[kind]}, exactly as long as the message. */
    static byte[] message(final int kind, final Random random)
    {
        return switch (TEMPLATES[kind])
        {
            case Templates.TRANSFER -> transfer(random);
            case Templates.CREATE_ASSET -> createAsset(random);
            case Templates.SWAP -> swap(random);
            case Templates.CERTIFIED_MESSAGE -> certified(random, random.nextInt(4));
            case Templates.BLOCK -> block(random, random.nextInt(5), random.nextInt(5));
            case Templates.BLOCK_REQUEST -> blockRequest(random, 1 + random.nextInt(4));
            case Templates.BLOCK_RANGE_REQUEST -> rangeRequest(random);
            case Templates.BLOCK_RESPONSE -> blockResponse(random, random.nextInt(3));
            case Templates.SUBMIT_TX -> submitTx(random);
            case Templates.SUBMIT_ACK -> submitAck(random);
            case Templates.FINALITY_EVENT -> finalityEvent(random);
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    static byte[] transfer(final Random random)
    {
        final UnsafeBuffer buffer = scratch();
        final int length = new TransactionEncoding().encodeTransfer(buffer, 0, random.nextInt(), random.nextLong(),
            random.nextLong(), random.nextLong(), bytes(random, 32), bytes(random, 32), random.nextInt(), random.nextLong());
        return signed(random, buffer, length);
    }

    static byte[] createAsset(final Random random)
    {
        final UnsafeBuffer buffer = scratch();
        final int length = new TransactionEncoding().encodeCreateAsset(buffer, 0, random.nextInt(), random.nextLong(),
            random.nextLong(), random.nextLong(), bytes(random, 32), random.nextInt(), random.nextLong(), random.nextInt(256));
        return signed(random, buffer, length);
    }

    static byte[] swap(final Random random)
    {
        final UnsafeBuffer buffer = scratch();
        final int length = new TransactionEncoding().encodeSwap(buffer, 0, random.nextInt(), random.nextLong(),
            random.nextLong(), random.nextLong(), bytes(random, 32), random.nextInt(), random.nextLong(),
            bytes(random, 32), random.nextInt(), random.nextLong());
        return signed(random, buffer, length);
    }

    /** A certified message; kind 0 is a receipt batch with 1 + extra receipts, 1-3 swap votes. */
    static byte[] certified(final Random random, final int extra)
    {
        final boolean batch = random.nextBoolean();
        final int receipts = batch ? 1 + extra : 0;
        final byte[][] txIds = new byte[receipts][];
        final byte[][] tos = new byte[receipts][];
        final int[] assets = new int[receipts];
        final long[] amounts = new long[receipts];
        for (int i = 0; i < receipts; i++)
        {
            txIds[i] = bytes(random, 32);
            tos[i] = bytes(random, 32);
            assets[i] = random.nextInt();
            amounts[i] = random.nextLong();
        }
        final int signerCount = 1 + random.nextInt(5);
        final int[] signers = increasingSigners(random, signerCount);
        final UnsafeBuffer buffer = scratch();
        final int length = new TransactionEncoding().encodeCertified(buffer, 0,
            batch ? CertifiedKind.RECEIPT_BATCH : (random.nextBoolean() ? CertifiedKind.SWAP_PREPARED : CertifiedKind.SWAP_ABORT),
            random.nextInt(0x10000), random.nextInt(0x10000), random.nextLong(),
            batch ? new byte[32] : bytes(random, 32), bytes(random, 32),
            receipts, txIds, tos, assets, amounts, signerCount, signers);
        return signed(random, buffer, length);
    }

    static int[] increasingSigners(final Random random, final int count)
    {
        final int[] signers = new int[count];
        int next = random.nextInt(3);
        for (int i = 0; i < count; i++)
        {
            signers[i] = next;
            next += 1 + random.nextInt(3);
        }
        return signers;
    }

    static byte[] anyTransaction(final Random random)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> transfer(random);
            case 1 -> createAsset(random);
            case 2 -> swap(random);
            default -> certified(random, random.nextInt(3));
        };
    }

    static byte[] userTransaction(final Random random)
    {
        return switch (random.nextInt(3))
        {
            case 0 -> transfer(random);
            case 1 -> createAsset(random);
            default -> swap(random);
        };
    }

    static byte[] block(final Random random, final int parentCount, final int txCount)
    {
        final int[] authors = new int[parentCount];
        final long[] rounds = new long[parentCount];
        final byte[][] digests = new byte[parentCount][];
        for (int i = 0; i < parentCount; i++)
        {
            authors[i] = random.nextInt(ProtocolLimits.MAX_COMMITTEE);
            rounds[i] = random.nextLong();
            digests[i] = bytes(random, 32);
        }
        final byte[][] txs = new byte[txCount][];
        for (int i = 0; i < txCount; i++)
        {
            txs[i] = anyTransaction(random);
        }
        final UnsafeBuffer buffer = scratch();
        final int length = new BlockEncoding().encode(buffer, 0, random.nextInt(0x10000),
            random.nextInt(ProtocolLimits.MAX_COMMITTEE), random.nextLong(), random.nextLong(),
            parentCount, authors, rounds, digests, txCount, txs);
        return signed(random, buffer, length);
    }

    static byte[] blockRequest(final Random random, final int refs)
    {
        final UnsafeBuffer buffer = scratch();
        final BlockRequestEncoder encoder = new BlockRequestEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .requestId(random.nextLong())
            .requester(random.nextInt(ProtocolLimits.MAX_COMMITTEE));
        final BlockRequestEncoder.RefsEncoder group = encoder.refsCount(refs);
        for (int i = 0; i < refs; i++)
        {
            group.next().author(random.nextInt(ProtocolLimits.MAX_COMMITTEE)).round(random.nextLong())
                .putDigest(bytes(random, 32), 0, 32);
        }
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] rangeRequest(final Random random)
    {
        final long from = random.nextLong() >>> 1;
        return rangeRequest(random.nextLong(), random.nextInt(ProtocolLimits.MAX_COMMITTEE),
            from, from + random.nextInt(ProtocolLimits.MAX_RANGE_ROUNDS));
    }

    static byte[] rangeRequest(final long requestId, final int requester, final long fromRound, final long toRound)
    {
        final UnsafeBuffer buffer = scratch();
        final BlockRangeRequestEncoder encoder = new BlockRangeRequestEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .requestId(requestId).requester(requester).fromRound(fromRound).toRound(toRound);
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] blockResponse(final Random random, final int blocks)
    {
        final byte[][] encoded = new byte[blocks][];
        for (int i = 0; i < blocks; i++)
        {
            encoded[i] = block(random, random.nextInt(3), random.nextInt(3));
        }
        return blockResponse(random.nextLong(), random.nextInt(ProtocolLimits.MAX_COMMITTEE), encoded);
    }

    static byte[] blockResponse(final long requestId, final int responder, final byte[][] blocks)
    {
        final UnsafeBuffer buffer = scratch();
        final BlockResponseEncoder encoder = new BlockResponseEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .requestId(requestId).responder(responder);
        final BlockResponseEncoder.BlocksEncoder group = encoder.blocksCount(blocks.length);
        for (final byte[] block : blocks)
        {
            group.next().putBlock(block, 0, block.length);
        }
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] submitTx(final Random random)
    {
        return submitTx(random.nextLong(), userTransaction(random));
    }

    static byte[] submitTx(final long correlationId, final byte[] tx)
    {
        final UnsafeBuffer buffer = scratch();
        final SubmitTxEncoder encoder = new SubmitTxEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).putTx(tx, 0, tx.length);
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] submitAck(final Random random)
    {
        final UnsafeBuffer buffer = scratch();
        final SubmitStatus[] statuses = { SubmitStatus.ACCEPTED, SubmitStatus.REJECTED, SubmitStatus.DUPLICATE };
        final SubmitAckEncoder encoder = new SubmitAckEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(random.nextLong()).putTxId(bytes(random, 32), 0, 32)
            .status(statuses[random.nextInt(3)]).reason(random.nextInt(0x10000));
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] finalityEvent(final Random random)
    {
        final UnsafeBuffer buffer = scratch();
        final FinalityLevel[] levels = { FinalityLevel.ACCEPTED, FinalityLevel.COMMITTED, FinalityLevel.SETTLED, FinalityLevel.REJECTED };
        final FinalityEventEncoder encoder = new FinalityEventEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .putTxId(bytes(random, 32), 0, 32).shardId(random.nextInt(0x10000)).level(levels[random.nextInt(4)])
            .result(random.nextInt(0x10000)).height(random.nextLong()).consensusTimeMs(random.nextLong());
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
    }

    static byte[] bytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Fills every signature slot with random bytes and returns the exact encoding. */
    private static byte[] signed(final Random random, final UnsafeBuffer buffer, final int length)
    {
        final int count = SignedRegion.signatureCount(buffer, 0, length);
        for (int i = 0; i < count; i++)
        {
            SignedRegion.putSignature(buffer, 0, length, i, bytes(random, 64));
        }
        return copy(buffer, length);
    }

    static UnsafeBuffer scratch()
    {
        return new UnsafeBuffer(new byte[1 << 20]);
    }

    static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        return Arrays.copyOf(buffer.byteArray(), length);
    }
}
