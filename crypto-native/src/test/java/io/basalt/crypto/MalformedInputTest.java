package io.basalt.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Malformed keys, signatures and ranges give a typed result from both providers and never throw. */
class MalformedInputTest
{
    private static final byte[] MESSAGE = "basalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static List<Ed25519> facades()
    {
        return TestProviders.libsodiumAvailable() ?
            List.of(TestProviders.BOUNCY_CASTLE, TestProviders.libsodium()) : List.of(TestProviders.BOUNCY_CASTLE);
    }

    @Test
    void libsodiumIsCoveredOnThisMachine()
    {
        TestProviders.libsodiumProvider();
    }

    @Test
    void wrongLengthsAndNulls()
    {
        final KeyPair keyPair = TestProviders.BOUNCY_CASTLE.generateKeyPair(new SecureRandom());
        final byte[] key = keyPair.publicKey();
        final byte[] sig = TestProviders.BOUNCY_CASTLE.sign(keyPair, MESSAGE);
        for (final Ed25519 ed : facades())
        {
            assertEquals(SignatureCheck.VALID, ed.check(key, MESSAGE, sig));
            assertEquals(SignatureCheck.BAD_KEY_LENGTH, ed.check(null, MESSAGE, sig));
            assertEquals(SignatureCheck.BAD_KEY_LENGTH, ed.check(new byte[31], MESSAGE, sig));
            assertEquals(SignatureCheck.BAD_KEY_LENGTH, ed.check(new byte[33], MESSAGE, sig));
            assertEquals(SignatureCheck.BAD_KEY_LENGTH, ed.check(new byte[0], MESSAGE, sig));
            assertEquals(SignatureCheck.BAD_SIGNATURE_LENGTH, ed.check(key, MESSAGE, null));
            assertEquals(SignatureCheck.BAD_SIGNATURE_LENGTH, ed.check(key, MESSAGE, new byte[63]));
            assertEquals(SignatureCheck.BAD_SIGNATURE_LENGTH, ed.check(key, MESSAGE, new byte[65]));
            assertEquals(SignatureCheck.BAD_MESSAGE_RANGE, ed.check(key, null, sig));
            assertEquals(SignatureCheck.BAD_MESSAGE_RANGE, ed.check(key, MESSAGE, -1, 2, sig));
            assertEquals(SignatureCheck.BAD_MESSAGE_RANGE, ed.check(key, MESSAGE, 2, MESSAGE.length, sig));
            assertEquals(SignatureCheck.BAD_MESSAGE_RANGE, ed.check(key, MESSAGE, 0, -1, sig));
            assertEquals(SignatureCheck.BAD_MESSAGE_RANGE, ed.check(key, MESSAGE, Integer.MAX_VALUE, 1, sig));
            assertEquals(SignatureCheck.BAD_KEY_LENGTH, ed.check(key, 1, MESSAGE, 0, MESSAGE.length, sig, 0));
            assertEquals(SignatureCheck.BAD_KEY_LENGTH, ed.check(key, -1, MESSAGE, 0, MESSAGE.length, sig, 0));
            assertEquals(SignatureCheck.BAD_SIGNATURE_LENGTH, ed.check(key, 0, MESSAGE, 0, MESSAGE.length, sig, 1));
            assertFalse(ed.verify(null, null, null));
        }
    }

    @Test
    void allZeroAndAllOnesKeysAndSignatures()
    {
        final KeyPair keyPair = TestProviders.BOUNCY_CASTLE.generateKeyPair(new SecureRandom());
        final byte[] key = keyPair.publicKey();
        final byte[] sig = TestProviders.BOUNCY_CASTLE.sign(keyPair, MESSAGE);
        final byte[] zeros32 = new byte[32];
        final byte[] ones32 = filled(32, 0xFF);
        final byte[] zeros64 = new byte[64];
        final byte[] ones64 = filled(64, 0xFF);
        final byte[] validSOnesR = sig.clone();
        Arrays.fill(validSOnesR, 0, 32, (byte)0xFF);
        for (final Ed25519 ed : facades())
        {
            // All-zero key: y = 0 is one of the order-4 points.
            assertEquals(SignatureCheck.SMALL_ORDER_KEY, ed.check(zeros32, MESSAGE, sig));
            // All-0xFF key: y = 2^255 - 1 >= p.
            assertEquals(SignatureCheck.NON_CANONICAL_KEY, ed.check(ones32, MESSAGE, sig));
            // All-zero signature: S = 0 is canonical, R = (x = ±i, y = 0) has order 4.
            assertEquals(SignatureCheck.SMALL_ORDER_R, ed.check(key, MESSAGE, zeros64));
            // All-0xFF signature: S >= L is checked first.
            assertEquals(SignatureCheck.NON_CANONICAL_S, ed.check(key, MESSAGE, ones64));
            assertEquals(SignatureCheck.NON_CANONICAL_R, ed.check(key, MESSAGE, validSOnesR));
            assertEquals(SignatureCheck.NON_CANONICAL_S, ed.check(zeros32, MESSAGE, ones64));
        }
    }

    @Test
    void keyNotOnTheCurve()
    {
        final byte[] offCurve = new byte[32];
        for (offCurve[0] = 2; EdwardsReference.decode(offCurve) != null; offCurve[0]++)
        {
            // Search for a small y with no matching x: about half of all y values.
        }
        final KeyPair keyPair = TestProviders.BOUNCY_CASTLE.generateKeyPair(new SecureRandom());
        final byte[] sig = TestProviders.BOUNCY_CASTLE.sign(keyPair, MESSAGE);
        for (final Ed25519 ed : facades())
        {
            assertEquals(SignatureCheck.INVALID_KEY_POINT, ed.check(offCurve, MESSAGE, sig));
        }
    }

    @Test
    void keyPairAndSignMisuseThrowsOnlyProgrammerErrors()
    {
        final Ed25519 ed = TestProviders.BOUNCY_CASTLE;
        assertThrows(IllegalArgumentException.class, () -> ed.keyPairFromSeed(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> ed.keyPairFromSeed(null));
        final KeyPair keyPair = ed.generateKeyPair(new SecureRandom());
        assertThrows(IndexOutOfBoundsException.class, () -> ed.sign(keyPair, MESSAGE, 0, 1, new byte[63], 0));
    }

    private static void assertThrows(final Class<? extends Throwable> type, final Runnable action)
    {
        org.junit.jupiter.api.Assertions.assertThrows(type, action::run);
    }

    private static byte[] filled(final int length, final int value)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }

}
