package io.basalt.protocol;

/**
 * Why bytes from the network or a client were rejected by {@link MessageValidator}.
 *
 * <p>Bad input is not a bug: callers count the error in a metric (by {@link #code()}) and drop the
 * message. The numeric codes are stable and may appear on the wire (for example as a
 * {@code SubmitAck.reason}) and in dashboards: append new values, never renumber.
 */
public enum DecodeError
{
    /** Not an error: every check passed. Returned instead of {@code null} so callers can switch on it. */
    OK(0, "valid"),
    /** The region ends before a header, block, group entry or varData field that it announces. */
    TRUNCATED(1, "message is shorter than its own headers announce"),
    /** A length is above its limit in {@link ProtocolLimits}. */
    OVERSIZED(2, "message or embedded field is longer than the protocol allows"),
    UNKNOWN_SCHEMA(3, "schemaId is not Basalt's"),
    UNSUPPORTED_VERSION(4, "schema version is not supported"),
    UNKNOWN_TEMPLATE(5, "templateId names no message of the schema"),
    /** A known message where another kind is required (for example a Block inside SubmitTx). */
    UNEXPECTED_TEMPLATE(6, "message type is not allowed here"),
    /** A root or group blockLength differs from the schema's: such bytes are not the canonical encoding. */
    BAD_BLOCK_LENGTH(7, "blockLength differs from the schema"),
    COUNT_OUT_OF_RANGE(8, "repeating group count is outside its allowed range"),
    BAD_ENUM(9, "enum field holds an unknown value"),
    /** Bytes remain after the message: one logical message must have exactly one encoding. */
    TRAILING_BYTES(10, "bytes follow the end of the message"),
    BAD_SIGNATURE_COUNT(11, "wrong number of signatures for this message type"),
    /** A transaction inside a Block, or a Block inside a BlockResponse, is itself invalid. */
    INVALID_NESTED(12, "embedded transaction or block is invalid"),
    BAD_VALIDATOR_INDEX(13, "validator index is not below MAX_COMMITTEE"),
    /** Certificate signer indices must be strictly increasing, so a signer cannot be counted twice. */
    NONCANONICAL_SIGNERS(14, "certificate signers are not strictly increasing"),
    BAD_FIELD_VALUE(15, "field value breaks a structural rule of its message"),
    BAD_RANGE(16, "round range is empty, reversed or too long"),
    /** offset/length do not lie inside the buffer: a caller bug, reported rather than thrown. */
    BAD_REGION(17, "offset and length do not describe a region of the buffer");

    private static final DecodeError[] BY_CODE;

    static
    {
        final DecodeError[] values = values();
        BY_CODE = new DecodeError[values.length];
        for (final DecodeError error : values)
        {
            if (BY_CODE[error.code] != null)
            {
                throw new IllegalStateException("duplicate DecodeError code " + error.code);
            }
            BY_CODE[error.code] = error;
        }
    }

    private final int code;
    private final String message;

    DecodeError(final int code, final String message)
    {
        this.code = code;
        this.message = message;
    }

    /** Stable numeric code, 0 for {@link #OK}. */
    public int code()
    {
        return code;
    }

    /** Short human-readable explanation. */
    public String message()
    {
        return message;
    }

    public boolean isOk()
    {
        return this == OK;
    }

    /**
     * The error with the given code.
     *
     * @throws IllegalArgumentException if no error has that code.
     */
    public static DecodeError fromCode(final int code)
    {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null)
        {
            throw new IllegalArgumentException("unknown DecodeError code " + code);
        }
        return BY_CODE[code];
    }
}
