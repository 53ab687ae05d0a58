package io.basalt.crypto;

import java.util.Objects;

/**
 * Lower-case hexadecimal encoding. Decoding errors name the position of the bad character but never echo the
 * input, because the input may be a secret seed read from a key file.
 */
public final class Hex
{
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex()
    {
    }

    public static String encode(final byte[] bytes)
    {
        return encode(bytes, 0, bytes.length);
    }

    public static String encode(final byte[] bytes, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        final char[] chars = new char[length * 2];
        for (int i = 0; i < length; i++)
        {
            final int b = bytes[offset + i] & 0xFF;
            chars[2 * i] = DIGITS[b >>> 4];
            chars[2 * i + 1] = DIGITS[b & 0xF];
        }
        return new String(chars);
    }

    /**
     * Decodes an even-length string of ASCII hex digits ({@code 0-9}, {@code a-f}, {@code A-F}). Digits of
     * other scripts are refused ({@link Character#digit} takes the Arabic-Indic {@code \u0661} as 1, so two
     * strings would name one account), as are whitespace, signs and {@code 0x}.
     *
     * @throws IllegalArgumentException on odd length or a non-hex character; the message holds no input.
     */
    public static byte[] decode(final CharSequence hex)
    {
        if ((hex.length() & 1) != 0)
        {
            throw new IllegalArgumentException("hex string has odd length " + hex.length());
        }
        final byte[] out = new byte[hex.length() / 2];
        decode(hex, out, 0);
        return out;
    }

    /**
     * Decodes exactly {@code bytes} bytes: the one parser of addresses, ids and keys written as hex.
     *
     * @throws IllegalArgumentException naming {@code what}, on a wrong length or a non-hex character; the
     *                                  message holds no input.
     */
    public static byte[] decode(final CharSequence hex, final int bytes, final String what)
    {
        if (hex == null || hex.length() != 2 * bytes)
        {
            throw new IllegalArgumentException(what + " must be " + 2 * bytes + " hex digits, got "
                + (hex == null ? 0 : hex.length()) + " characters");
        }
        try
        {
            return decode(hex);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** Decodes {@code hex} into {@code out} at {@code offset}; the string must fill exactly hex.length()/2 bytes. */
    public static void decode(final CharSequence hex, final byte[] out, final int offset)
    {
        if ((hex.length() & 1) != 0)
        {
            throw new IllegalArgumentException("hex string has odd length " + hex.length());
        }
        final int length = hex.length() / 2;
        Objects.checkFromIndexSize(offset, length, out.length);
        for (int i = 0; i < length; i++)
        {
            out[offset + i] = (byte)((digit(hex, 2 * i) << 4) | digit(hex, 2 * i + 1));
        }
    }

    private static int digit(final CharSequence hex, final int index)
    {
        final char c = hex.charAt(index);
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("not an ASCII hex digit at position " + index);
    }
}
