package io.basalt.node.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.basalt.crypto.Sha256;
import io.basalt.dag.Block;
import io.basalt.dag.BlockVerifier;
import io.basalt.dag.Committee;
import io.basalt.dag.RejectReason;
import io.basalt.dag.SignedBlockVerifier;
import io.basalt.node.net.Doorbell;
import io.basalt.protocol.SignedRegion;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Peers' blocks are verified here, off the consensus agent: a Disruptor ring whose k handlers each
 * check every k-th transaction signature of every block (handler 0 also the author's signature), so
 * one large block is spread over all of them. The handler that finishes a block last hands the
 * verdict back to the agent and rings its doorbell; the agent then gives the block to the core, whose
 * verifier ({@link Verdicts}) reads the verdict instead of verifying inline.
 *
 * <pre>
 *   consensus agent ──tryPublish(block)──▶ [ ring, 1024 ] ──▶ verify #0 .. #k-1 (tx index % k)
 *        ▲                                                           │ last one done
 *        └──── doorbell ◀── verified queue ◀─────────────────────────┘
 * </pre>
 *
 * A transaction whose exact bytes this validator admitted itself (it is in the in-flight set) was
 * verified then and is not verified again: every client signature is checked at most once here.
 * While blocks wait here the agent goes on polling, proposing and committing. A full ring drops the
 * block (counted); the core fetches what it misses, as for any message lost on the network.
 */
final class BlockVerification implements AutoCloseable {
    static final int RING_SIZE = 1024;

    /** A block with its verdict: null when every signature holds. */
    record Verified(int from, long requestId, Block block, RejectReason reason) {
        static final long PUSHED = -1;
    }

    static final class Event {
        int from;
        long requestId;
        Block block;
        final AtomicInteger remaining = new AtomicInteger();
        /** A bad author signature overrides; a bad transaction is recorded only when nothing is yet. */
        final AtomicReference<RejectReason> reason = new AtomicReference<>();
    }

    private final Disruptor<Event> disruptor;
    private final RingBuffer<Event> ring;
    private final int handlers;
    private final ManyToOneConcurrentArrayQueue<Verified> verified = new ManyToOneConcurrentArrayQueue<>(2 * RING_SIZE);

    BlockVerification(final Committee committee, final InFlight inFlight, final NodeMetrics metrics, final int handlers,
                      final Supplier<SignedBlockVerifier> verifiers, final Doorbell consensusDoorbell,
                      final Consumer<Throwable> onFatal, final IdleMode idle, final ThreadFactory threads) {
        this.handlers = handlers;
        disruptor = new Disruptor<>(Event::new, RING_SIZE, threads, ProducerType.SINGLE, idle.ringWaitStrategy());
        disruptor.setDefaultExceptionHandler(new Fatal(onFatal));
        @SuppressWarnings("unchecked")
        final EventHandler<Event>[] stage = new EventHandler[handlers];
        for (int i = 0; i < handlers; i++) {
            stage[i] = new VerifyShare(i, handlers, committee, verifiers.get(), inFlight, metrics, verified, consensusDoorbell);
        }
        disruptor.handleEventsWith(stage);
        ring = disruptor.start();
    }

    /** Consensus agent only. False when the ring is full: the block is dropped. */
    boolean tryPublish(final int from, final long requestId, final Block block) {
        final long sequence;
        try {
            sequence = ring.tryNext();
        } catch (final com.lmax.disruptor.InsufficientCapacityException e) {
            return false;
        }
        final Event event = ring.get(sequence);
        event.from = from;
        event.requestId = requestId;
        event.block = block;
        event.reason.set(null);
        event.remaining.set(handlers);
        ring.publish(sequence);
        return true;
    }

    /** Consensus agent only: the next verified block, or null. */
    Verified poll() {
        return verified.poll();
    }

    @Override
    public void close() {
        try {
            disruptor.shutdown(2, TimeUnit.SECONDS);
        } catch (final TimeoutException e) {
            disruptor.halt();
        }
    }

    /**
     * The core's {@link BlockVerifier} on the node: the verdict the stage reached for the block the
     * agent is handing over now. A block that did not come through the stage is verified inline.
     */
    static final class Verdicts implements BlockVerifier {
        private final BlockVerifier inline;
        private Block current;
        private RejectReason currentReason;

        Verdicts(final BlockVerifier inline) {
            this.inline = inline;
        }

        /** Consensus agent: the verdict for the block it is about to hand to the core. */
        void set(final Block block, final RejectReason reason) {
            current = block;
            currentReason = reason;
        }

        void clear() {
            current = null;
            currentReason = null;
        }

        @Override
        public RejectReason verify(final Block block, final Committee committee) {
            if (block == current) {
                return currentReason;
            }
            return inline.verify(block, committee);
        }
    }

    private static final class VerifyShare implements EventHandler<Event> {
        private final int ordinal;
        private final int count;
        private final Committee committee;
        private final SignedBlockVerifier verifier;
        private final InFlight inFlight;
        private final NodeMetrics metrics;
        private final ManyToOneConcurrentArrayQueue<Verified> out;
        private final Doorbell doorbell;
        private final Sha256 sha256 = new Sha256();
        private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        private final byte[] txId = new byte[32];

        VerifyShare(final int ordinal, final int count, final Committee committee, final SignedBlockVerifier verifier,
                    final InFlight inFlight, final NodeMetrics metrics, final ManyToOneConcurrentArrayQueue<Verified> out,
                    final Doorbell doorbell) {
            this.ordinal = ordinal;
            this.count = count;
            this.committee = committee;
            this.verifier = verifier;
            this.inFlight = inFlight;
            this.metrics = metrics;
            this.out = out;
            this.doorbell = doorbell;
        }

        @Override
        public void onEvent(final Event event, final long sequence, final boolean endOfBatch) {
            final Block block = event.block;
            if (ordinal == 0 && !verifier.verifyAuthor(block, committee)) {
                event.reason.set(RejectReason.BAD_SIGNATURE);
            }
            final byte[] bytes = block.encoded();
            view.wrap(bytes);
            long checked = 0;
            long skipped = 0;
            for (int i = ordinal; i < block.transactionCount() && event.reason.get() == null; i += count) {
                final int offset = block.transactionOffset(i);
                final int length = block.transactionLength(i);
                if (alreadyVerified(bytes, offset, length)) {
                    skipped++;
                } else if (verifier.verifyTransaction(bytes, offset, length)) {
                    checked++;
                } else {
                    event.reason.compareAndSet(null, RejectReason.BAD_TRANSACTION);
                }
            }
            metrics.blockSignaturesVerified.addAndGet(checked);
            metrics.signaturesAlreadyVerified.addAndGet(skipped);
            if (event.remaining.decrementAndGet() == 0) {
                final Verified result = new Verified(event.from, event.requestId, block, event.reason.get());
                event.block = null;
                metrics.blocksVerified.incrementAndGet();
                while (!out.offer(result)) {
                    Thread.onSpinWait(); // twice the ring's size: only a stalled agent fills it
                }
                doorbell.ring();
            }
        }

        /** The same bytes, signatures included, are in this validator's in-flight set: verified at admission. */
        private boolean alreadyVerified(final byte[] bytes, final int offset, final int length) {
            if (inFlight.size() == 0) {
                return false;
            }
            sha256.digest(bytes, offset, SignedRegion.signedLength(view, offset, length), txId, 0);
            final AdmittedTx admitted = inFlight.get(txId);
            return admitted != null && admitted.sameBytes(bytes, offset, length);
        }
    }

    /** The stage checks bytes the codec validated; a throw here is a bug of ours: the node stops. */
    private static final class Fatal implements ExceptionHandler<Event> {
        private final Consumer<Throwable> onFatal;

        Fatal(final Consumer<Throwable> onFatal) {
            this.onFatal = onFatal;
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Event event) {
            onFatal.accept(new IllegalStateException("block verification failed at sequence " + sequence, ex));
            throw new IllegalStateException("block verification stopped", ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            onFatal.accept(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex) {
        }
    }
}
