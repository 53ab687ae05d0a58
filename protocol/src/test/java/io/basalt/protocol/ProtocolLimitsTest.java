package io.basalt.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolLimitsTest
{
    @Test
    void relationsHold()
    {
        assertDoesNotThrow(ProtocolLimits::checkRelations);
        assertTrue(ProtocolLimits.MAX_PARENTS >= ProtocolLimits.MAX_COMMITTEE);
        assertTrue(ProtocolLimits.MAX_SIGNATURES <= ProtocolLimits.MAX_COMMITTEE);
        assertTrue(ProtocolLimits.MAX_CERTIFIED_BYTES <= 0xFFFF, "certified messages fit Block.tx's uint16 length");
        assertTrue(Layout.blockLength(ProtocolLimits.MAX_PARENTS, ProtocolLimits.MAX_BLOCK_TXS,
            (long)ProtocolLimits.MAX_BLOCK_TXS * ProtocolLimits.MAX_TX_BYTES) <= ProtocolLimits.MAX_BLOCK_BYTES);
        assertTrue(Layout.blockResponseLength(1, ProtocolLimits.MAX_BLOCK_BYTES) <= ProtocolLimits.MAX_RESPONSE_BYTES);
    }

    /** The sizes in Layout are what the encoders actually produce. */
    @Test
    void layoutMatchesTheEncoders()
    {
        final UnsafeBuffer buffer = Samples.scratch();
        final TransactionEncoding encoding = new TransactionEncoding();
        final byte[] key = new byte[32];
        assertEquals(Layout.TRANSFER_LENGTH, encoding.encodeTransfer(buffer, 0, 1, 2, 3, 4, key, key, 5, 6));
        assertEquals(Layout.CREATE_ASSET_LENGTH, encoding.encodeCreateAsset(buffer, 0, 1, 2, 3, 4, key, 5, 6, 7));
        assertEquals(Layout.SWAP_LENGTH, encoding.encodeSwap(buffer, 0, 1, 2, 3, 4, key, 5, 6, key, 7, 8));
        assertEquals(180, Layout.TRANSFER_LENGTH);
        assertEquals(149, Layout.CREATE_ASSET_LENGTH);
        assertEquals(256, Layout.SWAP_LENGTH);
        assertEquals(76, Layout.RECEIPT_ENTRY_LENGTH);
        assertEquals(33, Layout.VOTE_ENTRY_LENGTH);
        assertEquals(66, Layout.CERTIFIED_SIGNATURE_ENTRY_LENGTH);
        // header, root (shards, seq, time, root), receipts, votes (entry, length prefix, Swap), signatures.
        assertEquals(8 + 52 + 4 + 384 * 76 + 4 + 32 * (33 + 2 + 256) + 4 + 256 * 66, ProtocolLimits.MAX_CERTIFIED_BYTES);
        final Random random = new Random(3);
        for (final int[] counts : new int[][] { { 1, 0, 1 }, { 0, 1, 1 }, { 5, 3, 7 }, { 0, 32, 256 } })
        {
            final Samples.Certified fields = Samples.Certified.random(random, counts[0], counts[1], 1);
            final int[] signers = new int[counts[2]];
            Arrays.setAll(signers, i -> i);
            assertEquals(Layout.certifiedMessageLength(counts[0], counts[1], counts[2]),
                fields.withSigners(signers).encode(encoding, buffer, 0), Arrays.toString(counts));
        }
        assertEquals(Layout.opaquePayloadLength(100), new OpaquePayloadEncoding().encode(buffer, 0, new byte[100], 0, 100));
        assertEquals(110, Layout.opaquePayloadLength(100));
        assertTrue(Layout.opaquePayloadLength(ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES) <= ProtocolLimits.MAX_BLOCK_TX_BYTES);
        assertEquals(Layout.blockLength(0, 0, 0), new BlockEncoding().begin(buffer, 0, 0, 0, 0, 0, 0).transactions(0).finish());
    }
}
