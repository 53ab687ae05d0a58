package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.Hex;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.TxState;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FinalityStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeNode node;
    private HttpGateway gateway;

    @BeforeEach
    void start() {
        node = new FakeNode();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        http.shutdownNow();
    }

    private void startGateway(final FinalityStream.Limits limits) {
        gateway = new HttpGateway(node, new InetSocketAddress("127.0.0.1", 0), null, TestTransactions.genesis(), limits);
        gateway.start();
    }

    /** A JDK WebSocket client that queues every text message it receives. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** The next finality message, skipping heartbeats. */
        JsonNode nextFinality(final long timeoutMs) throws Exception {
            final long deadline = System.currentTimeMillis() + timeoutMs;
            while (true) {
                final String message = messages.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (message == null) {
                    return null;
                }
                final JsonNode json = JSON.readTree(message);
                if ("finality".equals(json.get("type").asText())) {
                    return json;
                }
            }
        }
    }

    private WebSocket connect(final Collector collector) throws Exception {
        final WebSocket ws = http.newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + HttpGateway.STREAM_PATH), collector)
            .get(5, TimeUnit.SECONDS);
        waitFor(() -> gateway.streamConnections() >= 1, 5_000);
        return ws;
    }

    private static void waitFor(final java.util.function.BooleanSupplier condition, final long timeoutMs) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "condition not met in " + timeoutMs + " ms");
            Thread.sleep(5);
        }
    }

    private static byte[] id(final int n) {
        final byte[] id = new byte[32];
        id[0] = (byte) (n >>> 24);
        id[1] = (byte) (n >>> 16);
        id[2] = (byte) (n >>> 8);
        id[3] = (byte) n;
        return id;
    }

    @Test
    void streamDeliversFinalityEventsInOrder() throws Exception {
        startGateway(FinalityStream.Limits.DEFAULT);
        final Collector collector = new Collector();
        final WebSocket ws = connect(collector);
        node.emit(new FinalityEvent(id(1), TxState.ACCEPTED, 0, 0, 10));
        node.emit(new FinalityEvent(id(1), TxState.COMMITTED, 0, 8, 11));
        node.emit(new FinalityEvent(id(2), TxState.REJECTED, 6, 0, 12));

        final JsonNode accepted = collector.nextFinality(5_000);
        assertEquals(Hex.encode(id(1)), accepted.get("txId").asText());
        assertEquals("ACCEPTED", accepted.get("state").asText());
        final JsonNode committed = collector.nextFinality(5_000);
        assertEquals("COMMITTED", committed.get("state").asText());
        assertEquals("SUCCESS", committed.get("result").asText());
        assertEquals(8, committed.get("height").asLong());
        assertEquals(11, committed.get("consensusTimeMs").asLong());
        final JsonNode rejected = collector.nextFinality(5_000);
        assertEquals("REJECTED", rejected.get("state").asText());
        assertEquals("DUPLICATE", rejected.get("rejectCode").asText());

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        waitFor(() -> gateway.streamConnections() == 0, 5_000);
    }

    @Test
    void heartbeatsKeepAnIdleStreamAlive() throws Exception {
        startGateway(new FinalityStream.Limits(1_024, 64, 8, 50));
        final Collector collector = new Collector();
        connect(collector);
        final String message = collector.messages.poll(5, TimeUnit.SECONDS);
        assertTrue(message != null && message.contains("\"heartbeat\""), String.valueOf(message));
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        startGateway(new FinalityStream.Limits(1_024, 64, 1, 15_000));
        connect(new Collector());
        final var refused = http.newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + HttpGateway.STREAM_PATH), new Collector());
        try {
            refused.get(5, TimeUnit.SECONDS);
            throw new AssertionError("second stream should be refused");
        } catch (final java.util.concurrent.ExecutionException expected) {
            assertEquals(1, gateway.metrics().wsRefused.sum());
        }
    }

    /**
     * A client that completes the handshake and then never reads fills its queue and is cut off;
     * the node's listener calls stay quick throughout, and a reading client keeps receiving.
     */
    @Test
    void aSlowConsumerIsDroppedWithoutBlockingTheNode() throws Exception {
        startGateway(new FinalityStream.Limits(8_192, 1_024, 8, 60_000));
        final Collector fast = new Collector();
        connect(fast);
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4 * 1024);
            slow.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
            handshake(slow);
            waitFor(() -> gateway.streamConnections() == 2, 5_000);

            long slowestCallNs = 0;
            int sent = 0;
            final long deadline = System.currentTimeMillis() + 40_000;
            while (gateway.metrics().wsDroppedSlow.sum() == 0) {
                assertTrue(System.currentTimeMillis() < deadline, "slow consumer never dropped");
                for (int i = 0; i < 500; i++) {
                    final long t0 = System.nanoTime();
                    node.emit(new FinalityEvent(id(sent++), TxState.COMMITTED, 0, sent, sent));
                    slowestCallNs = Math.max(slowestCallNs, System.nanoTime() - t0);
                }
                // Pace the producer to the stream thread so that only the slow client's queue overflows.
                waitFor(() -> gateway.streamBacklog() == 0, 10_000);
                drain(fast);
            }
            waitFor(() -> gateway.streamConnections() == 1, 5_000);
            assertEquals(0, gateway.metrics().internalErrors.sum());
            assertEquals(0, gateway.metrics().streamEventsDropped.sum());
            assertTrue(slowestCallNs < 50_000_000L, "a listener call took " + slowestCallNs / 1_000_000 + " ms");

            node.emit(new FinalityEvent(id(Integer.MAX_VALUE), TxState.COMMITTED, 0, 1, 1));
            JsonNode last;
            do {
                last = fast.nextFinality(5_000);
                assertTrue(last != null, "fast client stopped receiving");
            } while (!Hex.encode(id(Integer.MAX_VALUE)).equals(last.get("txId").asText()));
        }
    }

    private static void drain(final Collector collector) {
        collector.messages.clear();
    }

    /** RFC 6455 opening handshake over a raw socket; reads the 101 response, then never reads again. */
    private static void handshake(final Socket socket) throws Exception {
        final String key = Base64.getEncoder().encodeToString("basalt-slow-test".getBytes(StandardCharsets.US_ASCII));
        final OutputStream out = socket.getOutputStream();
        out.write(("GET " + HttpGateway.STREAM_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            final int b = in.read();
            assertTrue(b >= 0, "connection closed during handshake: " + head);
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    }
}
