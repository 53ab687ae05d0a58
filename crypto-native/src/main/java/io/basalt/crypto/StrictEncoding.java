package io.basalt.crypto;

/**
 * Byte-level checks of the strict verification rule: canonical scalars and point encodings, and the small-order
 * blacklist. They run in the facade, before either provider sees the input, and cost a few dozen byte comparisons.
 * <p>
 * Encodings are little-endian; a point is y (255 bits) with the sign of x in bit 255.
 * <pre>
 *   byte  0                               30   31
 *        +--------------------------------+----+-----------------+
 *        | y, least significant byte first     | s | y bits 248-254 |
 *        +--------------------------------+----+-----------------+
 * </pre>
 */
final class StrictEncoding
{
    static final int POINT_BYTES = 32;
    static final int SCALAR_BYTES = 32;

    /** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
    private static final byte[] L = bytes(
        "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

    /**
     * The y coordinates of the 8 points of small order, little-endian, sign bit clear: y = 0 (the two points of
     * order 4), y = 1 (identity), y = p - 1 (order 2), and the two y values shared by the four points of order 8.
     * Libsodium's blacklist additionally lists p and p + 1, which are non-canonical and rejected earlier.
     */
    private static final byte[][] SMALL_ORDER_Y = {
        bytes("0000000000000000000000000000000000000000000000000000000000000000"),
        bytes("0100000000000000000000000000000000000000000000000000000000000000"),
        bytes("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        bytes("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        bytes("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    };

    private StrictEncoding()
    {
    }

    /** S < L, compared from the most significant byte down. */
    static boolean isCanonicalScalar(final byte[] s, final int offset)
    {
        for (int i = SCALAR_BYTES - 1; i >= 0; i--)
        {
            final int a = s[offset + i] & 0xFF;
            final int b = L[i] & 0xFF;
            if (a != b)
            {
                return a < b;
            }
        }
        return false;
    }

    /**
     * y < p = 2^255 - 19, and no "negative zero": x = 0 only for y = 1 and y = p - 1, whose encodings with the sign
     * bit set name the same points a second time.
     */
    static boolean isCanonicalPoint(final byte[] p, final int offset)
    {
        if (yAtLeastFieldPrime(p, offset))
        {
            return false;
        }
        final boolean signBit = (p[offset + POINT_BYTES - 1] & 0x80) != 0;
        return !(signBit && (yEquals(p, offset, SMALL_ORDER_Y[1]) || yEquals(p, offset, SMALL_ORDER_Y[2])));
    }

    /** True for the 8 small-order points; the encoding must already be canonical. */
    static boolean hasSmallOrder(final byte[] p, final int offset)
    {
        for (final byte[] y : SMALL_ORDER_Y)
        {
            if (yEquals(p, offset, y))
            {
                return true;
            }
        }
        return false;
    }

    /** p = ed ff .. ff 7f little-endian, so y >= p needs bytes 1..30 all ff, top byte 7f, and byte 0 >= ed. */
    private static boolean yAtLeastFieldPrime(final byte[] p, final int offset)
    {
        if ((p[offset + POINT_BYTES - 1] & 0x7F) != 0x7F)
        {
            return false;
        }
        for (int i = 1; i < POINT_BYTES - 1; i++)
        {
            if (p[offset + i] != (byte)0xFF)
            {
                return false;
            }
        }
        return (p[offset] & 0xFF) >= 0xED;
    }

    private static boolean yEquals(final byte[] p, final int offset, final byte[] y)
    {
        for (int i = 0; i < POINT_BYTES - 1; i++)
        {
            if (p[offset + i] != y[i])
            {
                return false;
            }
        }
        return (p[offset + POINT_BYTES - 1] & 0x7F) == y[POINT_BYTES - 1];
    }

    private static byte[] bytes(final String hex)
    {
        return Hex.decode(hex);
    }
}
