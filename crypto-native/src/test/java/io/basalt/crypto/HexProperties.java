package io.basalt.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Issue 10 item 6: hex is ASCII hex and nothing else, so two different strings never name one account. */
class HexProperties
{
    @Property(tries = 500)
    void roundTripsInEitherCase(@ForAll @Size(max = 64) final byte[] bytes)
    {
        final String hex = Hex.encode(bytes);
        assertArrayEquals(bytes, Hex.decode(hex));
        assertArrayEquals(bytes, Hex.decode(hex.toUpperCase(Locale.ROOT)));
    }

    /** One character that is not ASCII hex, anywhere in a valid address, makes it no address. */
    @Property(tries = 1000)
    void aNonAsciiHexCharacterAnywhereIsRefused(@ForAll @Size(32) final byte[] address, @ForAll final char c,
        @ForAll final int where)
    {
        final boolean asciiHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        final char[] text = Hex.encode(address).toCharArray();
        final int at = Math.floorMod(where, text.length);
        text[at] = c;
        if (asciiHex)
        {
            assertEquals(32, Hex.decode(new String(text), 32, "address").length);
        }
        else
        {
            final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Hex.decode(new String(text), 32, "address"));
            assertTrue(e.getMessage().contains("position " + at), e.getMessage());
        }
    }

    @Property(tries = 300)
    void onlyTheExactLengthIsAnAddress(@ForAll @Size(max = 40) final byte[] bytes)
    {
        final String hex = Hex.encode(bytes);
        if (bytes.length == 32)
        {
            assertArrayEquals(bytes, Hex.decode(hex, 32, "address"));
        }
        else
        {
            final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Hex.decode(hex, 32, "address"));
            assertTrue(e.getMessage().startsWith("address must be 64 hex digits"), e.getMessage());
        }
    }

    /** Every character Character.digit(c, 16) took as a hex digit outside ASCII is refused now. */
    @Test
    void everyDigitOfAnotherScriptIsRefused()
    {
        int loose = 0;
        for (int c = 0x80; c <= 0xFFFF; c++)
        {
            if (Character.digit((char)c, 16) >= 0)
            {
                loose++;
                final String text = "0" + (char)c;
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hex.decode(text),
                    Integer.toHexString(c));
                assertEquals("not an ASCII hex digit at position 1", e.getMessage());
            }
        }
        assertTrue(loose > 300, "the JDK takes hundreds of such characters: " + loose);
        // The attack: an address in which one '1' is written as ARABIC-INDIC DIGIT ONE.
        final String genuine = "11".repeat(32);
        final String lookalike = "\u0661" + genuine.substring(1);
        assertEquals(1, Character.digit('\u0661', 16), "the old decoder took it for 1");
        assertThrows(IllegalArgumentException.class, () -> Hex.decode(lookalike, 32, "address"));
        assertThrows(IllegalArgumentException.class, () -> Hash32.fromHex(lookalike));
        for (final String junk : new String[] {" " + genuine.substring(1), "0x" + genuine.substring(2), "+" + genuine.substring(1)})
        {
            assertThrows(IllegalArgumentException.class, () -> Hex.decode(junk, 32, "address"));
        }
    }
}
