package io.basalt.node.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Writes the errors that Jetty raises itself (a bad request line or Content-Length, an ambiguous
 * path, a URI or headers over the limit, a failed handler) as the gateway's documented JSON error
 * ({@code {"code", "message"}}, docs/api.md) instead of Jetty's HTML page. Jetty's own message is left
 * out on purpose: the codes are the contract, and nothing of the request is echoed back.
 *
 * <p>Two paths reach it: {@link #generateResponse} for errors raised once a request exists, and
 * {@link #badMessageError} for requests the parser refused before there was one (414, 431, a bad
 * Content-Length).
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    private final GatewayMetrics metrics;

    JsonErrorHandler(final GatewayMetrics metrics) {
        this.metrics = metrics;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean errorPageForMethod(final String method) {
        return true;
    }

    @Override
    protected void generateResponse(final Request request, final Response response, final int code, final String message,
                                    final Throwable cause, final Callback callback) {
        metrics.request("error", code);
        response.getHeaders().put(JSON_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, body(code), callback);
    }

    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
        metrics.request("error", status);
        fields.put(JSON_TYPE);
        return ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8));
    }

    static String body(final int status) {
        final GatewayError error = GatewayError.forHttpStatus(status);
        return GatewayJson.error(error.name(), error.message()).toString();
    }
}
