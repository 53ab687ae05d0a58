package io.basalt.node.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.basalt.dag.SignedBlockVerifier;
import io.basalt.protocol.RejectCode;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The asynchronous way in (for the Aeron client gateway): a Disruptor ring whose stages are the
 * {@link Admission} checks, with the signature stage spread over k handlers.
 *
 * <pre>
 *   gateway threads ──tryPublish──▶ [ ring, 4096 ]
 *        ──▶ decode (1 thread) ──▶ verify #0 .. #k-1 (sequence % k == ordinal) ──▶ admit (1 thread)
 *                                                                                     │
 *                                 callback(correlationId, txId, code) ◀──────────────┤
 *                                 queue to the consensus agent      ◀────────────────┘
 * </pre>
 *
 * Disruptor 4 has no WorkerPool; k ordinary handlers that each take every k-th sequence give the
 * same parallelism, and the admission handler, gated on all of them, sees events in ring order.
 * A full ring answers OVERLOADED at once instead of blocking the gateway.
 */
final class IngestPipeline implements AutoCloseable {
    static final int RING_SIZE = 4096;

    /** One ring slot, preallocated and reused. */
    static final class Event {
        byte[] tx;
        long correlationId;
        SubmitCallback callback;
        long startNs;
        RejectCode code;
        final byte[] txId = new byte[32];
    }

    private static final EventTranslatorThreeArg<Event, byte[], Long, SubmitCallback> TRANSLATOR =
        (event, sequence, tx, correlationId, callback) -> {
            event.tx = tx;
            event.correlationId = correlationId;
            event.callback = callback;
            event.startNs = System.nanoTime();
            event.code = RejectCode.NONE;
        };

    private final Disruptor<Event> disruptor;
    private final RingBuffer<Event> ring;

    IngestPipeline(final Admission admission, final int verifierThreads, final Supplier<SignedBlockVerifier> verifiers,
                   final IdleMode idle, final ThreadFactory threads) {
        disruptor = new Disruptor<>(Event::new, RING_SIZE, threads, ProducerType.MULTI, idle.ringWaitStrategy());
        disruptor.setDefaultExceptionHandler(new CountingExceptionHandler());
        @SuppressWarnings("unchecked")
        final EventHandler<Event>[] verifyStage = new EventHandler[verifierThreads];
        for (int i = 0; i < verifierThreads; i++) {
            verifyStage[i] = new VerifyHandler(i, verifierThreads, new Admission.Scratch(verifiers.get()));
        }
        final Admission.Scratch decodeScratch = new Admission.Scratch(null);
        final EventHandler<Event> decode = (event, sequence, endOfBatch) ->
            event.code = Admission.decode(event.tx, event.txId, decodeScratch);
        final EventHandler<Event> admit = (event, sequence, endOfBatch) -> {
            if (event.code == RejectCode.NONE) {
                try {
                    event.code = admission.admit(event.tx, event.txId, event.startNs);
                } catch (final RuntimeException e) {
                    event.code = RejectCode.NOT_READY; // the ledger failed; the client must hear back anyway
                }
            }
            final boolean hasId = Admission.hasId(event.code);
            admission.finish(hasId ? event.txId : null, event.code, event.startNs);
            final SubmitCallback callback = event.callback;
            event.tx = null; // do not keep garbage alive in the ring
            event.callback = null;
            callback.onAdmission(event.correlationId, hasId ? event.txId : Admission.NO_ID, event.code);
        };
        disruptor.handleEventsWith(decode).then(verifyStage).then(admit);
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

    private static final class VerifyHandler implements EventHandler<Event> {
        private final int ordinal;
        private final int count;
        private final Admission.Scratch scratch;

        VerifyHandler(final int ordinal, final int count, final Admission.Scratch scratch) {
            this.ordinal = ordinal;
            this.count = count;
            this.scratch = scratch;
        }

        @Override
        public void onEvent(final Event event, final long sequence, final boolean endOfBatch) {
            if (sequence % count == ordinal && event.code == RejectCode.NONE) {
                event.code = Admission.verify(event.tx, scratch);
            }
        }
    }

    /**
     * A stage that throws on one event must not stop the pipeline: the bytes came from a client.
     * The event is refused as MALFORMED and the handler goes on.
     */
    private static final class CountingExceptionHandler implements ExceptionHandler<Event> {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Event event) {
            if (event != null) {
                event.code = RejectCode.MALFORMED;
            }
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
