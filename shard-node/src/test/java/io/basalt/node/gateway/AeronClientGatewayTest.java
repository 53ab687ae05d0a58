package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.basalt.crypto.KeyPair;
import io.basalt.node.metrics.MetricsDoc;
import io.basalt.node.metrics.PromText;
import io.basalt.node.metrics.ValidatorRegistry;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.FinalityLevel;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.SubmitStatus;
import io.basalt.protocol.sbe.SubmitTxEncoder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A round trip over Aeron IPC on an embedded media driver: SubmitTx, SubmitAck, FinalityEvent. */
@Timeout(60)
class AeronClientGatewayTest {
    private static final String CHANNEL = "aeron:ipc";
    private static final int SUBMIT_STREAM = 3001;
    private static final KeyPair ALICE = TestTransactions.key(1);
    private static final KeyPair BOB = TestTransactions.key(2);

    @TempDir
    Path dir;

    private MediaDriver driver;
    private Aeron aeron;
    private FakeNode node;
    private AeronClientGateway gateway;
    private AgentRunner runner;
    private ExclusivePublication publication;
    private Subscription responses;
    private final List<byte[]> received = new ArrayList<>();

    @BeforeEach
    void start() {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
            .ipcTermBufferLength(64 * 1024)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        node = new FakeNode();
        gateway = new AeronClientGateway(aeron, CHANNEL, SUBMIT_STREAM, node);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, gateway);
        AgentRunner.startOnThread(runner);

        publication = aeron.addExclusivePublication(CHANNEL, SUBMIT_STREAM);
        responses = aeron.addSubscription(ChannelUri.addSessionId(CHANNEL, publication.sessionId()),
            SUBMIT_STREAM + AeronClientGateway.RESPONSE_STREAM_OFFSET);
    }

    @AfterEach
    void stop() {
        runner.close();
        aeron.close();
        driver.close();
    }

    private void send(final byte[] message) {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final long deadline = System.currentTimeMillis() + 10_000;
        while (publication.offer(buffer, 0, message.length) < 0) {
            assertTrue(System.currentTimeMillis() < deadline, "gateway never connected");
            Thread.onSpinWait();
        }
    }

    private static byte[] submitTx(final long correlationId, final byte[] tx) {
        final byte[] out = new byte[Layout.submitTxLength(tx.length)];
        new SubmitTxEncoder().wrapAndApplyHeader(new UnsafeBuffer(out), 0, new MessageHeaderEncoder())
            .correlationId(correlationId).putTx(tx, 0, tx.length);
        return out;
    }

    /** The next response message, every one of which must pass the validator. */
    private byte[] next() {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (received.isEmpty()) {
            assertTrue(System.currentTimeMillis() < deadline, "no response from the gateway");
            responses.poll((buffer, offset, length, header) -> {
                assertTrue(MessageValidator.validate(buffer, offset, length).isOk());
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                received.add(copy);
            }, 10);
            Thread.onSpinWait();
        }
        return received.remove(0);
    }

    private static SubmitAckDecoder ack(final byte[] message) {
        assertEquals(Templates.SUBMIT_ACK, Templates.templateId(new UnsafeBuffer(message), 0));
        return new SubmitAckDecoder().wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
    }

    @Test
    void submitIsAcknowledgedAndFollowedByFinality() {
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 1);
        send(submitTx(77, tx));
        final SubmitAckDecoder ack = ack(next());
        assertEquals(77, ack.correlationId());
        assertEquals(SubmitStatus.ACCEPTED, ack.status());
        assertEquals(0, ack.reason());
        final byte[] txId = new byte[32];
        ack.getTxId(txId, 0, 32);
        assertArrayEquals(FakeNode.txId(tx), txId);
        assertArrayEquals(tx, node.submitted.get(0));

        node.commit(txId, 0);
        final byte[] event = next();
        assertEquals(Templates.FINALITY_EVENT, Templates.templateId(new UnsafeBuffer(event), 0));
        final FinalityEventDecoder finality = new FinalityEventDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(event), 0, new MessageHeaderDecoder());
        assertEquals(FinalityLevel.COMMITTED, finality.level());
        assertEquals(0, finality.result());
        assertEquals(5, finality.height());
        final byte[] eventTxId = new byte[32];
        finality.getTxId(eventTxId, 0, 32);
        assertArrayEquals(txId, eventTxId);
        assertEquals(1, gateway.finalityEventsSent());
    }

    /**
     * Issue 10 item 1: a refusal under a tracked id (a forged copy's, a re-send's) that reaches the
     * gateway is not this client's answer: it is not forwarded, and the genuine COMMITTED still is.
     */
    @Test
    void aRefusalUnderATrackedIdIsNotForwarded() {
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 3);
        send(submitTx(5, tx));
        assertEquals(SubmitStatus.ACCEPTED, ack(next()).status());
        final byte[] txId = FakeNode.txId(tx);
        node.emit(new io.basalt.node.api.FinalityEvent(txId, io.basalt.protocol.TxState.REJECTED, 2, 0, 0));
        node.commit(txId, 0);
        final FinalityEventDecoder first = finality(next());
        assertEquals(FinalityLevel.COMMITTED, first.level(), "the first event the client gets is the outcome");
        assertEquals(0, first.result());
    }

    @Test
    void aCrossShardTransactionGetsCommittedThenSettled() {
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 7);
        send(submitTx(9, tx));
        assertEquals(SubmitStatus.ACCEPTED, ack(next()).status());
        final byte[] txId = FakeNode.txId(tx);
        node.commit(txId, 0);
        assertEquals(FinalityLevel.COMMITTED, finality(next()).level());
        // The gateway keeps tracking it after COMMITTED: the settlement reaches the same client.
        node.emit(new io.basalt.node.api.FinalityEvent(txId, io.basalt.protocol.TxState.SETTLED, 0, 9, 0));
        final FinalityEventDecoder settled = finality(next());
        assertEquals(FinalityLevel.SETTLED, settled.level());
        assertEquals(9, settled.height());
        // The gateway counts an event after its send returns, so the client can read it first.
        final long countedBy = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (gateway.finalityEventsSent() < 2 && System.nanoTime() < countedBy) {
            Thread.onSpinWait();
        }
        assertEquals(2, gateway.finalityEventsSent());
    }

    private static FinalityEventDecoder finality(final byte[] event) {
        assertEquals(Templates.FINALITY_EVENT, Templates.templateId(new UnsafeBuffer(event), 0));
        return new FinalityEventDecoder().wrapAndApplyHeader(new UnsafeBuffer(event), 0, new MessageHeaderDecoder());
    }

    @Test
    void duplicatesOfCommittedTransactionsGetTheirFinalityAtOnce() {
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 2);
        node.autoCommit = true;
        send(submitTx(1, tx));
        assertEquals(SubmitStatus.ACCEPTED, ack(next()).status());
        assertEquals(Templates.FINALITY_EVENT, Templates.templateId(new UnsafeBuffer(next()), 0));
        send(submitTx(2, tx));
        final SubmitAckDecoder duplicate = ack(next());
        assertEquals(2, duplicate.correlationId());
        assertEquals(SubmitStatus.DUPLICATE, duplicate.status());
        assertEquals(RejectCode.DUPLICATE.code(), duplicate.reason());
        assertEquals(Templates.FINALITY_EVENT, Templates.templateId(new UnsafeBuffer(next()), 0));
    }

    @Test
    void rejectionsCarryTheRejectCode() {
        node.nextReject = RejectCode.EXPIRED;
        send(submitTx(5, TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 3)));
        final SubmitAckDecoder ack = ack(next());
        assertEquals(5, ack.correlationId());
        assertEquals(SubmitStatus.REJECTED, ack.status());
        assertEquals(RejectCode.EXPIRED.code(), ack.reason());
        assertEquals(1, gateway.rejectedSubmissions());
    }

    @Test
    void malformedMessagesAreCountedAndAnsweredWhenPossible() throws Exception {
        final byte[] tx = TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 4);
        tx[0] = 99; // the embedded transaction's blockLength is wrong
        send(submitTx(9, tx));
        final SubmitAckDecoder ack = ack(next());
        assertEquals(9, ack.correlationId());
        assertEquals(SubmitStatus.REJECTED, ack.status());
        assertEquals(RejectCode.MALFORMED.code(), ack.reason());

        send(new byte[] {1, 2, 3});
        send(ByteBuffer.allocate(40).putInt(0x7FFF_FFFF).array());
        final long deadline = System.currentTimeMillis() + 10_000;
        while (gateway.malformedMessages() < 3) {
            assertTrue(System.currentTimeMillis() < deadline, "malformed messages not counted: " + gateway.malformedMessages());
            Thread.onSpinWait();
        }
        assertTrue(node.submitted.isEmpty());

        // Still serving after garbage.
        send(submitTx(10, TestTransactions.transfer(ALICE, BOB.publicKey(), 5, 5)));
        assertEquals(SubmitStatus.ACCEPTED, ack(next()).status());
        final ValidatorRegistry registry = new ValidatorRegistry(0, 1);
        gateway.registerMetrics(registry);
        final Map<String, PromText.Family> scrape = PromText.parse(registry.render());
        final PromText.Family malformed = scrape.get("basalt_aeron_gateway_malformed_total");
        assertEquals("counter", malformed.type());
        assertEquals(3.0, malformed.value("basalt_aeron_gateway_malformed_total", Map.of("shard", "0", "validator", "1")));
        // docs/metrics.md lists exactly these as the Aeron client gateway's (MetricsReferenceTest checks the rest).
        final Map<String, String> documented = new TreeMap<>();
        MetricsDoc.rows().values().stream().filter(r -> r.exportedBy().equals(MetricsDoc.AERON_GATEWAY))
            .forEach(r -> documented.put(r.name(), r.signature()));
        assertEquals(documented, MetricsDoc.signatures(scrape));
    }
}
