package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.config.HttpLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What docs/api.md promises for malformed frames on /v1/stream: RFC 6455 close codes, and the slot back. */
@Timeout(30)
class WebSocketFrameErrorsTest {
    private HttpGateway gateway;

    @BeforeEach
    void start() {
        gateway = new HttpGateway(new FakeNode(), new InetSocketAddress("127.0.0.1", 0), TestTransactions.key(3),
            TestTransactions.genesis(), HttpLimits.DEFAULT);
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() throws Exception {
        // A text frame "hi" without the mask bit clients must set.
        assertEquals(1002, closeCodeAfter(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}));
    }

    @Test
    void aReservedOpcodeIsAProtocolError() throws Exception {
        assertEquals(1002, closeCodeAfter(masked(0x83, new byte[2])));
    }

    @Test
    void aMessageOverFourKibIsTooBig() throws Exception {
        assertEquals(1009, closeCodeAfter(masked(0x81, "x".repeat(5_000).getBytes(StandardCharsets.US_ASCII))));
    }

    /** Upgrades, sends {@code frame}, and returns the status code of the close frame the server answers with. */
    private int closeCodeAfter(final byte[] frame) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 2_000);
            socket.setSoTimeout(5_000);
            final String head = RawWebSocket.upgrade(socket);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            out.write(frame);
            out.flush();
            while (true) {
                final int first = in.read();
                assertTrue(first >= 0, "the connection ended without a close frame");
                final int length = in.read() & 0x7F;
                final byte[] payload = in.readNBytes(length == 126 ? (in.read() << 8 | in.read()) : length);
                if ((first & 0x0F) == 0x8) {
                    assertTrue(payload.length >= 2, "a close frame with a status code");
                    awaitNoStreams();
                    return (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
                }
            }
        }
    }

    private void awaitNoStreams() throws InterruptedException {
        final long deadline = System.currentTimeMillis() + 5_000;
        while (gateway.streamConnections() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, gateway.streamConnections(), "the stream's slot is given back");
    }

    private static byte[] masked(final int firstByte, final byte[] payload) {
        final byte[] mask = {1, 2, 3, 4};
        final int header = payload.length < 126 ? 2 : 4;
        final byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) firstByte;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }
}
