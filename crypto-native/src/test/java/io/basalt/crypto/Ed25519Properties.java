package io.basalt.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sign/verify round trips through Bouncy Castle, which needs no native library. */
class Ed25519Properties
{
    @Property(tries = 300)
    void bouncyCastleRoundTrip(@ForAll @Size(32) final byte[] seed, @ForAll @Size(max = 300) final byte[] message)
    {
        assertRoundTrip(TestProviders.BOUNCY_CASTLE, seed, message);
    }

    @Property(tries = 200)
    void anyFlippedBitIsRejected(@ForAll @Size(32) final byte[] seed, @ForAll @Size(min = 1, max = 64) final byte[] message,
        @ForAll @IntRange(min = 0, max = 1023) final int bit)
    {
        final Ed25519 ed = TestProviders.BOUNCY_CASTLE;
        final KeyPair keyPair = ed.keyPairFromSeed(seed);
        final byte[] key = keyPair.publicKey();
        final byte[] sig = ed.sign(keyPair, message);
        // bit < 256: key; < 768: signature; else the message.
        if (bit < 256)
        {
            key[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        else if (bit < 768)
        {
            sig[(bit - 256) / 8] ^= (byte)(1 << (bit % 8));
        }
        else
        {
            final int m = (bit - 768) % (message.length * 8);
            message[m / 8] ^= (byte)(1 << (m % 8));
        }
        assertEquals(false, ed.verify(key, message, sig));
    }

    static void assertRoundTrip(final Ed25519 ed, final byte[] seed, final byte[] message)
    {
        final KeyPair keyPair = ed.keyPairFromSeed(seed);
        final byte[] signature = ed.sign(keyPair, message);
        assertEquals(SignatureCheck.VALID, ed.check(keyPair.publicKey(), message, signature));
    }
}
