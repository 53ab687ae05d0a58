package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.node.gateway.AeronClientGateway;
import io.basalt.node.runtime.ValidatorNode;



import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing clients against two test validators, one per shard of a two-shard network, each
 * refusing senders of the other shard as admission does. Every client here is seeded with the
 * shard-0 validator only.
 */
@Timeout(60)
class RoutingClientTest {
    private static final KeyPair ON_SHARD_0 = TestNode.keyOnShard(0, 2, 1);
    private static final KeyPair ON_SHARD_1 = TestNode.keyOnShard(1, 2, 1);

    private List<TestNode> nodes;
    private TestNode shard0;
    private TestNode shard1;
    private BasaltClient client;
    private final TransactionBuilder builder = new TransactionBuilder(TestNode.ED25519, TestNode.NETWORK_ID, TestNode.FEE);

    @BeforeEach
    void start() {
        nodes = TestNode.network(2);
        shard0 = nodes.get(0);
        shard1 = nodes.get(1);
        client = BasaltClient.routing(shard0.url());
    }

    @AfterEach
    void stop() {
        client.close();
        nodes.forEach(TestNode::close);
    }

    private long expiryMs() {
        return shard0.consensusTimeMs + TransactionBuilder.DEFAULT_EXPIRY_MS;
    }

    @Test
    void aShard1SenderSubmittedThroughAShard0SeedReachesTheShard1Validator() throws Exception {
        final TransactionBuilder.Signed tx = builder.transfer(ON_SHARD_1, ON_SHARD_0.publicKey(), 0, 5, expiryMs());

        final Finality finality = client.submit(tx.bytes()).get(10, TimeUnit.SECONDS);

        assertEquals(TxState.COMMITTED, finality.state(), finality.describe());
        assertEquals(1, shard1.submitted.size());
        assertArrayEquals(tx.bytes(), shard1.submitted.getFirst());
        assertTrue(shard0.submitted.isEmpty(), "the seed's shard never saw it");
        try (BasaltClient seedOnly = BasaltClient.http(shard0.url())) {
            final Finality refused = seedOnly.submit(builder.transfer(ON_SHARD_1, ON_SHARD_0.publicKey(), 0, 6, expiryMs())
                .bytes()).get(10, TimeUnit.SECONDS);
            assertEquals(RejectCode.WRONG_SHARD, refused.rejectCode(), "without routing the seed refuses it");
        }
    }

    @Test
    void eachSenderGoesToItsOwnShard() throws Exception {
        client.admit(builder.transfer(ON_SHARD_0, ON_SHARD_1.publicKey(), 0, 5, expiryMs()).bytes()).get(10, TimeUnit.SECONDS);
        client.admit(builder.createAsset(ON_SHARD_1, 42, 1_000, 0, expiryMs()).bytes()).get(10, TimeUnit.SECONDS);
        final byte[] swapFromShard1 = swap(ON_SHARD_1, ON_SHARD_0, 1);
        final byte[] swapFromShard0 = swap(ON_SHARD_0, ON_SHARD_1, 2);
        assertEquals(TxState.ACCEPTED, client.admit(swapFromShard1).get(10, TimeUnit.SECONDS).state());
        assertEquals(TxState.ACCEPTED, client.admit(swapFromShard0).get(10, TimeUnit.SECONDS).state());

        assertEquals(2, shard0.submitted.size(), "the shard-0 transfer and the swap whose partyA is on shard 0");
        assertEquals(2, shard1.submitted.size(), "the shard-1 issuer's asset and the swap whose partyA is on shard 1");
        assertArrayEquals(swapFromShard1, shard1.submitted.get(1));
        assertArrayEquals(swapFromShard0, shard0.submitted.get(1));
    }

    @Test
    void balancesAskTheAccountsShard() {
        shard1.balances.put(ByteBuffer.wrap(ON_SHARD_1.publicKey()), Map.of(0, 900L));
        shard0.balances.put(ByteBuffer.wrap(ON_SHARD_0.publicKey()), Map.of(0, 7L));
        assertEquals(Map.of(0, 900L), client.balances(ON_SHARD_1.publicKey()));
        assertEquals(Map.of(0, 7L), client.balances(ON_SHARD_0.publicKey()));
        assertEquals("BAD_LENGTH", assertThrows(BasaltException.class, () -> client.balances(new byte[3])).code());
    }

    @Test
    void theMapAndEachShardsStatus() {
        final NetworkMap map = client.network();
        assertEquals(2, map.shardCount());
        assertEquals(TestNode.NETWORK_ID, map.networkId());
        assertEquals(TestNode.FEE, map.fee());
        assertEquals("127.0.0.1:" + shard1.url().getPort(), map.shard(1).validators().getFirst().httpEndpoint());
        assertEquals(shard1.clientEndpoint(), map.shard(1).validators().getFirst().clientEndpoint());
        assertEquals(Shards.shardOf(ON_SHARD_1.publicKey(), 2), map.shardOf(ON_SHARD_1.publicKey()));
        assertEquals(map, client.refreshNetwork());

        assertEquals(0, client.status().shardId(), "status() is the seed's");
        assertEquals(1, client.status(1).shardId());
        assertThrows(IllegalArgumentException.class, () -> client.status(2));
        try (BasaltClient seedOnly = BasaltClient.http(shard0.url())) {
            assertEquals(map, seedOnly.network());
            assertEquals("WRONG_SHARD", assertThrows(BasaltException.class, () -> seedOnly.status(1)).code());
        }
    }

    @Test
    void txStatusFindsATransactionOnAnyShard() throws Exception {
        final TransactionBuilder.Signed tx = builder.transfer(ON_SHARD_1, ON_SHARD_0.publicKey(), 0, 5, expiryMs());
        client.submitAndSettle(tx.bytes(), java.time.Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        assertEquals(TxState.SETTLED, client.txStatus(tx.txId()).state(), "a transfer to shard 0 settles after it commits");
        assertEquals(TxState.UNKNOWN, client.txStatus(new byte[32]).state());
    }

    @Test
    void watchSeesTheEventsOfEveryShard() throws Exception {
        final BlockingQueue<Finality> seen = new LinkedBlockingQueue<>();
        try (AutoCloseable ignored = client.watch(seen::add)) {
            final byte[] id0 = new byte[32];
            final byte[] id1 = new byte[32];
            id1[0] = 1;
            // The gateways register a stream just after its handshake: emit until the watcher hears both.
            final Set<Long> heights = new TreeSet<>();
            for (int i = 0; i < 50 && heights.size() < 2; i++) {
                shard0.emit(new FinalityEvent(id0, TxState.COMMITTED, 0, 1, 2));
                shard1.emit(new FinalityEvent(id1, TxState.COMMITTED, 0, 3, 4));
                for (Finality f = seen.poll(100, TimeUnit.MILLISECONDS); f != null; f = seen.poll()) {
                    heights.add(f.height());
                }
            }
            assertEquals(Set.of(1L, 3L), heights, "one event of each shard");
        }
    }

    @Test
    void aOneShardSeedOnAnUnlistedPortStillServesItsShard() throws Exception {
        try (TestNode alone = new TestNode(); BasaltClient routed = BasaltClient.routing(alone.url())) {
            assertEquals("127.0.0.1:0", routed.network().shard(0).validators().getFirst().httpEndpoint());
            assertTrue(routed.submit(builder.transfer(ON_SHARD_1, ON_SHARD_0.publicKey(), 0, 5, expiryMs()).bytes())
                .get(10, TimeUnit.SECONDS).succeeded(), "placed by its status, the seed serves shard 0");
        }
    }

    @Test
    void anUnreachableSeedIsAClearError() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final BasaltException e = assertThrows(BasaltException.class,
            () -> BasaltClient.routing(URI.create("http://127.0.0.1:" + port)));
        assertEquals("UNREACHABLE", e.code());
        assertTrue(e.getMessage().startsWith("UNREACHABLE: cannot learn the network map from the seed http://127.0.0.1:" + port),
            e.getMessage());
    }

    @Test
    void aSeedThatServesNoMapIsAClearError() throws Exception {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/network", exchange -> {
            final byte[] body = "{\"networkId\": 7, \"shardCount\": 2, \"fee\": 1, \"shards\": 3}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            final byte[] body = "{\"code\": \"NOT_FOUND\", \"message\": \"no endpoint\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            final URI bad = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            assertEquals("BAD_RESPONSE", assertThrows(BasaltException.class, () -> BasaltClient.routing(bad)).code());
            final URI old = bad.resolve("/old/");
            final BasaltException notFound = assertThrows(BasaltException.class, () -> BasaltClient.routing(old));
            assertEquals("NOT_FOUND", notFound.code());
            assertTrue(notFound.getMessage().contains("cannot learn the network map"), notFound.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void invalidBytesAndAClosedClientFailTheFuture() throws Exception {
        final ExecutionException invalid = assertThrows(ExecutionException.class,
            () -> client.submit(new byte[] {1, 2, 3}).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, invalid.getCause());
        client.close();
        final ExecutionException closed = assertThrows(ExecutionException.class, () -> client.submit(
            builder.transfer(ON_SHARD_1, ON_SHARD_0.publicKey(), 0, 5, expiryMs()).bytes()).get(5, TimeUnit.SECONDS));
        assertEquals("CLOSED", ((BasaltException) closed.getCause()).code());
    }

    /**
     * The seed accepts a transaction and dies before committing it: the routing client sends the same bytes to the
     * shard's other validator, which commits them, and the submission completes with that commit.
     */
    @Test
    void aTransactionAcceptedBySeedThatDiesCommitsThroughAnotherValidatorOfTheShard() throws Exception {
        final List<TestNode> committee = TestNode.committee(2);
        try {
            final TestNode seed = committee.get(0);
            final TestNode other = committee.get(1);
            seed.autoCommit = false;
            try (BasaltClient client = BasaltClient.routing(seed.url(),
                ResubmitPolicy.DEFAULT.withInterval(java.time.Duration.ofMillis(200)))) {
                final TransactionBuilder builder = new TransactionBuilder(TestNode.ED25519, TestNode.NETWORK_ID, TestNode.FEE);
                final var tx = builder.transfer(TestNode.key(1), TestNode.key(2).publicKey(), 0, 5,
                    seed.consensusTimeMs + TransactionBuilder.DEFAULT_EXPIRY_MS);
                final var submitted = client.submit(tx.bytes());
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (seed.submitted.isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "the seed never got the transaction");
                    Thread.sleep(5);
                }
                seed.close(); // killed after accepting: it will never report the transaction

                final Finality finality = submitted.get(10, TimeUnit.SECONDS);
                assertEquals(TxState.COMMITTED, finality.state());
                assertEquals(0, finality.resultCode());
                assertEquals(1, other.submitted.size(), "the other validator got the same bytes");
                assertArrayEquals(tx.bytes(), other.submitted.getFirst());
            }
        } finally {
            committee.forEach(TestNode::close);
        }
    }

    @Test
    void theSdkKnowsTheValidatorsSubmitStream() {
        assertEquals(ValidatorNode.CLIENT_SUBMIT_STREAM_ID, AeronBasaltClient.VALIDATOR_SUBMIT_STREAM_ID);
        assertEquals(1, AeronClientGateway.RESPONSE_STREAM_OFFSET, "responses on the next stream");
    }

    /**
     * The Aeron routing client over real UDP: each test validator gets an Aeron client gateway on
     * the endpoint its genesis lists, as ValidatorNode wires it, and the client seeded with shard 0
     * publishes a shard-1 sender's transaction to shard 1's endpoint.
     */
    @Test
    void aeronRoutingPublishesToTheSendersShard(@TempDir final Path dir) throws Exception {
        try (MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(dir.resolve("aeron").toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
                .publicationTermBufferLength(64 * 1024)
                .ipcTermBufferLength(64 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
             Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()))) {
            final List<AgentRunner> gateways = new ArrayList<>();
            try {
                for (final TestNode node : nodes) {
                    gateways.add(udpGateway(aeron, node));
                }
                try (BasaltClient fast = BasaltClient.aeronRouting(aeron, shard0.url(), "127.0.0.1")) {
                    final TransactionBuilder.Signed tx = builder.transfer(ON_SHARD_1, ON_SHARD_0.publicKey(), 0, 5, expiryMs());
                    final Finality finality = fast.submit(tx.bytes()).get(20, TimeUnit.SECONDS);
                    assertEquals(TxState.COMMITTED, finality.state(), finality.describe());
                    assertEquals(tx.txIdHex(), finality.txId());
                    assertArrayEquals(tx.bytes(), shard1.submitted.getFirst());
                    assertTrue(shard0.submitted.isEmpty());
                    shard1.balances.put(ByteBuffer.wrap(ON_SHARD_1.publicKey()), Map.of(0, 3L));
                    assertEquals(Map.of(0, 3L), fast.balances(ON_SHARD_1.publicKey()), "queries route over HTTP");
                }
            } finally {
                gateways.forEach(AgentRunner::close);
            }
        }
    }

    private static AgentRunner udpGateway(final Aeron aeron, final TestNode node) {
        final String endpoint = node.clientEndpoint();
        final int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        final AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
            new AeronClientGateway(aeron, "aeron:udp?endpoint=" + endpoint, ValidatorNode.CLIENT_SUBMIT_STREAM_ID,
                "aeron:udp?control=127.0.0.1:" + (port + 1) + "|control-mode=dynamic",
                ValidatorNode.CLIENT_SUBMIT_STREAM_ID + AeronClientGateway.RESPONSE_STREAM_OFFSET, node, SystemNanoClock.INSTANCE));
        AgentRunner.startOnThread(runner);
        return runner;
    }

    /** A swap signed by both parties, whose parties live on different shards. */
    private byte[] swap(final KeyPair partyA, final KeyPair partyB, final long nonce) {
        assertNotEquals(Shards.shardOf(partyA.publicKey(), 2), Shards.shardOf(partyB.publicKey(), 2), "a cross-shard swap");
        return builder.swap(partyA.publicKey(), 0, 5, partyB.publicKey(), 0, 6, nonce, expiryMs())
            .sign(TestNode.ED25519, partyA, Swap.Party.A)
            .sign(TestNode.ED25519, partyB, Swap.Party.B)
            .bytes();
    }
}
