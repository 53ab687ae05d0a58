package io.basalt.crypto;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channel keys: X25519 from Ed25519 keys through both providers (byte for byte the same, and refusing the same
 * keys), HKDF against RFC 5869, and the truncated HMAC against the JDK's own HmacSHA256.
 */
class PeerKeyAgreementTest
{
    private static final HexFormat HEX = HexFormat.of();
    private static final PeerKeyAgreement BOUNCY = new PeerKeyAgreement(BouncyCastleX25519.INSTANCE);
    private static final Ed25519 ED = TestProviders.BOUNCY_CASTLE;

    private static KeyPair key(final SplittableRandom random)
    {
        final byte[] seed = new byte[32];
        random.nextBytes(seed);
        return ED.keyPairFromSeed(seed);
    }

    @Test
    void bothSidesOfAPairComputeTheSameSecret()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 50; i++)
        {
            final KeyPair a = key(random);
            final KeyPair b = key(random);
            assertArrayEquals(BOUNCY.sharedSecret(a, b.publicKey()), BOUNCY.sharedSecret(b, a.publicKey()));
        }
    }

    @Test
    void libsodiumAndBouncyCastleGiveIdenticalSecrets()
    {
        final PeerKeyAgreement sodium = new PeerKeyAgreement(libsodiumX25519());
        assertEquals(Ed25519.Backend.LIBSODIUM, sodium.backend());
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200; i++)
        {
            final KeyPair a = key(random);
            final KeyPair b = key(random);
            final byte[] viaSodium = sodium.sharedSecret(a, b.publicKey());
            assertArrayEquals(viaSodium, BOUNCY.sharedSecret(a, b.publicKey()), "pair " + i);
            assertArrayEquals(viaSodium, sodium.sharedSecret(b, a.publicKey()), "pair " + i + " reversed");
        }
    }

    @Test
    void bothProvidersRefuseTheSameBadKeys()
    {
        final PeerKeyAgreement sodium = new PeerKeyAgreement(libsodiumX25519());
        final KeyPair own = key(new SplittableRandom(3));
        final byte[][] bad = {
            HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000"), // identity, small order
            HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // y = p - 1, small order
            HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // y = p, not canonical
            torsionKey(own),                                                                  // not prime order
            new byte[31],
        };
        for (final byte[] key : bad)
        {
            assertThrows(IllegalArgumentException.class, () -> BOUNCY.sharedSecret(own, key), HEX.formatHex(key));
            assertThrows(IllegalArgumentException.class, () -> sodium.sharedSecret(own, key), HEX.formatHex(key));
        }
    }

    @Test
    void theBasePointMapsToMontgomeryNine()
    {
        final byte[] base = HEX.parseHex("5866666666666666666666666666666666666666666666666666666666666666");
        final byte[] nine = new byte[32];
        nine[0] = 9;
        assertArrayEquals(nine, BouncyCastleX25519.montgomeryU(base));
    }

    @Test
    void hkdfMatchesRfc5869TestCase1()
    {
        final byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        final byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        final byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
            HEX.formatHex(PeerKeys.hkdfFirstBlock(salt, ikm, info)));
    }

    @Test
    void directionKeysAgreeAcrossTheChannelAndDifferByDirectionPurposeAndNetwork()
    {
        final SplittableRandom random = new SplittableRandom(5);
        final KeyPair a = key(random);
        final KeyPair b = key(random);
        final PeerKeys.Seat seatA = new PeerKeys.Seat(0, 1, a.publicKey());
        final PeerKeys.Seat seatB = new PeerKeys.Seat(0, 2, b.publicKey());
        final byte[] secretAtA = BOUNCY.sharedSecret(a, b.publicKey());
        final byte[] secretAtB = BOUNCY.sharedSecret(b, a.publicKey());
        final byte[] aToB = PeerKeys.directionKey(secretAtA, "consensus", 7, seatA, seatB);
        assertArrayEquals(aToB, PeerKeys.directionKey(secretAtB, "consensus", 7, seatA, seatB));
        assertFalse(MessageDigest.isEqual(aToB, PeerKeys.directionKey(secretAtA, "consensus", 7, seatB, seatA)));
        assertFalse(MessageDigest.isEqual(aToB, PeerKeys.directionKey(secretAtA, "cross-shard", 7, seatA, seatB)));
        assertFalse(MessageDigest.isEqual(aToB, PeerKeys.directionKey(secretAtA, "consensus", 8, seatA, seatB)));
        final PeerKeys.Seat otherSeat = new PeerKeys.Seat(1, 1, a.publicKey());
        assertFalse(MessageDigest.isEqual(aToB, PeerKeys.directionKey(secretAtA, "consensus", 7, otherSeat, seatB)));
    }

    @Test
    void truncatedHmacEqualsTheJdkHmacAndRefusesAnyChangedByte() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(13);
        final byte[] key = new byte[32];
        random.nextBytes(key);
        final Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key, "HmacSHA256"));
        final PeerMac mac = new PeerMac(key);
        for (final int length : new int[] {0, 1, 55, 56, 64, 200, 5_000})
        {
            final byte[] header = new byte[16];
            final byte[] payload = new byte[length];
            random.nextBytes(header);
            random.nextBytes(payload);
            jdk.update(header);
            final byte[] expected = java.util.Arrays.copyOf(jdk.doFinal(payload), PeerMac.TAG_BYTES);
            final byte[] tag = new byte[PeerMac.TAG_BYTES + 3];
            mac.tag(header, 0, header.length, payload, 0, length, tag, 3);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(tag, 3, tag.length), "length " + length);
            assertTrue(mac.verify(header, 0, header.length, payload, 0, length, tag, 3));
            header[5] ^= 0x10;
            assertFalse(mac.verify(header, 0, header.length, payload, 0, length, tag, 3));
            header[5] ^= 0x10;
            if (length > 0)
            {
                payload[length - 1] ^= 1;
                assertFalse(mac.verify(header, 0, header.length, payload, 0, length, tag, 3));
                payload[length - 1] ^= 1;
            }
            tag[3 + PeerMac.TAG_BYTES - 1] ^= (byte)0x80;
            assertFalse(mac.verify(header, 0, header.length, payload, 0, length, tag, 3));
        }
    }

    @Test
    void macAllocatesNothingPerMessageOnceWarm()
    {
        final PeerMac mac = new PeerMac(new byte[32]);
        final byte[] header = new byte[16];
        final byte[] payload = new byte[1_000];
        final byte[] tag = new byte[PeerMac.TAG_BYTES];
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final int calls = 5_000;
        for (int i = 0; i < 3 * calls; i++)
        {
            mac.tag(header, 0, 16, payload, 0, payload.length, tag, 0);
        }
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < calls; i++)
        {
            mac.tag(header, 0, 16, payload, 0, payload.length, tag, 0);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // One 32-byte array per call (what javax.crypto.Mac costs) would be 48+ bytes each, far over this slack.
        assertTrue(allocated < calls, "allocated " + allocated + " bytes over " + calls + " MACs");
    }

    /** {@code own}'s public point plus a point of order 8: valid encoding, not in the prime-order subgroup. */
    private static byte[] torsionKey(final KeyPair own)
    {
        final byte[] mixed = EdwardsReference.encode(
            EdwardsReference.add(EdwardsReference.decode(own.publicKey()), EdwardsReference.TORSION8));
        assertFalse(PeerKeyAgreement.isStrictPublicKey(mixed));
        return mixed;
    }

    private static X25519Provider libsodiumX25519()
    {
        TestProviders.libsodiumProvider(); // skips the test, with the reason, when libsodium cannot load
        return LibsodiumProviders.x25519(null);
    }
}
