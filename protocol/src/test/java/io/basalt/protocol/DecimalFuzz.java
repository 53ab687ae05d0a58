package io.basalt.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link Decimal}, the parser of amounts, ids and counts in JSON and on the
 * command line (docs/fuzzing.md). The contract: any text either parses to the one value whose
 * canonical spelling it is, or throws IllegalArgumentException with a message that names the field.
 */
final class DecimalFuzz {
    private static final String WHAT = "amount";

    @FuzzTest(maxDuration = "60s")
    void parseUnsigned(final byte[] data) {
        // Raw bytes read as UTF-8, so seeds are plain text files and other scripts' digits are reachable.
        final String text = new String(data, StandardCharsets.UTF_8);
        final long value;
        try {
            value = Decimal.parseUnsigned(text, WHAT);
        } catch (final IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith(WHAT), "names the field: " + e.getMessage());
            return;
        }
        // One value, one spelling: what parsed is exactly the canonical unsigned decimal.
        assertEquals(Long.toUnsignedString(value), text);
        final long max = Long.MAX_VALUE;
        if (value >= 0) {
            assertEquals(value, Decimal.parse(text, max, WHAT));
        }
    }
}
