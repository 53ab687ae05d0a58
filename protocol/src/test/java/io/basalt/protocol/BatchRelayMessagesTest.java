package io.basalt.protocol;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.basalt.protocol.MutationProperties.validateExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two messages of the cross-shard relay: a validator's signature on a batch, and an acknowledgement. */
class BatchRelayMessagesTest
{
    @Test
    void batchSignatureBoundsItsSignerAndItsPrefix()
    {
        final byte[] ok = Samples.batchSignature(255, 100);
        assertEquals(DecodeError.OK, validateExact(ok, 0, ok.length));
        final byte[] badSigner = Samples.batchSignature(256, 100);
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, validateExact(badSigner, 0, badSigner.length));
        final byte[] largest = Samples.batchSignature(0, ProtocolLimits.MAX_CERTIFIED_BYTES);
        assertEquals(DecodeError.OK, validateExact(largest, 0, largest.length));
        final byte[] oversized = Samples.batchSignature(0, ProtocolLimits.MAX_CERTIFIED_BYTES + 1);
        assertEquals(DecodeError.OVERSIZED, validateExact(oversized, 0, oversized.length));
        assertEquals(DecodeError.TRUNCATED, validateExact(ok, 0, ok.length - 1));
        final byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
        assertEquals(DecodeError.TRAILING_BYTES, validateExact(trailing, 0, trailing.length));
    }

    @Test
    void batchAckBoundsItsSigner()
    {
        final byte[] ok = Samples.batchAck(3);
        assertEquals(DecodeError.OK, validateExact(ok, 0, ok.length));
        final byte[] badSigner = Samples.batchAck(300);
        assertEquals(DecodeError.BAD_VALIDATOR_INDEX, validateExact(badSigner, 0, badSigner.length));
        assertEquals(DecodeError.TRUNCATED, validateExact(ok, 0, ok.length - 1));
    }
}
