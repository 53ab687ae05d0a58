package io.basalt.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link Hex}, the parser of addresses, ids and keys written as text
 * (docs/fuzzing.md). The contract: any text either decodes, and then it was ASCII hex whose lower-case
 * form is exactly the encoding of the bytes (so two spellings differ only in case), or it throws
 * IllegalArgumentException naming the field.
 */
final class HexFuzz {
    private static final String WHAT = "address";

    @FuzzTest(maxDuration = "60s")
    void decode(final byte[] data) {
        // Raw bytes read as UTF-8, so seeds are plain text files and other scripts' digits are reachable.
        final String text = new String(data, StandardCharsets.UTF_8);
        final byte[] bytes;
        try {
            bytes = Hex.decode(text);
        } catch (final IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            exactLength(text);
            return;
        }
        assertEquals(text.toLowerCase(Locale.ROOT), Hex.encode(bytes));
        assertEquals(Hex.encode(bytes), Hex.encode(Hex.decode(text, bytes.length, WHAT)));
    }

    /** The exact-length form refuses what the plain form refuses, naming the field. */
    private static void exactLength(final String text) {
        try {
            Hex.decode(text, text.length() / 2, WHAT);
        } catch (final IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith(WHAT), e.getMessage());
            return;
        }
        throw new AssertionError("exact-length decode accepted what decode refused");
    }
}
