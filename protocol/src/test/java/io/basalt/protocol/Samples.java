package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockRangeRequestEncoder;
import io.basalt.protocol.sbe.BlockRequestEncoder;
import io.basalt.protocol.sbe.BlockResponseEncoder;
import io.basalt.protocol.sbe.FinalityEventEncoder;
import io.basalt.protocol.sbe.FinalityLevel;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckEncoder;
import io.basalt.protocol.sbe.SubmitStatus;
import io.basalt.protocol.sbe.SubmitTxEncoder;
import io.basalt.protocol.sbe.SwapVote;
import org.agrona.MutableDirectBuffer;
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
        Templates.SUBMIT_TX, Templates.SUBMIT_ACK, Templates.FINALITY_EVENT, Templates.BATCH_SIGNATURE,
        Templates.BATCH_ACK, Templates.OPAQUE_PAYLOAD };

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
            case Templates.BATCH_SIGNATURE -> batchSignature(random.nextInt(256), 1 + random.nextInt(300));
            case Templates.BATCH_ACK -> batchAck(random.nextInt(256));
            case Templates.OPAQUE_PAYLOAD -> opaquePayload(random, random.nextInt(300));
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    /** A relay's signature on a batch prefix of {@code prefixLength} bytes (their content is the relay's to check). */
    static byte[] batchSignature(final int signer, final int prefixLength)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128 * 1024]);
        final io.basalt.protocol.sbe.BatchSignatureEncoder encoder = new io.basalt.protocol.sbe.BatchSignatureEncoder()
            .wrapAndApplyHeader(buffer, 0, new io.basalt.protocol.sbe.MessageHeaderEncoder())
            .signer(signer)
            .putSignature(new byte[64], 0, 64)
            .putPrefix(new byte[prefixLength], 0, prefixLength);
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
    }

    /** An OpaquePayload whose data is {@code payloadBytes} random bytes. */
    static byte[] opaquePayload(final Random random, final int payloadBytes)
    {
        final UnsafeBuffer buffer = scratch();
        final int length = new OpaquePayloadEncoding().encode(buffer, 0, bytes(random, payloadBytes), 0, payloadBytes);
        return copy(buffer, length);
    }

    static byte[] batchAck(final int signer)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final io.basalt.protocol.sbe.BatchAckEncoder encoder = new io.basalt.protocol.sbe.BatchAckEncoder()
            .wrapAndApplyHeader(buffer, 0, new io.basalt.protocol.sbe.MessageHeaderEncoder())
            .sourceShard(1).destShard(2).appliedThrough(42).signer(signer)
            .putSignature(new byte[64], 0, 64);
        return copy(buffer, Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength());
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

    /** A certified message: 1 + extra receipts, 1-3 votes, or both; never neither. */
    static byte[] certified(final Random random, final int extra)
    {
        final int shape = random.nextInt(3);
        final int receipts = shape == 1 ? 0 : 1 + extra;
        final int votes = shape == 0 ? 0 : 1 + random.nextInt(3);
        return certified(random, receipts, votes, 1 + random.nextInt(5));
    }

    /** A signed certified message with the given counts and random field values. */
    static byte[] certified(final Random random, final int receipts, final int votes, final int signerCount)
    {
        final UnsafeBuffer buffer = scratch();
        final int length = Certified.random(random, receipts, votes, signerCount).encode(new TransactionEncoding(), buffer, 0);
        return signed(random, buffer, length);
    }

    /**
     * The field values of one CertifiedMessage: distinct shards, parallel receipt arrays, parallel vote
     * arrays (each vote carries a whole signed Swap) and strictly increasing signers.
     */
    record Certified(
        int sourceShard, int destShard, long seq, long sourceTimeMs, byte[] payloadRoot,
        byte[][] txIds, byte[][] tos, int[] assetIds, long[] amounts,
        byte[][] swapIds, SwapVote[] votes, byte[][] swaps,
        int[] signers)
    {
        static Certified random(final Random random, final int receipts, final int voteCount, final int signerCount)
        {
            final int sourceShard = random.nextInt(0x10000);
            final int destShard = (sourceShard + 1 + random.nextInt(0xFFFF)) & 0xFFFF;
            final byte[][] txIds = new byte[receipts][];
            final byte[][] tos = new byte[receipts][];
            final int[] assetIds = new int[receipts];
            final long[] amounts = new long[receipts];
            for (int i = 0; i < receipts; i++)
            {
                txIds[i] = bytes(random, 32);
                tos[i] = bytes(random, 32);
                assetIds[i] = random.nextInt();
                amounts[i] = random.nextLong();
            }
            final byte[][] swapIds = new byte[voteCount][];
            final SwapVote[] votes = new SwapVote[voteCount];
            final byte[][] swaps = new byte[voteCount][];
            for (int i = 0; i < voteCount; i++)
            {
                swapIds[i] = bytes(random, 32);
                votes[i] = random.nextBoolean() ? SwapVote.PREPARED : SwapVote.ABORT;
                swaps[i] = swap(random);
            }
            return new Certified(sourceShard, destShard, random.nextLong(), random.nextLong(), bytes(random, 32),
                txIds, tos, assetIds, amounts, swapIds, votes, swaps, increasingSigners(random, signerCount));
        }

        int receiptCount()
        {
            return txIds.length;
        }

        int voteCount()
        {
            return votes.length;
        }

        int signerCount()
        {
            return signers.length;
        }

        /** The same message carrying other bytes in place of vote {@code index}'s Swap. */
        Certified withSwap(final int index, final byte[] replacement)
        {
            final byte[][] replaced = swaps.clone();
            replaced[index] = replacement;
            return new Certified(sourceShard, destShard, seq, sourceTimeMs, payloadRoot,
                txIds, tos, assetIds, amounts, swapIds, votes, replaced, signers);
        }

        /** The same message signed by other (strictly increasing) signers. */
        Certified withSigners(final int... replacement)
        {
            return new Certified(sourceShard, destShard, seq, sourceTimeMs, payloadRoot,
                txIds, tos, assetIds, amounts, swapIds, votes, swaps, replacement);
        }

        /** Encodes with zeroed signatures; returns the length. */
        int encode(final TransactionEncoding encoding, final MutableDirectBuffer out, final int offset)
        {
            return encoding.encodeCertified(out, offset, sourceShard, destShard, seq, sourceTimeMs, payloadRoot,
                receiptCount(), txIds, tos, assetIds, amounts,
                voteCount(), swapIds, votes, swaps,
                signerCount(), signers);
        }
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
