package io.basalt.protocol;

/**
 * Why a validator refused a submitted transaction. The numeric code and the name are stable: they
 * travel in {@code SubmitAck.reason}, in HTTP error bodies ({@code "code": "EXPIRED"}) and in metrics.
 */
public enum RejectCode {
    NONE(0, "accepted"),
    MALFORMED(1, "bytes are not a valid transaction"),
    BAD_SIGNATURE(2, "a signature does not verify"),
    WRONG_SHARD(3, "the sender's account lives on another shard"),
    EXPIRED(4, "expiry is not after the current consensus time"),
    EXPIRY_TOO_FAR(5, "expiry is more than 60 s after the current consensus time"),
    DUPLICATE(6, "this transaction id is already known"),
    INSUFFICIENT_FEE_BALANCE(7, "the sender cannot pay the fee"),
    WRONG_NETWORK(8, "networkId does not match this network"),
    UNSUPPORTED(9, "clients may not submit this kind of transaction (a certified cross-shard batch)"),
    OVERLOADED(10, "the validator's queues are full; retry later"),
    NOT_READY(11, "the validator is still starting or catching up");

    private final int code;
    private final String message;

    RejectCode(final int code, final String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public static RejectCode fromCode(final int code) {
        for (final RejectCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return MALFORMED;
    }
}
