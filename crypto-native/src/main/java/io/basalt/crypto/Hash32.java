package io.basalt.crypto;

import java.util.Arrays;
import java.util.Objects;

/** Helpers for 32-byte hashes (SHA-256 digests, transaction ids) held in byte arrays. */
public final class Hash32
{
    public static final int LENGTH = 32;

    private Hash32()
    {
    }

    public static String toHex(final byte[] hash)
    {
        if (hash.length != LENGTH)
        {
            throw new IllegalArgumentException("expected " + LENGTH + " bytes, got " + hash.length);
        }
        return Hex.encode(hash);
    }

    public static String toHex(final byte[] buffer, final int offset)
    {
        return Hex.encode(buffer, offset, LENGTH);
    }

    public static byte[] fromHex(final CharSequence hex)
    {
        return Hex.decode(hex, LENGTH, "a hash");
    }

    /** Compares two 32-byte hashes in place, without copying. */
    public static boolean equals(final byte[] a, final int aOffset, final byte[] b, final int bOffset)
    {
        Objects.checkFromIndexSize(aOffset, LENGTH, a.length);
        Objects.checkFromIndexSize(bOffset, LENGTH, b.length);
        return Arrays.equals(a, aOffset, aOffset + LENGTH, b, bOffset, bOffset + LENGTH);
    }
}
