package io.basalt.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

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
        assertEquals(8 + 77 + 4 + 512 * 76 + 4 + 256 * 66, ProtocolLimits.MAX_CERTIFIED_BYTES);
        assertEquals(Layout.blockLength(0, 0, 0), new BlockEncoding().begin(buffer, 0, 0, 0, 0, 0, 0).transactions(0).finish());
    }
}
