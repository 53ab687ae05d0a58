package io.basalt.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 from Ed25519 keys in pure Java: Bouncy Castle's {@code rfc7748.X25519} for the scalar multiplication, and
 * the two conversions libsodium calls {@code crypto_sign_ed25519_sk_to_curve25519} and
 * {@code crypto_sign_ed25519_pk_to_curve25519} written out here:
 * <ul>
 *   <li>scalar: the first 32 bytes of SHA-512(seed), clamped (RFC 8032 §5.1.5 and RFC 7748 §5 agree on the clamp);</li>
 *   <li>point: the birational map u = (1 + y) / (1 - y) mod p from the Edwards y to the Montgomery u.</li>
 * </ul>
 * Runs a handful of times per peer at start-up, so BigInteger's clarity is worth more than its speed.
 */
final class BouncyCastleX25519 implements X25519Provider
{
    static final BouncyCastleX25519 INSTANCE = new BouncyCastleX25519();

    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final int BYTES = 32;

    private BouncyCastleX25519()
    {
        X25519.precompute();
    }

    @Override
    public Ed25519.Backend backend()
    {
        return Ed25519.Backend.BOUNCY_CASTLE;
    }

    @Override
    public boolean sharedSecret(final byte[] seed, final byte[] publicKey, final byte[] peerPublicKey, final byte[] out)
    {
        final byte[] scalar = scalarFromSeed(seed);
        try
        {
            return X25519.calculateAgreement(scalar, 0, montgomeryU(peerPublicKey), 0, out, 0);
        }
        finally
        {
            Arrays.fill(scalar, (byte)0);
        }
    }

    /** crypto_sign_ed25519_sk_to_curve25519: the clamped low half of SHA-512(seed). */
    static byte[] scalarFromSeed(final byte[] seed)
    {
        final byte[] hash;
        try
        {
            hash = MessageDigest.getInstance("SHA-512").digest(seed);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK must provide SHA-512", ex);
        }
        final byte[] scalar = Arrays.copyOf(hash, BYTES);
        Arrays.fill(hash, (byte)0);
        scalar[0] &= (byte)248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return scalar;
    }

    /** crypto_sign_ed25519_pk_to_curve25519 for a key the facade has validated (so 1 - y is never zero). */
    static byte[] montgomeryU(final byte[] edwards)
    {
        final byte[] bigEndian = new byte[BYTES];
        for (int i = 0; i < BYTES; i++)
        {
            bigEndian[i] = edwards[BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7F; // the top bit is the sign of x, not part of y
        final BigInteger y = new BigInteger(1, bigEndian);
        final BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
        final byte[] magnitude = u.toByteArray();
        final byte[] littleEndian = new byte[BYTES];
        for (int i = 0; i < BYTES && i < magnitude.length; i++)
        {
            littleEndian[i] = magnitude[magnitude.length - 1 - i];
        }
        return littleEndian;
    }
}
