package io.basalt.node.runtime;

import io.basalt.dag.SignedBlockVerifier;
import io.basalt.exec.TxView;
import io.basalt.node.net.Doorbell;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.protocol.TxState;
import io.basalt.node.exec.Ledger;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.ProtocolLimits;
import io.basalt.protocol.Templates;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one way from a client to the mempool, shared by both ways in. Each transaction is decoded,
 * hashed and validated exactly once, into the thread's {@link TxView}; every later check reads that
 * view, and what goes on is one {@link AdmittedTx}:
 *
 * <pre>
 *   decode   bytes → TxView (canonical SBE user transaction, id = SHA-256(signed prefix))
 *   verify   every signature (Ed25519, strict)                      ← the expensive, parallel one
 *   admit    ready? in flight already? ledger.precheck(view) (network, shard, expiry, executed, fee)
 *            → AdmittedTx into the in-flight set → bounded queue to the consensus agent, doorbell
 * </pre>
 *
 * {@link #submit} runs the three on the caller's thread (the HTTP gateway's worker threads give it
 * parallelism for free, and no thread hand-off adds latency); {@link IngestPipeline} runs the same
 * {@link #process} on its parallel handlers for the Aeron client gateway. The per-thread state lives
 * in {@link Scratch}.
 */
final class Admission {
    /** The id of a submission whose bytes did not yield one. */
    static final byte[] NO_ID = new byte[0];

    /** What one thread needs to run the stages: flyweights are not thread-safe. */
    static final class Scratch {
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        final TxView tx = new TxView();
        final SignedBlockVerifier verifier;

        Scratch(final SignedBlockVerifier verifier) {
            this.verifier = verifier;
        }
    }

    private final Ledger ledger;
    private final InFlight inFlight;
    private final ManyToOneConcurrentArrayQueue<AdmittedTx> toConsensus;
    private final Doorbell consensusDoorbell;
    private final NodeMetrics metrics;
    private final FinalityHub finality;
    private final BooleanSupplier ready;
    private final ThreadLocal<Scratch> scratch;

    Admission(final Ledger ledger, final InFlight inFlight, final ManyToOneConcurrentArrayQueue<AdmittedTx> toConsensus,
              final Doorbell consensusDoorbell, final NodeMetrics metrics, final FinalityHub finality,
              final BooleanSupplier ready, final Supplier<SignedBlockVerifier> verifiers) {
        this.ledger = ledger;
        this.inFlight = inFlight;
        this.toConsensus = toConsensus;
        this.consensusDoorbell = consensusDoorbell;
        this.metrics = metrics;
        this.finality = finality;
        this.ready = ready;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(verifiers.get()));
    }

    /** All three stages on the calling thread. */
    SubmitResult submit(final byte[] tx) {
        final byte[] txId = new byte[32];
        final RejectCode code = process(tx, System.nanoTime(), scratch.get(), txId);
        return new SubmitResult(hasId(code) ? txId : NO_ID, code);
    }

    /**
     * Decode, verify and admit one submission with {@code s}, then count and announce the decision.
     * {@code txIdOut} receives the id when the bytes yielded one ({@link #hasId}).
     */
    RejectCode process(final byte[] tx, final long startNs, final Scratch s, final byte[] txIdOut) {
        RejectCode code = decode(tx, s);
        if (code == RejectCode.NONE) { // decode fails only without an id (MALFORMED, UNSUPPORTED)
            System.arraycopy(s.tx.id, 0, txIdOut, 0, txIdOut.length);
            code = s.verifier.verifyTransaction(tx, 0, tx.length) ? RejectCode.NONE : RejectCode.BAD_SIGNATURE;
        }
        if (code == RejectCode.NONE) {
            try {
                code = admit(tx, s.tx, startNs);
            } catch (final RuntimeException e) {
                code = RejectCode.NOT_READY; // the ledger failed; the client must hear back anyway
            }
        }
        finish(hasId(code) ? txIdOut : null, code, startNs);
        return code;
    }

    /** Whether decoding got as far as computing the id (it did unless the bytes are not a user transaction). */
    static boolean hasId(final RejectCode code) {
        return code != RejectCode.MALFORMED && code != RejectCode.UNSUPPORTED;
    }

    /** Stage 1: structure and id, once, into {@code s.tx}. */
    private static RejectCode decode(final byte[] tx, final Scratch s) {
        if (tx == null || tx.length < Layout.MESSAGE_HEADER_LENGTH || tx.length > ProtocolLimits.MAX_TX_BYTES) {
            return RejectCode.MALFORMED;
        }
        s.view.wrap(tx);
        if (s.tx.wrap(s.view, 0, tx.length)) {
            return RejectCode.NONE;
        }
        // Only on the way out: tell a well-formed message that is not a user transaction apart.
        // Certified cross-shard messages come from committees, never from clients.
        return MessageValidator.validate(s.view, 0, tx.length).isOk()
            && !Templates.isUserTransaction(Templates.templateId(s.view, 0)) ? RejectCode.UNSUPPORTED : RejectCode.MALFORMED;
    }

    /** Stage 3: state checks on the decoded view, dedupe, and the hand-off to consensus. */
    private RejectCode admit(final byte[] bytes, final TxView tx, final long startNs) {
        if (!ready.getAsBoolean()) {
            return RejectCode.NOT_READY;
        }
        if (inFlight.contains(tx.id)) {
            return RejectCode.DUPLICATE;
        }
        final RejectCode precheck = ledger.precheck(tx);
        if (precheck != RejectCode.NONE) {
            return precheck;
        }
        final AdmittedTx admitted = new AdmittedTx(bytes, tx.id.clone(), tx.expiryMs, startNs);
        switch (inFlight.tryAdd(admitted)) {
            case DUPLICATE:
                return RejectCode.DUPLICATE;
            case FULL:
                return RejectCode.OVERLOADED;
            default:
                break;
        }
        admitted.admittedNs = System.nanoTime();
        if (!toConsensus.offer(admitted)) {
            inFlight.remove(admitted.id, 0);
            return RejectCode.OVERLOADED;
        }
        consensusDoorbell.ring();
        return RejectCode.NONE;
    }

    /**
     * Counts a decision and announces an admission. A refusal is the submitter's answer alone: it is
     * never published and never recorded under the id. The id hashes the signed prefix without the
     * signatures, so anyone who has seen a transaction can send bytes that share its id (a flipped
     * signature bit, a repeat, a copy sent when the fee can no longer be paid) and have them refused;
     * announcing that refusal would tell every watcher that the genuine transaction, pending or
     * committed elsewhere, was rejected. {@code txId} is null when the bytes had none.
     */
    void finish(final byte[] txId, final RejectCode code, final long startNs) {
        metrics.submitted.incrementAndGet();
        metrics.recordAdmissionNs(System.nanoTime() - startNs);
        if (code != RejectCode.NONE) {
            metrics.rejected(code);
            return;
        }
        metrics.admitted.incrementAndGet();
        if (txId != null && finality.hasListeners()) {
            finality.publish(new FinalityEvent(txId.clone(), TxState.ACCEPTED, 0, 0, 0));
        }
    }
}
