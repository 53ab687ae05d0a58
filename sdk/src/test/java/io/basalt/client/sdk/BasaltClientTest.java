package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.node.gateway.AeronClientGateway;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BasaltClientTest {
    private static final KeyPair ALICE = TestNode.key(1);
    private static final KeyPair BOB = TestNode.key(2);

    private TestNode node;
    private BasaltClient client;
    private TransactionBuilder builder;

    @BeforeEach
    void start() {
        node = new TestNode();
        client = BasaltClient.http(node.url());
        builder = new TransactionBuilder(TestNode.ED25519, TestNode.NETWORK_ID, TestNode.FEE);
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    private TransactionBuilder.Signed transfer(final long amount) {
        return builder.transfer(ALICE, BOB.publicKey(), 0, amount, node.consensusTimeMs + TransactionBuilder.DEFAULT_EXPIRY_MS);
    }

    @Test
    void statusCarriesWhatABuilderNeeds() {
        final NetworkStatus status = client.status();
        assertEquals(TestNode.NETWORK_ID, status.networkId());
        assertEquals(TestNode.FEE, status.fee());
        assertEquals(1, status.shardCount());
        assertEquals(node.consensusTimeMs, status.consensusTimeMs());
        assertTrue(status.ready());
    }

    @Test
    void submitCompletesWhenTheStreamSaysCommitted() throws Exception {
        final TransactionBuilder.Signed tx = transfer(5);
        final Finality finality = client.submit(tx.bytes()).get(10, TimeUnit.SECONDS);
        assertEquals(TxState.COMMITTED, finality.state());
        assertTrue(finality.succeeded());
        assertEquals(tx.txIdHex(), finality.txId());
        assertEquals(3, finality.height());
        assertArrayEquals(tx.bytes(), node.submitted.get(0));
        assertEquals(finality, client.txStatus(tx.txId()));
    }

    @Test
    void manySubmissionsInFlightAllComplete() throws Exception {
        final var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Finality>>();
        for (int i = 0; i < 50; i++) {
            futures.add(client.submit(transfer(1 + i).bytes()));
        }
        for (final var future : futures) {
            assertTrue(future.get(10, TimeUnit.SECONDS).succeeded());
        }
        assertEquals(50, node.submitted.size());
    }

    @Test
    void aFailedExecutionIsStillFinal() throws Exception {
        node.commitResult = 1;
        final Finality finality = client.submit(transfer(5).bytes()).get(10, TimeUnit.SECONDS);
        assertEquals(TxState.COMMITTED, finality.state());
        assertEquals("INSUFFICIENT_BALANCE", finality.result().name());
        assertTrue(!finality.succeeded());
    }

    @Test
    void pollingAnswersWhenTheStreamIsSilent() throws Exception {
        node.silentCommits = true;
        final long t0 = System.nanoTime();
        final Finality finality = client.submit(transfer(5).bytes()).get(10, TimeUnit.SECONDS);
        assertEquals(TxState.COMMITTED, finality.state());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(HttpBasaltClient.POLL_AFTER_MS),
            "answered by polling, after the stream had its chance");
    }

    @Test
    void refusalsCompleteAsRejected() throws Exception {
        node.nextReject = RejectCode.EXPIRED;
        final Finality finality = client.submit(transfer(5).bytes()).get(10, TimeUnit.SECONDS);
        assertEquals(TxState.REJECTED, finality.state());
        assertEquals(RejectCode.EXPIRED, finality.rejectCode());
        assertEquals("REJECTED EXPIRED", finality.describe());
    }

    /**
     * Issue 10 item 1: anyone can have a copy with a broken signature refused under a genuine id,
     * and validators before the fix pushed that refusal on the stream. It is not this submission's
     * answer: the client waits for the genuine outcome.
     */
    @Test
    void aRejectedOnTheStreamIsNotThisSubmissionsAnswer() throws Exception {
        node.autoCommit = false;
        final TransactionBuilder.Signed tx = transfer(5);
        final var future = client.submit(tx.bytes());
        awaitTrue(() -> node.statuses.containsKey(ByteBuffer.wrap(tx.txId())) && node.subscribers() > 0);
        node.emit(new FinalityEvent(tx.txId(), TxState.REJECTED, RejectCode.BAD_SIGNATURE.code(), 0, 0));
        node.emit(new FinalityEvent(tx.txId(), TxState.REJECTED, RejectCode.DUPLICATE.code(), 0, 0));
        Thread.sleep(200); // give the stream's events time to arrive before the genuine one
        assertTrue(!future.isDone(), "still waiting, not " + (future.isDone() ? future.get() : null));
        node.commit(tx.txId(), 0);
        final Finality finality = future.get(10, TimeUnit.SECONDS);
        assertEquals(TxState.COMMITTED, finality.state());
        assertTrue(finality.succeeded());
    }

    /**
     * A re-send of a committed transaction is answered DUPLICATE; a later copy that executed as a
     * no-op (pushed as COMMITTED DUPLICATE by validators before the fix) is not the outcome: status
     * says COMMITTED SUCCESS, and that is what the client reports.
     */
    @Test
    void aDuplicateAnswerWaitsForTheGenuineOutcome() throws Exception {
        final TransactionBuilder.Signed tx = transfer(5);
        node.statuses.put(ByteBuffer.wrap(tx.txId()), new io.basalt.node.api.TxStatus(TxState.COMMITTED, 0,
            RejectCode.NONE, 3, node.consensusTimeMs));
        final var future = client.submit(tx.bytes());
        final Finality admission = client.admit(tx.bytes()).get(10, TimeUnit.SECONDS);
        assertEquals(TxState.ACCEPTED, admission.state(), "DUPLICATE is not a refusal");
        awaitTrue(() -> node.subscribers() > 0);
        node.emit(new FinalityEvent(tx.txId(), TxState.COMMITTED, io.basalt.protocol.ExecResult.DUPLICATE.code(), 4, 0));
        final Finality finality = future.get(10, TimeUnit.SECONDS);
        assertEquals(TxState.COMMITTED, finality.state());
        assertEquals(0, finality.resultCode(), "the first execution's result, not the copy's: " + finality.describe());
        assertEquals(3, finality.height());
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    @Test
    void admitAnswersWithoutWaitingForFinality() throws Exception {
        node.autoCommit = false;
        final Finality answer = client.admit(transfer(5).bytes()).get(10, TimeUnit.SECONDS);
        assertEquals(TxState.ACCEPTED, answer.state());
        node.nextReject = RejectCode.OVERLOADED;
        assertEquals(RejectCode.OVERLOADED, client.admit(transfer(6).bytes()).get(10, TimeUnit.SECONDS).rejectCode());
    }

    @Test
    void invalidBytesFailBeforeAnythingIsSent() {
        final ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.submit(new byte[] {1, 2, 3}).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(node.submitted.isEmpty());
    }

    @Test
    void balancesAndErrors() {
        node.balances.put(ByteBuffer.wrap(ALICE.publicKey()), Map.of(0, 900L, 5, -2L));
        assertEquals(Map.of(0, 900L, 5, -2L), client.balances(ALICE.publicKey()));
        assertEquals(Map.of(), client.balances(BOB.publicKey()));
        final BasaltException e = assertThrows(BasaltException.class, () -> client.balances(new byte[3]));
        assertEquals("BAD_LENGTH", e.code());
        assertEquals(400, e.httpStatus());
    }

    @Test
    void anUnreachableNodeIsReportedAsSuch() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (BasaltClient nowhere = BasaltClient.http(URI.create("http://127.0.0.1:" + port))) {
            assertEquals("UNREACHABLE", assertThrows(BasaltException.class, nowhere::status).code());
            final ExecutionException e = assertThrows(ExecutionException.class,
                () -> nowhere.submit(transfer(5).bytes()).get(20, TimeUnit.SECONDS));
            assertEquals("UNREACHABLE", ((BasaltException) e.getCause()).code());
        }
    }

    @Test
    void watchSeesEveryEvent() throws Exception {
        final BlockingQueue<Finality> seen = new LinkedBlockingQueue<>();
        try (AutoCloseable ignored = client.watch(seen::add)) {
            final byte[] id = new byte[32];
            id[5] = 1;
            // The gateway registers a stream just after the handshake: emit until the watcher hears one.
            Finality finality = null;
            for (int i = 0; i < 50 && finality == null; i++) {
                node.emit(new FinalityEvent(id, TxState.COMMITTED, 0, 12, 34));
                finality = seen.poll(100, TimeUnit.MILLISECONDS);
            }
            assertEquals(TxState.COMMITTED, finality.state());
            assertEquals(12, finality.height());
        }
    }

    @Test
    void builderSignsWhatTheNetworkChecks() {
        final TransactionBuilder.Signed tx = transfer(77);
        final UnsafeBuffer buffer = new UnsafeBuffer(tx.bytes());
        assertTrue(MessageValidator.validateUserTransaction(buffer, 0, tx.bytes().length).isOk());
        final int signed = SignedRegion.signedLength(buffer, 0, tx.bytes().length);
        final byte[] signature = Arrays.copyOfRange(tx.bytes(), tx.bytes().length - Layout.SIGNATURE_LENGTH, tx.bytes().length);
        assertTrue(TestNode.ED25519.verify(ALICE.publicKey(), tx.bytes(), 0, signed, signature));
        assertArrayEquals(tx.txId(), TransactionBuilder.txId(tx.bytes()));
        assertNotEquals(transfer(77).txIdHex(), tx.txIdHex(), "random nonces give distinct ids");

        final TransactionBuilder.Signed asset = builder.createAsset(ALICE, 9, 1_000_000, 6, 5, node.consensusTimeMs + 1_000);
        assertEquals(Layout.CREATE_ASSET_LENGTH, asset.bytes().length);
        final UnsafeBuffer assetBuffer = new UnsafeBuffer(asset.bytes());
        final int assetSigned = SignedRegion.signedLength(assetBuffer, 0, asset.bytes().length);
        assertTrue(TestNode.ED25519.verify(ALICE.publicKey(), asset.bytes(), 0, assetSigned,
            Arrays.copyOfRange(asset.bytes(), asset.bytes().length - Layout.SIGNATURE_LENGTH, asset.bytes().length)));
        assertEquals(asset.txIdHex(), builder.createAsset(ALICE, 9, 1_000_000, 6, 5, node.consensusTimeMs + 1_000).txIdHex(),
            "with the same nonce the same bytes and id");
    }

    @Test
    void aeronFastPathRoundTrip(@TempDir final Path dir) throws Exception {
        try (MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(dir.resolve("aeron").toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
                .ipcTermBufferLength(64 * 1024)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
             Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()))) {
            final AgentRunner gateway = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
                new AeronClientGateway(aeron, "aeron:ipc", 4001, node));
            AgentRunner.startOnThread(gateway);
            try (BasaltClient fast = BasaltClient.aeron(aeron, "aeron:ipc", 4001, node.url())) {
                final TransactionBuilder.Signed tx = transfer(5);
                final Finality finality = fast.submit(tx.bytes()).get(10, TimeUnit.SECONDS);
                assertEquals(TxState.COMMITTED, finality.state());
                assertEquals(tx.txIdHex(), finality.txId());
                assertEquals(3, finality.height());

                node.nextReject = RejectCode.WRONG_SHARD;
                final Finality refused = fast.submit(transfer(6).bytes()).get(10, TimeUnit.SECONDS);
                assertEquals(TxState.REJECTED, refused.state());
                assertEquals(RejectCode.WRONG_SHARD, refused.rejectCode());
                assertEquals(TestNode.FEE, fast.status().fee(), "queries go over HTTP");
            } finally {
                gateway.close();
            }
        }
    }
}
