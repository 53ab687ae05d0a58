package io.basalt.node.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitTxEncoder;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the Aeron client gateway's inbound path (docs/fuzzing.md): any message a
 * trading client puts on the submit stream, over Aeron IPC on an embedded media driver, to a gateway on a
 * {@link FakeNode}. The test thread runs the gateway's duty cycle itself, so each input is followed to
 * its end. Contract: {@link AeronClientGateway#doWork} never throws; every message gets exactly one
 * outcome (accepted or rejected; a malformed one is rejected) within a bounded number of duty cycles; every answer on the
 * response stream is a message the protocol validator accepts.
 *
 * <p>Input: byte 0 odd wraps the rest as the transaction of a well-formed SubmitTx (so the fuzzer
 * reaches the node's transaction checks without first finding the SBE header); even sends the rest as is.
 */
final class AeronClientGatewayFuzz {
    private static final String CHANNEL = "aeron:ipc";
    private static final int SUBMIT_STREAM = 3011;
    /** Duty cycles a message may take to be accounted: far above the few it needs. */
    private static final int MAX_DUTY_CYCLES = 100_000;

    private static AeronClientGateway gateway;
    private static ExclusivePublication publication;
    private static Subscription responses;
    private static final UnsafeBuffer OUT = new UnsafeBuffer(new byte[64 * 1024]);
    private static long correlation;

    @FuzzTest(maxDuration = "60s")
    void submit(final byte[] data) {
        start();
        if (data.length == 0) {
            return;
        }
        final int length = message(data);
        if (length <= 0 || length > publication.maxPayloadLength()) {
            return;
        }
        final long before = accounted();
        final NoOpIdleStrategy idle = new NoOpIdleStrategy();
        while (publication.offer(OUT, 0, length) < 0) {
            gateway.doWork();
            drainResponses();
            idle.idle();
        }
        int cycles = 0;
        while (accounted() == before) {
            gateway.doWork();
            drainResponses();
            assertTrue(++cycles < MAX_DUTY_CYCLES, "a message was never accounted: " + length + " bytes");
        }
        assertEquals(before + 1, accounted(), "one message, one outcome");
        for (int i = 0; i < 8; i++) {
            gateway.doWork();
            drainResponses();
        }
    }

    /** Writes the input's message to {@link #OUT}; its length. */
    private static int message(final byte[] data) {
        final byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        if ((data[0] & 1) == 0) {
            OUT.putBytes(0, rest);
            return rest.length;
        }
        if (Layout.submitTxLength(rest.length) > OUT.capacity()) {
            return -1;
        }
        new SubmitTxEncoder().wrapAndApplyHeader(OUT, 0, new MessageHeaderEncoder())
            .correlationId(++correlation).putTx(rest, 0, rest.length);
        return Layout.submitTxLength(rest.length);
    }

    /** Messages with an outcome: each is accepted or rejected (a malformed one is counted rejected too). */
    private static long accounted() {
        return gateway.acceptedSubmissions() + gateway.rejectedSubmissions();
    }

    private static void drainResponses() {
        responses.poll((buffer, offset, length, header) ->
            assertTrue(MessageValidator.validate(buffer, offset, length).isOk(), "an answer the validator refuses"), 64);
    }

    /** One driver and gateway for the whole run (Jazzer calls the target millions of times); the JVM's exit ends it. */
    private static synchronized void start() {
        if (gateway != null) {
            return;
        }
        final String dir;
        try {
            dir = Files.createTempDirectory("basalt-aeron-fuzz").resolve("aeron").toString();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context().aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED).ipcTermBufferLength(1024 * 1024).dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        final Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final FakeNode node = new FakeNode();
        node.autoCommit = true;
        gateway = new AeronClientGateway(aeron, CHANNEL, SUBMIT_STREAM, node);
        publication = aeron.addExclusivePublication(CHANNEL, SUBMIT_STREAM);
        responses = aeron.addSubscription(ChannelUri.addSessionId(CHANNEL, publication.sessionId()),
            SUBMIT_STREAM + AeronClientGateway.RESPONSE_STREAM_OFFSET);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            aeron.close();
            driver.close();
        }));
    }
}
