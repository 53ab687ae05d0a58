package io.basalt.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Slow, obviously-correct Ed25519 arithmetic over BigInteger (RFC 8032 §5.1), used only by tests to build the
 * inputs real libraries disagree on: points with torsion components, signatures over them, non-canonical encodings.
 */
final class EdwardsReference
{
    static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

    record Point(BigInteger x, BigInteger y)
    {
        boolean isIdentity()
        {
            return x.signum() == 0 && y.equals(BigInteger.ONE);
        }
    }

    static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);
    static final Point BASE = decode(Hex.decode("5866666666666666666666666666666666666666666666666666666666666666"));
    /** A generator of the torsion subgroup (order 8). */
    static final Point TORSION8 = decode(Hex.decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"));

    private EdwardsReference()
    {
    }

    static Point add(final Point a, final Point b)
    {
        final BigInteger t = D.multiply(a.x).multiply(b.x).multiply(a.y).multiply(b.y).mod(P);
        final BigInteger x = a.x.multiply(b.y).add(a.y.multiply(b.x)).multiply(BigInteger.ONE.add(t).modInverse(P));
        final BigInteger y = a.y.multiply(b.y).add(a.x.multiply(b.x)).multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P));
        return new Point(x.mod(P), y.mod(P));
    }

    static Point negate(final Point a)
    {
        return new Point(a.x.negate().mod(P), a.y);
    }

    static Point multiply(final BigInteger k, final Point p)
    {
        Point result = IDENTITY;
        for (int i = k.bitLength() - 1; i >= 0; i--)
        {
            result = add(result, result);
            if (k.testBit(i))
            {
                result = add(result, p);
            }
        }
        return result;
    }

    /** Decodes a point, accepting y &gt;= p (reduced) so tests can build non-canonical encodings; null if none. */
    static Point decode(final byte[] encoding)
    {
        final byte[] copy = encoding.clone();
        final boolean sign = (copy[31] & 0x80) != 0;
        copy[31] &= 0x7F;
        final BigInteger y = littleEndian(copy).mod(P);
        final BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
        final BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
        final BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
        BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(x2))
        {
            x = x.multiply(SQRT_M1).mod(P);
        }
        if (!x.multiply(x).mod(P).equals(x2) || (x.signum() == 0 && sign))
        {
            return null;
        }
        if (x.testBit(0) != sign)
        {
            x = P.subtract(x);
        }
        return new Point(x, y);
    }

    static byte[] encode(final Point p)
    {
        final byte[] out = toLittleEndian(p.y);
        if (p.x.testBit(0))
        {
            out[31] |= (byte)0x80;
        }
        return out;
    }

    /** The secret scalar a and the nonce prefix of a seed (RFC 8032 §5.1.5). */
    static BigInteger[] expandSeed(final byte[] seed)
    {
        final byte[] h = sha512(seed);
        final byte[] a = java.util.Arrays.copyOfRange(h, 0, 32);
        a[0] &= (byte)0xF8;
        a[31] &= 0x7F;
        a[31] |= 0x40;
        return new BigInteger[]{ littleEndian(a), littleEndian(java.util.Arrays.copyOfRange(h, 32, 64)) };
    }

    /** k = SHA-512(R || A || M) mod L. */
    static BigInteger challenge(final byte[] r, final byte[] a, final byte[] message)
    {
        return littleEndian(sha512(r, a, message)).mod(L);
    }

    /** R || S as a 64-byte signature; S is written as given, reduced or not. */
    static byte[] signature(final byte[] r, final BigInteger s)
    {
        final byte[] out = new byte[64];
        System.arraycopy(r, 0, out, 0, 32);
        System.arraycopy(toLittleEndian(s), 0, out, 32, 32);
        return out;
    }

    static BigInteger littleEndian(final byte[] bytes)
    {
        final byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    static byte[] toLittleEndian(final BigInteger value)
    {
        final byte[] out = new byte[32];
        final byte[] bigEndian = value.toByteArray();
        for (int i = 0; i < bigEndian.length && i < 32; i++)
        {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    private static byte[] sha512(final byte[]... parts)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-512");
            for (final byte[] part : parts)
            {
                digest.update(part);
            }
            return digest.digest();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
