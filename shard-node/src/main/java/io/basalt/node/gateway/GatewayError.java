package io.basalt.node.gateway;

/**
 * Errors the HTTP gateway reports itself, before or beside the node's {@link io.basalt.protocol.RejectCode}s.
 * The names are stable: they are the {@code "code"} of JSON error bodies and appear in docs/api.md.
 */
public enum GatewayError {
    BAD_JSON(400, "the body is not the JSON object this endpoint expects"),
    BAD_HEX(400, "a field that must be hexadecimal is not"),
    BAD_LENGTH(400, "a field has the wrong length"),
    BAD_AMOUNT(400, "amount must be a positive integer within the allowed range"),
    BODY_TOO_LARGE(413, "the request body exceeds the gateway's limit"),
    NOT_FOUND(404, "no such endpoint"),
    METHOD_NOT_ALLOWED(405, "this endpoint does not accept that method"),
    UPGRADE_REQUIRED(426, "this endpoint is a WebSocket; send an upgrade request"),
    TOO_MANY_STREAMS(503, "the gateway serves its maximum number of WebSocket streams"),
    FAUCET_DISABLED(404, "this node has no faucet"),
    INTERNAL(500, "the gateway failed to answer; see the node's log");

    private final int httpStatus;
    private final String message;

    GatewayError(final int httpStatus, final String message) {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String message() {
        return message;
    }
}
