package io.basalt.crypto;

import java.math.BigInteger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * libsodium and Bouncy Castle behind the facade must agree on every input, valid or not: the property that keeps
 * validators with different providers on the same chain.
 */
@AddLifecycleHook(TestProviders.RequiresLibsodium.class)
class CrossProviderProperties
{
    private final Ed25519 sodium = TestProviders.libsodiumAvailable() ? TestProviders.libsodium() : null;
    private final Ed25519 bouncy = TestProviders.BOUNCY_CASTLE;

    @Property(tries = 300)
    void libsodiumRoundTrip(@ForAll @Size(32) final byte[] seed, @ForAll @Size(max = 300) final byte[] message)
    {
        Ed25519Properties.assertRoundTrip(sodium, seed, message);
    }

    @Property(tries = 300)
    void sameKeysAndSignatures(@ForAll @Size(32) final byte[] seed, @ForAll @Size(max = 300) final byte[] message)
    {
        final KeyPair viaSodium = sodium.keyPairFromSeed(seed);
        final KeyPair viaBouncy = bouncy.keyPairFromSeed(seed);
        assertArrayEquals(viaSodium.publicKey(), viaBouncy.publicKey());
        final byte[] signature = sodium.sign(viaSodium, message);
        assertArrayEquals(signature, bouncy.sign(viaBouncy, message));
        assertEquals(SignatureCheck.VALID, bouncy.check(viaSodium.publicKey(), message, signature));
    }

    /** Random bytes in every position: almost always rejected, always rejected the same way. */
    @Property(tries = 500)
    void agreeOnRandomGarbage(@ForAll @Size(32) final byte[] key, @ForAll @Size(max = 64) final byte[] message,
        @ForAll @Size(64) final byte[] signature)
    {
        assertAgree(key, message, signature);
    }

    /** A valid signature with a few random bytes overwritten in key, signature or message. */
    @Property(tries = 500)
    void agreeOnMutations(@ForAll @Size(32) final byte[] seed, @ForAll @Size(min = 1, max = 64) final byte[] message,
        @ForAll @IntRange(min = 0, max = 159) final int position, @ForAll final byte value,
        @ForAll @IntRange(min = 0, max = 2) final int extraPositions)
    {
        final KeyPair keyPair = bouncy.keyPairFromSeed(seed);
        final byte[] key = keyPair.publicKey();
        final byte[] signature = bouncy.sign(keyPair, message);
        for (int i = 0; i <= extraPositions; i++)
        {
            overwrite(key, signature, message, (position + 37 * i) % (96 + message.length), (byte)(value + i));
        }
        assertAgree(key, message, signature);
    }

    /** Keys and R with torsion components (A + [j]T8, R + [i]T8), the cases the libraries disagree on. */
    @Property(tries = 60)
    void agreeOnTorsionComponents(@ForAll @Size(32) final byte[] seed, @ForAll @Size(max = 64) final byte[] message,
        @ForAll @IntRange(min = 0, max = 7) final int keyTorsion, @ForAll @IntRange(min = 0, max = 7) final int rTorsion)
    {
        final BigInteger a = EdwardsReference.expandSeed(seed)[0];
        final EdwardsReference.Point key = EdwardsReference.add(EdwardsReference.multiply(a, EdwardsReference.BASE),
            EdwardsReference.multiply(BigInteger.valueOf(keyTorsion), EdwardsReference.TORSION8));
        // r in [1, L): r = 0 would make R the identity before any torsion is added, which is rightly refused as a
        // small-order R (jqwik's all-zero seed found this).
        final BigInteger r = new BigInteger(1, seed).mod(EdwardsReference.L.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        final byte[] encodedR = EdwardsReference.encode(EdwardsReference.add(
            EdwardsReference.multiply(r, EdwardsReference.BASE),
            EdwardsReference.multiply(BigInteger.valueOf(rTorsion), EdwardsReference.TORSION8)));
        final byte[] encodedKey = EdwardsReference.encode(key);
        final BigInteger k = EdwardsReference.challenge(encodedR, encodedKey, message);
        final byte[] signature = EdwardsReference.signature(encodedR, r.add(k.multiply(a)).mod(EdwardsReference.L));
        final SignatureCheck result = assertAgree(encodedKey, message, signature);
        assertEquals(keyTorsion == 0 && rTorsion == 0, result.isValid(), "only torsion-free inputs are valid");
    }

    private SignatureCheck assertAgree(final byte[] key, final byte[] message, final byte[] signature)
    {
        final SignatureCheck viaSodium = sodium.check(key, message, signature);
        final SignatureCheck viaBouncy = bouncy.check(key, message, signature);
        assertEquals(viaSodium, viaBouncy, () -> "key=" + Hex.encode(key) + " message=" + Hex.encode(message) +
            " signature=" + Hex.encode(signature));
        return viaSodium;
    }

    private static void overwrite(final byte[] key, final byte[] signature, final byte[] message, final int position,
        final byte value)
    {
        if (position < 32)
        {
            key[position] = value;
        }
        else if (position < 96)
        {
            signature[position - 32] = value;
        }
        else
        {
            message[position - 96] = value;
        }
    }
}
