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
    UNSUPPORTED_MEDIA_TYPE(415, "a request with a body must say Content-Type: application/json"),
    BAD_REQUEST(400, "the request is not valid HTTP (request line, header, URI or Content-Length)"),
    REQUEST_TIMEOUT(408, "the request body did not arrive in time"),
    URI_TOO_LONG(414, "the request URI exceeds the gateway's limit"),
    HEADERS_TOO_LARGE(431, "the request headers exceed the gateway's limit"),
    RATE_LIMITED(429, "this client sends more requests than the gateway allows; retry later"),
    UNAVAILABLE(503, "the gateway cannot serve this request now; retry later"),
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

    /**
     * The code for an error that Jetty raised itself (a bad request line, oversized headers, a timeout)
     * and that reaches the gateway only as an HTTP status.
     */
    public static GatewayError forHttpStatus(final int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> BODY_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String message() {
        return message;
    }
}
