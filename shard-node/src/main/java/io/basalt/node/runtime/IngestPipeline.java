package io.basalt.node.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.basalt.dag.SignedBlockVerifier;
import io.basalt.node.api.SubmitCallback;
import io.basalt.protocol.RejectCode;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous way in (the Aeron client gateway): a Disruptor ring whose k handlers each run
 * the whole {@link Admission#process} (decode once, verify, admit) on every k-th submission.
 *
 * <pre>
 *   gateway thread ──tryPublish──▶ [ ring, 4096 ] ──▶ admission #0 .. #k-1 (sequence % k == ordinal)
 *                                                      ├─▶ admitted-tx queue ──▶ consensus agent (doorbell)
 *                                  callback(correlationId, txId, code) ◀─┘
 * </pre>
 *
 * One stage, not three: nothing in admission needs ring order (the in-flight set dedupes
 * concurrently and the queue to consensus is many-to-one), so a transaction crosses one thread
 * hand-off instead of three. Callbacks of one client may come from different handlers, each with
 * its correlation id. A full ring answers OVERLOADED at once instead of blocking the gateway.
 */
final class IngestPipeline implements AutoCloseable {
    static final int RING_SIZE = 4096;

    /** One ring slot, preallocated and reused. */
    static final class Event {
        byte[] tx;
        long correlationId;
        SubmitCallback callback;
        long startNs;
    }

    private static final EventTranslatorThreeArg<Event, byte[], Long, SubmitCallback> TRANSLATOR =
        (event, sequence, tx, correlationId, callback) -> {
            event.tx = tx;
            event.correlationId = correlationId;
            event.callback = callback;
            event.startNs = System.nanoTime();
        };

    private final Disruptor<Event> disruptor;
    private final RingBuffer<Event> ring;

    IngestPipeline(final Admission admission, final int handlers, final Supplier<SignedBlockVerifier> verifiers,
                   final IdleMode idle, final ThreadFactory threads) {
        disruptor = new Disruptor<>(Event::new, RING_SIZE, threads, ProducerType.MULTI, idle.ringWaitStrategy());
        disruptor.setDefaultExceptionHandler(new LogAndContinue());
        @SuppressWarnings("unchecked")
        final EventHandler<Event>[] stage = new EventHandler[handlers];
        for (int i = 0; i < handlers; i++) {
            stage[i] = new AdmitHandler(admission, i, handlers, new Admission.Scratch(verifiers.get()));
        }
        disruptor.handleEventsWith(stage);
        ring = disruptor.start();
    }

    /** False when the ring is full: the caller answers OVERLOADED. */
    boolean tryPublish(final byte[] tx, final long correlationId, final SubmitCallback callback) {
        return ring.tryPublishEvent(TRANSLATOR, tx, correlationId, callback);
    }

    @Override
    public void close() {
        try {
            disruptor.shutdown(2, TimeUnit.SECONDS);
        } catch (final TimeoutException e) {
            disruptor.halt();
        }
    }

    private static final class AdmitHandler implements EventHandler<Event> {
        private final Admission admission;
        private final int ordinal;
        private final int count;
        private final Admission.Scratch scratch;
        private final byte[] txId = new byte[32];

        AdmitHandler(final Admission admission, final int ordinal, final int count, final Admission.Scratch scratch) {
            this.admission = admission;
            this.ordinal = ordinal;
            this.count = count;
            this.scratch = scratch;
        }

        @Override
        public void onEvent(final Event event, final long sequence, final boolean endOfBatch) {
            if (sequence % count != ordinal) {
                return;
            }
            final SubmitCallback callback = event.callback;
            final byte[] tx = event.tx;
            event.tx = null; // do not keep garbage alive in the ring
            event.callback = null;
            final RejectCode code = admission.process(tx, event.startNs, scratch, txId);
            // The callback copies what it keeps: the id array is this handler's and is reused.
            callback.onAdmission(event.correlationId, Admission.hasId(code) ? txId : Admission.NO_ID, code);
        }
    }

    /**
     * A handler that throws must not stop the pipeline: the bytes came from a client. Admission
     * catches the ledger's failures itself, so this is a bug of ours; the event is dropped without
     * an answer (the client times out) and the handler goes on.
     */
    private static final class LogAndContinue implements ExceptionHandler<Event> {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Event event) {
            LoggerFactory.getLogger(IngestPipeline.class).error("ingest handler failed at sequence {}", sequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            throw new IllegalStateException("ingest pipeline failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex) {
        }
    }
}
