package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.basalt.node.api.NodeStatus;
import io.basalt.node.config.Genesis;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GET /v1/cluster's view against real gateways: a peer that answers, one whose port is closed, and an
 * endpoint that answers as another validator; each peer asked once per refresh, refreshes at most
 * once a second of the view's clock however often it is read.
 */
@Timeout(30)
class ClusterViewTest {
    /** The validator the FakeNode behind the peer gateway says it is: shard 0, index 2. */
    private static final int PEER_INDEX = 2;

    private final AtomicLong clockMs = new AtomicLong(1_000_000);
    private final NodeStatus self = new NodeStatus(FakeNode.NETWORK_ID, 0, 2, 0, 3, 41, 41, 43, "cd".repeat(32), 7, true);
    private HttpGateway peer;
    private ClusterView view;

    @BeforeEach
    void start() throws Exception {
        peer = new HttpGateway(new FakeNode(), new InetSocketAddress("127.0.0.1", 0), null, TestTransactions.genesis());
        peer.start();
        final String peerEndpoint = "127.0.0.1:" + peer.port();
        final String closedEndpoint;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedEndpoint = "127.0.0.1:" + socket.getLocalPort();
        }
        final Genesis genesis = new Genesis(FakeNode.NETWORK_ID, 2, 10, 1_700_000_000_000L, List.of(
            new Genesis.Shard(0, List.of(validator(0, "127.0.0.1:1"), validator(1, closedEndpoint), validator(PEER_INDEX, peerEndpoint))),
            // The peer's endpoint again, named as validator 0 of shard 1: it answers as shard 0's validator 2.
            new Genesis.Shard(1, List.of(validator(0, peerEndpoint)))), List.of());
        view = new ClusterView(genesis, () -> self, clockMs::get);
    }

    @AfterEach
    void stop() {
        view.close();
        peer.close();
    }

    private static Genesis.Validator validator(final int index, final String httpEndpoint) {
        return new Genesis.Validator(index, TestTransactions.key(200 + index).publicKeyHex(), 1, "127.0.0.1:0", httpEndpoint,
            "127.0.0.1:0");
    }

    @Test
    void showsEachValidatorAsItLastAnsweredAndWhyOthersDidNot() throws Exception {
        final JsonNode first = view.read();
        assertEquals(0, first.get("shardId").asInt());
        assertEquals(0, first.get("validatorIndex").asInt());
        final JsonNode own = row(first, 0, 0);
        assertTrue(own.get("self").asBoolean() && own.get("reachable").asBoolean());
        assertEquals(43, own.get("round").asLong());
        assertEquals(41, own.get("committedHeight").asLong());
        assertEquals("not asked yet", row(first, 0, PEER_INDEX).get("error").asText(), "a read never waits for the peers");

        final JsonNode seen = awaitView(v -> row(v, 0, PEER_INDEX).has("round") && row(v, 0, 1).has("ageMs")
            && row(v, 1, 0).has("ageMs"));
        final JsonNode answered = row(seen, 0, PEER_INDEX);
        assertTrue(answered.get("reachable").asBoolean());
        assertFalse(answered.get("self").asBoolean());
        assertEquals(17, answered.get("round").asLong(), "FakeNode's round");
        assertEquals(5, answered.get("committedHeight").asLong(), "FakeNode's committed height");
        assertFalse(row(seen, 0, 1).get("reachable").asBoolean());
        assertEquals("connection refused", row(seen, 0, 1).get("error").asText());
        assertFalse(row(seen, 1, 0).get("reachable").asBoolean(), "an endpoint answering as another validator");
        assertEquals("the endpoint answers as another validator", row(seen, 1, 0).get("error").asText());
    }

    @Test
    void asksEachPeerAtMostOncePerRefreshInterval() throws Exception {
        awaitView(v -> row(v, 0, PEER_INDEX).has("round"));
        // Two rows name the peer's endpoint, so one refresh sends it two requests.
        assertEquals(2, peerStatusRequests());
        for (int i = 0; i < 50; i++) {
            view.read();
        }
        clockMs.addAndGet(ClusterView.REFRESH_MS - 1);
        view.read();
        Thread.sleep(300);
        assertEquals(2, peerStatusRequests(), "reads within a second start no refresh");
        clockMs.addAndGet(1);
        view.read();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (peerStatusRequests() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(4, peerStatusRequests(), "a second later, one refresh more");
    }

    private long peerStatusRequests() {
        return peer.metrics().requests("/v1/status", 200);
    }

    private JsonNode awaitView(final Predicate<JsonNode> condition) throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode read = view.read();
        while (!condition.test(read)) {
            assertTrue(System.nanoTime() < deadline, "view never showed the peers: " + read);
            Thread.sleep(20);
            read = view.read();
        }
        return read;
    }

    private static JsonNode row(final JsonNode view, final int shard, final int index) {
        for (final JsonNode validator : view.get("shards").get(shard).get("validators")) {
            if (validator.get("index").asInt() == index) {
                return validator;
            }
        }
        throw new AssertionError("no validator " + shard + "/" + index + " in " + view);
    }
}
