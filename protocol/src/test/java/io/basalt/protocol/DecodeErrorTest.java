package io.basalt.protocol;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodeErrorTest
{
    /** Codes are on the wire and in dashboards: this pins them. Append, never renumber. */
    @Test
    void codesAreStable()
    {
        final DecodeError[] expected = {
            DecodeError.OK, DecodeError.TRUNCATED, DecodeError.OVERSIZED, DecodeError.UNKNOWN_SCHEMA,
            DecodeError.UNSUPPORTED_VERSION, DecodeError.UNKNOWN_TEMPLATE, DecodeError.UNEXPECTED_TEMPLATE,
            DecodeError.BAD_BLOCK_LENGTH, DecodeError.COUNT_OUT_OF_RANGE, DecodeError.BAD_ENUM, DecodeError.TRAILING_BYTES,
            DecodeError.BAD_SIGNATURE_COUNT, DecodeError.INVALID_NESTED, DecodeError.BAD_VALIDATOR_INDEX,
            DecodeError.NONCANONICAL_SIGNERS, DecodeError.BAD_FIELD_VALUE, DecodeError.BAD_RANGE, DecodeError.BAD_REGION };
        assertEquals(expected.length, DecodeError.values().length);
        for (int code = 0; code < expected.length; code++)
        {
            assertEquals(code, expected[code].code());
            assertSame(expected[code], DecodeError.fromCode(code));
        }
    }

    @Test
    void everyErrorHasAUniqueCodeAndAMessage()
    {
        final Set<Integer> codes = new HashSet<>();
        for (final DecodeError error : DecodeError.values())
        {
            assertTrue(codes.add(error.code()));
            assertFalse(error.message().isBlank());
            assertEquals(error == DecodeError.OK, error.isOk());
        }
        assertThrows(IllegalArgumentException.class, () -> DecodeError.fromCode(-1));
        assertThrows(IllegalArgumentException.class, () -> DecodeError.fromCode(DecodeError.values().length));
    }
}
