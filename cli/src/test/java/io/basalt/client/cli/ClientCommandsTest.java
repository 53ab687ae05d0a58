package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.client.sdk.TestNode;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client commands through {@link BasaltCli#execute} against a real gateway over a test node. */
@Timeout(60)
class ClientCommandsTest {
    private static final KeyPair ALICE = TestNode.key(1);
    private static final KeyPair BOB = TestNode.key(2);

    @TempDir
    Path dir;

    private TestNode node;
    private Path aliceKey;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void start() throws Exception {
        node = new TestNode();
        aliceKey = dir.resolve("alice.key");
        KeyFiles.write(aliceKey, ALICE);
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        node.close();
    }

    private int run(final String... args) {
        out.reset();
        err.reset();
        return BasaltCli.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String url() {
        return node.url().toString();
    }

    @Test
    void transferWaitsForCommit() {
        assertEquals(0, run("transfer", "--key", aliceKey.toString(), "--to", BOB.publicKeyHex(), "--amount", "25",
            "--node", url(), "--wait"), err());
        assertTrue(out().startsWith("txId "), out());
        assertTrue(out().contains("COMMITTED SUCCESS at height 3"), out());
        assertEquals(1, node.submitted.size());
    }

    @Test
    void transferWithoutWaitReportsAcceptance() {
        node.autoCommit = false;
        assertEquals(0, run("transfer", "--key", aliceKey.toString(), "--to", BOB.publicKeyHex(), "--amount", "1",
            "--asset", "3", "--node", url()), err());
        assertTrue(out().contains("ACCEPTED"), out());
    }

    @Test
    void aRejectedTransferIsOneLineAndExitCode6() {
        node.nextReject = RejectCode.INSUFFICIENT_FEE_BALANCE;
        assertEquals(6, run("transfer", "--key", aliceKey.toString(), "--to", BOB.publicKeyHex(), "--amount", "1",
            "--node", url(), "--wait"));
        assertEquals(1, err().strip().lines().count(), err());
        assertTrue(err().startsWith("basalt: rejected: INSUFFICIENT_FEE_BALANCE"), err());
    }

    @Test
    void aFailedExecutionExitsNonZero() {
        node.commitResult = 1;
        assertEquals(6, run("transfer", "--key", aliceKey.toString(), "--to", BOB.publicKeyHex(), "--amount", "1",
            "--node", url(), "--wait"));
        assertTrue(err().contains("INSUFFICIENT_BALANCE"), err());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, run("transfer", "--key", aliceKey.toString(), "--to", "abc", "--amount", "1", "--node", url()));
        assertTrue(err().contains("--to is not valid"), err());
        assertEquals(2, run("transfer", "--key", aliceKey.toString(), "--to", BOB.publicKeyHex(), "--amount", "0", "--node", url()));
        assertEquals(2, run("transfer", "--to", BOB.publicKeyHex(), "--amount", "5"), "missing --key");
        assertEquals(4, run("transfer", "--key", dir.resolve("missing.key").toString(), "--to", BOB.publicKeyHex(),
            "--amount", "5", "--node", url()));
        assertEquals(2, run("balance", BOB.publicKeyHex(), "--node", "ftp://example"));
        assertTrue(node.submitted.isEmpty());
    }

    /** Issue 10 item 6: what Long.valueOf and Character.digit took is a usage error now, and nothing is sent. */
    @Test
    void looseNumbersAndLookalikeAddressesAreUsageErrors() {
        for (final String amount : new String[] {"+5", "\u0665", "\uFF15", "05", " 5", "1_000", "-1"}) {
            assertEquals(2, run("transfer", "--key", aliceKey.toString(), "--to", BOB.publicKeyHex(), "--amount", amount,
                "--node", url()), amount);
            assertTrue(err().contains("--amount"), err());
        }
        assertEquals(2, run("transfer", "--key", aliceKey.toString(), "--to", BOB.publicKeyHex(), "--amount", "5",
            "--asset", "\u0663", "--node", url()), "an asset id in another script");
        final String bob = BOB.publicKeyHex();
        final int digit = firstDecimalDigit(bob);
        final String lookalike = bob.substring(0, digit) + (char) ('\u0660' + bob.charAt(digit) - '0') + bob.substring(digit + 1);
        assertEquals(2, run("transfer", "--key", aliceKey.toString(), "--to", lookalike, "--amount", "5", "--node", url()));
        assertTrue(err().contains("--to is not valid: it: not an ASCII hex digit at position " + digit), err());
        assertEquals(2, run("transfer", "--key", aliceKey.toString(), "--to", bob + " ", "--amount", "5", "--node", url()));
        assertEquals(2, run("transfer", "--key", aliceKey.toString(), "--to", bob, "--amount", "5", "--wait-timeout", "\u0665s",
            "--node", url()));
        assertTrue(node.submitted.isEmpty(), "nothing reached the node");
    }

    private static int firstDecimalDigit(final String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) >= '0' && hex.charAt(i) <= '9') {
                return i;
            }
        }
        throw new AssertionError(hex);
    }

    @Test
    void anUnreachableNodeIsExitCode5() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals(5, run("balance", BOB.publicKeyHex(), "--node", "http://127.0.0.1:" + port));
        assertEquals(1, err().strip().lines().count(), err());
        assertTrue(err().contains("UNREACHABLE"), err());
    }

    @Test
    void createAssetSignsACreateAsset() {
        assertEquals(0, run("create-asset", "--key", aliceKey.toString(), "--asset-id", "42", "--supply", "1000000",
            "--decimals", "6", "--node", url(), "--wait"), err());
        assertTrue(out().contains("COMMITTED SUCCESS"), out());
        final CreateAssetDecoder decoder = new CreateAssetDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(node.submitted.get(0)), 0, new MessageHeaderDecoder());
        assertEquals(42, decoder.assetId());
        assertEquals(1_000_000, decoder.supply());
        assertEquals(6, decoder.decimals());
        assertEquals(TestNode.FEE, decoder.fee());
        assertEquals(TestNode.NETWORK_ID, decoder.networkId());
        assertEquals(2, run("create-asset", "--key", aliceKey.toString(), "--asset-id", "0", "--supply", "5", "--node", url()));
    }

    @Test
    void balancePrintsOneLinePerAsset() {
        node.balances.put(ByteBuffer.wrap(BOB.publicKey()), Map.of(0, 1_000L, 42, 7L));
        assertEquals(0, run("balance", BOB.publicKeyHex(), "--node", url()), err());
        assertEquals("asset 0: 1000\nasset 42: 7\n", out().replace("\r", ""));
        assertEquals(0, run("balance", ALICE.publicKeyHex(), "--node", url()));
        assertEquals("no balances", out().strip());
    }

    /** A two-shard network; the CLI is given only the shard-0 validator. */
    @Test
    void accountsOfAnotherShardAreServedByTheirShard() throws Exception {
        final List<TestNode> network = TestNode.network(2);
        try {
            final KeyPair onShard1 = TestNode.keyOnShard(1, 2, 1);
            final KeyPair onShard0 = TestNode.keyOnShard(0, 2, 1);
            final Path key1 = dir.resolve("shard1.key");
            KeyFiles.write(key1, onShard1);
            final String seed = network.get(0).url().toString();
            network.get(1).balances.put(ByteBuffer.wrap(onShard1.publicKey()), Map.of(0, 555L));

            assertEquals(0, run("balance", onShard1.publicKeyHex(), "--node", seed), err());
            assertEquals("asset 0: 555", out().strip(), "asked of shard 1, not 'no balances' from the seed");

            assertEquals(0, run("transfer", "--key", key1.toString(), "--to", onShard0.publicKeyHex(), "--amount", "9",
                "--node", seed, "--wait"), err());
            assertTrue(out().contains("SETTLED SUCCESS"), "--wait waits for the settlement across shards: " + out());
            assertEquals(1, network.get(1).submitted.size(), "routed by the sender's shard");
            assertTrue(network.get(0).submitted.isEmpty());

            final String txId = out().lines().filter(l -> l.startsWith("txId ")).findFirst().orElseThrow().substring(5);
            assertEquals(0, run("tx", "status", txId, "--node", seed), err());
            assertEquals(txId + " SETTLED SUCCESS at height 3", out().strip(), "found on shard 1");

            assertEquals(0, run("create-asset", "--key", key1.toString(), "--asset-id", "8", "--supply", "10", "--node", seed),
                err());
            assertEquals(2, network.get(1).submitted.size(), "an issuer's asset goes to the issuer's shard");
        } finally {
            network.forEach(TestNode::close);
        }
    }

    @Test
    void aNodeWithoutANetworkMapIsExitCode5() throws Exception {
        final com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            assertEquals(5, run("balance", BOB.publicKeyHex(), "--node", "http://127.0.0.1:" + server.getAddress().getPort()));
            assertEquals(1, err().strip().lines().count(), err());
            assertTrue(err().startsWith("basalt: HTTP_404: cannot learn the network map from the seed"), err());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void txStatusPrintsTheState() {
        final byte[] id = new byte[32];
        id[0] = 1;
        assertEquals(0, run("tx", "status", Hex.encode(id), "--node", url()), err());
        assertEquals(Hex.encode(id) + " UNKNOWN", out().strip());
        node.commit(id, 0);
        assertEquals(0, run("tx", "status", Hex.encode(id), "--node", url()));
        assertEquals(Hex.encode(id) + " COMMITTED SUCCESS at height 3", out().strip());
        assertEquals(2, run("tx", "status", "xyz", "--node", url()));
    }

    @Test
    void watchPrintsFinalityEvents() throws Exception {
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
            () -> BasaltCli.execute("watch", "--node", url(), "--count", "2", "--seconds", "20"));
        final byte[] id = new byte[32];
        id[1] = 9;
        final long deadline = System.currentTimeMillis() + 10_000;
        // The gateway is one subscriber; a stream connection makes events flow to the watcher.
        while (!exit.isDone() && System.currentTimeMillis() < deadline) {
            node.emit(new FinalityEvent(id, TxState.COMMITTED, 0, 4, 5));
            Thread.sleep(50);
        }
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        assertTrue(out().contains(Hex.encode(id) + " COMMITTED SUCCESS at height 4"), out());
    }
}
