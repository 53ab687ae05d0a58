package io.basalt.protocol;

import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The constant-offset read of the sender agrees with the generated decoders, for every user template. */
class TransactionSenderTest
{
    private final Random random = new Random(11);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Test
    void transferSenderIsFrom()
    {
        final byte[] tx = Samples.transfer(random);
        final byte[] from = new byte[32];
        new TransferDecoder().wrapAndApplyHeader(new UnsafeBuffer(tx), 0, header).getFrom(from, 0, 32);
        assertArrayEquals(from, TransactionSender.of(tx));
    }

    @Test
    void createAssetSenderIsTheIssuer()
    {
        final byte[] tx = Samples.createAsset(random);
        final byte[] issuer = new byte[32];
        new CreateAssetDecoder().wrapAndApplyHeader(new UnsafeBuffer(tx), 0, header).getIssuer(issuer, 0, 32);
        assertArrayEquals(issuer, TransactionSender.of(tx));
    }

    @Test
    void swapSenderIsPartyA()
    {
        final byte[] tx = Samples.swap(random);
        final byte[] partyA = new byte[32];
        new SwapDecoder().wrapAndApplyHeader(new UnsafeBuffer(tx), 0, header).getPartyA(partyA, 0, 32);
        assertArrayEquals(partyA, TransactionSender.of(tx));
    }

    @Test
    void otherMessagesHaveNoSender()
    {
        final byte[] ack = Samples.submitAck(random);
        // With -ea the validation assert fires first; without it, the template check does.
        assertThrows(Throwable.class, () -> TransactionSender.of(ack));
    }
}
