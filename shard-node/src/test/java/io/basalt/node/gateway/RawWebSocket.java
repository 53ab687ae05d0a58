package io.basalt.node.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A WebSocket upgrade to {@link HttpGateway#STREAM_PATH} written by hand, so a test can send any bytes after it. */
final class RawWebSocket {
    private static final String KEY = Base64.getEncoder().encodeToString("basalt-raw-ws-16".getBytes(StandardCharsets.US_ASCII));

    private RawWebSocket() {
    }

    /** Sends the upgrade request on {@code socket} and returns the response head (status line and headers). */
    static String upgrade(final Socket socket) throws IOException {
        final OutputStream out = socket.getOutputStream();
        out.write(("GET " + HttpGateway.STREAM_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
