package io.basalt.protocol;

import io.basalt.protocol.sbe.SwapVote;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Encoder misuse fails loudly; the streaming and array block APIs produce the same bytes. */
class EncodingTest
{
    private final Random random = new Random(7);

    @Test
    void streamingAndArrayBlockEncodingAgree()
    {
        final byte[] digest = Samples.bytes(random, 32);
        final byte[] tx = Samples.transfer(random);
        final UnsafeBuffer streamed = Samples.scratch();
        final int streamedLength = new BlockEncoding().begin(streamed, 3, 1, 2, 10, 99, 1)
            .parent(2, 9, new UnsafeBuffer(digest), 0)
            .transactions(1)
            .transaction(new UnsafeBuffer(tx), 0, tx.length)
            .finish();
        final UnsafeBuffer arrays = Samples.scratch();
        final int arraysLength = new BlockEncoding().encode(arrays, 3, 1, 2, 10, 99,
            1, new int[] { 2 }, new long[] { 9 }, new byte[][] { digest }, 1, new byte[][] { tx });
        assertEquals(streamedLength, arraysLength);
        final byte[] a = new byte[streamedLength];
        final byte[] b = new byte[arraysLength];
        streamed.getBytes(3, a);
        arrays.getBytes(3, b);
        assertArrayEquals(a, b);
        assertEquals(DecodeError.OK, MessageValidator.validate(streamed, 3, streamedLength));
    }

    @Test
    void blockEncodingEnforcesOrderAndLimits()
    {
        final UnsafeBuffer buffer = Samples.scratch();
        final BlockEncoding encoding = new BlockEncoding();
        assertThrows(IllegalStateException.class, () -> encoding.transactions(0));
        assertThrows(IllegalArgumentException.class, () -> encoding.begin(buffer, 0, 0, 0, 0, 0, ProtocolLimits.MAX_PARENTS + 1));
        assertThrows(IllegalArgumentException.class, () -> encoding.begin(buffer, 0, 0, ProtocolLimits.MAX_COMMITTEE, 0, 0, 0));
        encoding.begin(buffer, 0, 0, 0, 0, 0, 1);
        assertThrows(IllegalStateException.class, () -> encoding.transactions(0));
        assertThrows(IllegalStateException.class, encoding::finish);
        encoding.parent(1, 1, new byte[32]);
        assertThrows(IllegalStateException.class, () -> encoding.parent(1, 1, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> encoding.transactions(ProtocolLimits.MAX_BLOCK_TXS + 1));
        encoding.transactions(1);
        assertThrows(IllegalStateException.class, encoding::finish);
        encoding.transaction(Samples.swap(random));
        assertThrows(IllegalStateException.class, () -> encoding.transaction(new byte[10]));
        final int length = encoding.finish();
        assertEquals(DecodeError.OK, MessageValidator.validate(buffer, 0, length));
    }

    @Test
    void transactionEncodingChecksKeyLengths()
    {
        final TransactionEncoding encoding = new TransactionEncoding();
        final UnsafeBuffer buffer = Samples.scratch();
        assertThrows(IllegalArgumentException.class,
            () -> encoding.encodeTransfer(buffer, 0, 1, 1, 1, 1, new byte[31], new byte[32], 0, 1));
        assertThrows(IllegalArgumentException.class,
            () -> encoding.encodeCreateAsset(buffer, 0, 1, 1, 1, 1, new byte[32], 1, 1, 256));
        assertThrows(IllegalArgumentException.class,
            () -> SignedRegion.putSignature(buffer, 0, 0, 0, new byte[63]));
    }

    @Test
    void certifiedEncodingChecksCountsAndLengths()
    {
        final TransactionEncoding encoding = new TransactionEncoding();
        final UnsafeBuffer buffer = Samples.scratch();
        final Samples.Certified fields = Samples.Certified.random(random, 1, 1, 1);
        assertEquals(Layout.certifiedMessageLength(1, 1, 1), fields.encode(encoding, buffer, 0));

        // No signer, too many signers, receipts or votes.
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], 0, null, null, null, null, 0, null, null, null, 0, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], 0, null, null, null, null, 0, null, null, null,
            ProtocolLimits.MAX_SIGNATURES + 1, new int[ProtocolLimits.MAX_SIGNATURES + 1]));
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], ProtocolLimits.MAX_RECEIPTS + 1, null, null, null, null, 0, null, null, null,
            1, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], -1, null, null, null, null, 0, null, null, null, 1, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], 0, null, null, null, null, ProtocolLimits.MAX_VOTES + 1, null, null, null,
            1, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], 0, null, null, null, null, -1, null, null, null, 1, new int[1]));

        // Hashes and keys are 32 bytes: payload root, receipt tx id and recipient, swap id.
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[31], 1, new byte[][] { new byte[32] }, new byte[][] { new byte[32] },
            new int[1], new long[1], 0, null, null, null, 1, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], 1, new byte[][] { new byte[33] }, new byte[][] { new byte[32] },
            new int[1], new long[1], 0, null, null, null, 1, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], 1, new byte[][] { new byte[32] }, new byte[][] { new byte[31] },
            new int[1], new long[1], 0, null, null, null, 1, new int[1]));
        final byte[] swap = Samples.swap(random);
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeCertified(buffer, 0,
            1, 2, 0, 0, new byte[32], 0, null, null, null, null,
            1, new byte[][] { new byte[31] }, new SwapVote[] { SwapVote.ABORT }, new byte[][] { swap }, 1, new int[1]));
    }

    @Test
    void signedRegionOfUnsignedMessagesIsAbsent()
    {
        final byte[] ack = Samples.submitAck(random);
        final UnsafeBuffer buffer = new UnsafeBuffer(ack);
        assertEquals(-1, SignedRegion.signedLength(buffer, 0, ack.length));
        assertThrows(IllegalArgumentException.class, () -> SignedRegion.signatureCount(buffer, 0, ack.length));
    }

    /** Signatures do not change the signed bytes, so the transaction id is fixed before signing. */
    @Test
    void signingDoesNotChangeTheSignedPrefix()
    {
        final byte[] swap = Samples.swap(random);
        final UnsafeBuffer buffer = new UnsafeBuffer(swap.clone());
        final int signed = SignedRegion.signedLength(buffer, 0, swap.length);
        SignedRegion.putSignature(buffer, 0, swap.length, 1, Samples.bytes(random, 64));
        final byte[] after = new byte[signed];
        buffer.getBytes(0, after);
        assertArrayEquals(java.util.Arrays.copyOf(swap, signed), after);
    }
}
