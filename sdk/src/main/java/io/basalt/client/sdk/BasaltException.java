package io.basalt.client.sdk;

/**
 * A request the node refused or could not answer. {@link #code()} is the stable code of the API's
 * error body ({@code "EXPIRED"}, {@code "BAD_HEX"}, ...; docs/api.md) or {@code "UNREACHABLE"} when
 * the node could not be reached; {@link #httpStatus()} is 0 when there was no HTTP answer.
 */
public final class BasaltException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final String detail;
    private final int httpStatus;

    public BasaltException(final String code, final String message, final int httpStatus) {
        super(code + ": " + message);
        this.code = code;
        this.detail = message;
        this.httpStatus = httpStatus;
    }

    public BasaltException(final String code, final String message, final Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
        this.detail = message;
        this.httpStatus = 0;
    }

    public String code() {
        return code;
    }

    /** The message without the code in front, for wrapping in a message of one's own. */
    public String detail() {
        return detail;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
