package io.basalt.protocol;

/**
 * The one parser of amounts, ids and counts written as text (CLI options, JSON strings, node
 * answers): plain non-negative decimal integers in their canonical form, so that one value has one
 * spelling. Only ASCII {@code 0-9}; no sign, no leading zero (except {@code "0"} itself), no
 * whitespace, no underscores, no other script's digits ({@link Long#parseLong} takes {@code "+5"}
 * and {@code "\u0665"} as 5; this does not). Errors say which rule the text broke and at which
 * position, and never echo it.
 */
public final class Decimal {
    /** Digits of 2^64 - 1, the largest unsigned 64-bit value. */
    public static final int MAX_DIGITS = 20;

    private static final long UNSIGNED_MAX_DIV_10 = Long.divideUnsigned(-1L, 10);
    private static final int UNSIGNED_MAX_MOD_10 = (int) Long.remainderUnsigned(-1L, 10);

    private Decimal() {
    }

    /**
     * Parses {@code text} as a value from 0 to {@code max} inclusive ({@code max >= 0}).
     *
     * @throws IllegalArgumentException naming {@code what} and the broken rule
     */
    public static long parse(final CharSequence text, final long max, final String what) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be non-negative: " + max);
        }
        final long value = parseUnsigned(text, what);
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " must be at most " + max);
        }
        return value;
    }

    /**
     * Parses {@code text} as an unsigned 64-bit value (0 to 2^64 - 1), returned in a long's bits
     * (read it with {@link Long#toUnsignedString}).
     *
     * @throws IllegalArgumentException naming {@code what} and the broken rule
     */
    public static long parseUnsigned(final CharSequence text, final String what) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " must be a decimal integer, got nothing");
        }
        final int length = text.length();
        if (length > MAX_DIGITS) {
            throw new IllegalArgumentException(what + " has " + length + " characters; at most " + MAX_DIGITS + " digits");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + ": not a digit at position " + i
                    + " (plain ASCII 0-9 only: no sign, spaces or separators)");
            }
            final int digit = c - '0';
            if (i == 1 && text.charAt(0) == '0') {
                throw new IllegalArgumentException(what + " has a leading zero");
            }
            final int cmp = Long.compareUnsigned(value, UNSIGNED_MAX_DIV_10);
            if (cmp > 0 || (cmp == 0 && digit > UNSIGNED_MAX_MOD_10)) {
                throw new IllegalArgumentException(what + " is above 2^64 - 1");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Whether {@code c} is an ASCII decimal digit. */
    public static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }
}
