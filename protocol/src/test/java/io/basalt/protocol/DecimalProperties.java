package io.basalt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Issue 10 item 6: amounts and ids as text have one spelling, and only plain ASCII digits make one. */
class DecimalProperties {
    @Property(tries = 500)
    void everyUnsignedValueRoundTripsThroughItsCanonicalSpelling(@ForAll final long bits) {
        assertEquals(bits, Decimal.parseUnsigned(Long.toUnsignedString(bits), "x"));
    }

    @Property(tries = 300)
    void aBoundIsInclusiveAndHolds(@ForAll @LongRange(min = 0) final long max, @ForAll @LongRange(min = 0) final long value) {
        final String text = Long.toString(value);
        if (value <= max) {
            assertEquals(value, Decimal.parse(text, max, "x"));
        } else {
            assertThrows(IllegalArgumentException.class, () -> Decimal.parse(text, max, "x"));
        }
    }

    /** Any non-ASCII-digit character anywhere in a number, including other scripts' digits, is refused. */
    @Property(tries = 500)
    void aForeignCharacterAnywhereIsRefused(@ForAll @LongRange(min = 0) final long value, @ForAll("notAsciiDigit") final char c,
                                            @ForAll final int where) {
        final String digits = Long.toString(value);
        final int at = Math.floorMod(where, digits.length() + 1);
        final String text = digits.substring(0, at) + c + digits.substring(at);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Decimal.parseUnsigned(text, "amount"));
        assertTrue(e.getMessage().startsWith("amount"), e.getMessage());
    }

    /** What Long.parseLong takes and no canonical spelling has: a leading zero. */
    @Property(tries = 200)
    void leadingZerosAreRefused(@ForAll @LongRange(min = 0) final long value) {
        assertThrows(IllegalArgumentException.class, () -> Decimal.parseUnsigned("0" + value, "x"));
    }

    @Provide
    Arbitrary<Character> notAsciiDigit() {
        return Arbitraries.chars().filter(c -> c < '0' || c > '9');
    }

    @Test
    void theOldLooseInputsAreRefusedWithAClearError() {
        // Each of these Long.parseLong (picocli's default) or Character.digit accepts as a number.
        for (final String loose : new String[] {"+5", "-0", " 5", "5 ", "05", "\u0665", "\uFF15", "1\u0660", "\u0967\u0966",
            "1_000", "1e3", "5.0", "0x10", "", "18446744073709551616", "99999999999999999999", "000000000000000000001"}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Decimal.parseUnsigned(loose, "--amount"), loose);
            assertTrue(e.getMessage().startsWith("--amount"), e.getMessage());
            assertTrue(loose.isEmpty() || !e.getMessage().contains(loose.trim()) || loose.trim().length() < 2,
                "the error does not echo the input: " + e.getMessage());
        }
        assertEquals(-1L, Decimal.parseUnsigned("18446744073709551615", "x"), "2^64 - 1 is the largest");
        assertEquals(0L, Decimal.parseUnsigned("0", "x"));
        assertEquals(Long.parseLong("\u0665"), 5L, "the JDK's parser is the loose one");
        assertThrows(IllegalArgumentException.class, () -> Decimal.parse("-1", Long.MAX_VALUE, "x"));
        assertThrows(IllegalArgumentException.class, () -> Decimal.parse("9223372036854775808", Long.MAX_VALUE, "x"));
    }
}
