package io.basalt.node.gateway;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.basalt.node.config.HttpLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of what a WebSocket client sends on the finality stream (docs/fuzzing.md):
 * after a real upgrade to {@link HttpGateway#STREAM_PATH} over loopback, the input's bytes are written
 * as they are, as frames or garbage. Contract: the gateway answers with WebSocket frames only (never an
 * HTTP error page or a stack trace mid-stream), counts no internal error, and gives every stream slot
 * back: after the client hangs up, the number of open streams returns to zero.
 *
 * <p>Jetty parses the frames; the target checks what Basalt builds on them (the stream ignores text a
 * client sends, the slot accounting of {@link FinalityStream}, the limits of the upgrade).
 */
final class WebSocketFramesFuzz {
    private static final HttpLimits LIMITS = new HttpLimits(30_000, 3_000, 1_024, 64, 1_000_000_000, 16, true,
        1_000_000_000, HttpLimits.NO_LIVENESS_PORT);
    private static HttpGateway gateway;
    private static long runs;

    @FuzzTest(maxDuration = "60s")
    void frames(final byte[] data) throws Exception {
        start();
        // Jazzer's SSRF detector flags any connection the target makes; this one, to the gateway under
        // test, is the point of the target.
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(
                (host, port) -> port == gateway.port() && ("127.0.0.1".equals(host) || "localhost".equals(host)));
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 2_000);
            socket.setSoTimeout(2_000);
            final String head = RawWebSocket.upgrade(socket);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            try {
                out.write(data);
                out.flush();
                // Whatever comes back is WebSocket frames: a first byte with FIN/opcode, never "HTTP/" or "<".
                socket.setSoTimeout(2);
                final int first = in.read();
                if (first >= 0) {
                    // Server frames have RSV bits clear ('H' of "HTTP/" and '<' of HTML both set some).
                    final int opcode = first & 0x0F;
                    assertTrue((first & 0x70) == 0 && (opcode == 0x1 || opcode == 0x2 || opcode >= 0x8 && opcode <= 0xA),
                        "not a WebSocket frame: first byte " + first);
                }
            } catch (final SocketTimeoutException quiet) {
                // No answer to the input is a fine answer.
            } catch (final IOException reset) {
                // The gateway closed the connection on bad frames: also fine.
            }
        }
        assertEquals(0, gateway.metrics().internalErrors.sum(), "internal error on WebSocket input");
        if (++runs % 256 == 0) {
            awaitNoStreams();
        }
    }

    private static void awaitNoStreams() throws InterruptedException {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (gateway.streamConnections() != 0) {
            assertTrue(System.currentTimeMillis() < deadline, "stream slots leaked: " + gateway.streamConnections() + " open");
            Thread.sleep(5);
        }
    }

    /** One gateway for the whole run; the JVM's exit ends it. */
    private static synchronized void start() {
        if (gateway != null) {
            return;
        }
        gateway = new HttpGateway(new FakeNode(), new InetSocketAddress("127.0.0.1", 0), TestTransactions.key(3),
            TestTransactions.genesis(), LIMITS);
        gateway.start();
    }
}
