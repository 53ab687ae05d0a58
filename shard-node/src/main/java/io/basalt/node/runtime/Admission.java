package io.basalt.node.runtime;

import io.basalt.crypto.Sha256;
import io.basalt.dag.SignedBlockVerifier;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.protocol.TxState;
import io.basalt.node.exec.Ledger;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.ProtocolLimits;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The three checks between a client and the mempool, shared by both ways in:
 *
 * <pre>
 *   decode   bytes → canonical SBE user transaction (MessageValidator), id = SHA-256(signed prefix)
 *   verify   every signature (Ed25519, strict)                      ← the expensive, parallel one
 *   admit    ready? in flight already? ledger.precheck (network, shard, expiry, executed, fee)
 *            → in-flight set → bounded queue to the consensus agent
 * </pre>
 *
 * {@link #submit} runs the three on the caller's thread (the HTTP gateway's worker threads give it
 * parallelism for free, and no thread hand-off adds latency); {@link IngestPipeline} runs the same
 * stages on a Disruptor for the Aeron client gateway. The per-thread state lives in {@link Scratch}.
 */
final class Admission {
    private static final int EXPIRY_OFFSET = Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.expiryMsEncodingOffset();
    private static final int RECENT_REJECTS = 16_384;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The id of a submission whose bytes did not yield one. */
    static final byte[] NO_ID = new byte[0];

    static {
        if (CreateAssetDecoder.expiryMsEncodingOffset() != TransferDecoder.expiryMsEncodingOffset()
            || SwapDecoder.expiryMsEncodingOffset() != TransferDecoder.expiryMsEncodingOffset()) {
            throw new IllegalStateException("user transactions must keep expiryMs at one offset");
        }
    }

    /** What one thread needs to run the stages: flyweights are not thread-safe. */
    static final class Scratch {
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        final Sha256 sha256 = new Sha256();
        final SignedBlockVerifier verifier;

        Scratch(final SignedBlockVerifier verifier) {
            this.verifier = verifier;
        }
    }

    private final Ledger ledger;
    private final InFlight inFlight;
    private final ManyToOneConcurrentArrayQueue<byte[]> toConsensus;
    private final NodeMetrics metrics;
    private final FinalityHub finality;
    private final BooleanSupplier ready;
    private final ThreadLocal<Scratch> scratch;
    private final ConcurrentHashMap<TxKey, RejectCode> recentRejects = new ConcurrentHashMap<>();

    Admission(final Ledger ledger, final InFlight inFlight, final ManyToOneConcurrentArrayQueue<byte[]> toConsensus,
              final NodeMetrics metrics, final FinalityHub finality, final BooleanSupplier ready,
              final java.util.function.Supplier<SignedBlockVerifier> verifiers) {
        this.ledger = ledger;
        this.inFlight = inFlight;
        this.toConsensus = toConsensus;
        this.metrics = metrics;
        this.finality = finality;
        this.ready = ready;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(verifiers.get()));
    }

    /** All three stages on the calling thread. */
    SubmitResult submit(final byte[] tx) {
        final long startNs = System.nanoTime();
        final Scratch s = scratch.get();
        final byte[] txId = new byte[32];
        RejectCode code = decode(tx, txId, s);
        if (code == RejectCode.NONE) {
            code = verify(tx, s);
        }
        if (code == RejectCode.NONE) {
            code = admit(tx, txId, startNs);
        }
        final boolean hasId = hasId(code);
        finish(hasId ? txId : null, code, startNs);
        return new SubmitResult(hasId ? txId : NO_ID, code);
    }

    /** Whether decoding got as far as computing the id (it did unless the bytes are not a user transaction). */
    static boolean hasId(final RejectCode code) {
        return code != RejectCode.MALFORMED && code != RejectCode.UNSUPPORTED;
    }

    /** Stage 1: structure and id. {@code txIdOut} receives the id when the bytes are a user transaction. */
    static RejectCode decode(final byte[] tx, final byte[] txIdOut, final Scratch s) {
        if (tx == null || tx.length < Layout.MESSAGE_HEADER_LENGTH || tx.length > ProtocolLimits.MAX_TX_BYTES) {
            return RejectCode.MALFORMED;
        }
        s.view.wrap(tx);
        final DecodeError error = MessageValidator.validate(s.view, 0, tx.length);
        if (!error.isOk()) {
            return RejectCode.MALFORMED;
        }
        if (!Templates.isUserTransaction(Templates.templateId(s.view, 0))) {
            // Certified cross-shard messages come from committees, never from clients.
            return RejectCode.UNSUPPORTED;
        }
        final int signedLength = SignedRegion.signedLength(s.view, 0, tx.length);
        s.sha256.digest(tx, 0, signedLength, txIdOut, 0);
        return RejectCode.NONE;
    }

    /** Stage 2: signatures. */
    static RejectCode verify(final byte[] tx, final Scratch s) {
        return s.verifier.verifyTransaction(tx, 0, tx.length) ? RejectCode.NONE : RejectCode.BAD_SIGNATURE;
    }

    /** Stage 3: state checks, dedupe, and the hand-off to consensus. */
    RejectCode admit(final byte[] tx, final byte[] txId, final long startNs) {
        if (!ready.getAsBoolean()) {
            return RejectCode.NOT_READY;
        }
        if (inFlight.contains(txId)) {
            return RejectCode.DUPLICATE;
        }
        final RejectCode precheck = ledger.precheck(tx, 0, tx.length);
        if (precheck != RejectCode.NONE) {
            return precheck;
        }
        final long expiryMs = (long) LONG_LE.get(tx, EXPIRY_OFFSET);
        switch (inFlight.tryAdd(txId, expiryMs, startNs)) {
            case DUPLICATE:
                return RejectCode.DUPLICATE;
            case FULL:
                return RejectCode.OVERLOADED;
            default:
                break;
        }
        if (!toConsensus.offer(tx)) {
            inFlight.remove(txId, 0);
            return RejectCode.OVERLOADED;
        }
        return RejectCode.NONE;
    }

    /** Counts, records and announces a decision; {@code txId} is null when the bytes had none. */
    void finish(final byte[] txId, final RejectCode code, final long startNs) {
        metrics.submitted.incrementAndGet();
        metrics.recordAdmissionNs(System.nanoTime() - startNs);
        if (code == RejectCode.NONE) {
            metrics.admitted.incrementAndGet();
        } else {
            metrics.rejected(code);
            if (txId != null) {
                rememberReject(txId, code);
            }
        }
        if (txId != null && finality.hasListeners()) {
            final TxState level = code == RejectCode.NONE ? TxState.ACCEPTED : TxState.REJECTED;
            finality.publish(new FinalityEvent(txId.clone(), level, code.code(), 0, 0));
        }
    }

    /** The reject code of a recent refusal of this id, or null. */
    RejectCode recentReject(final byte[] txId) {
        return recentRejects.get(new TxKey(txId));
    }

    private void rememberReject(final byte[] txId, final RejectCode code) {
        if (code == RejectCode.DUPLICATE) {
            return; // the id is known under its first answer; a repeat must not shadow it
        }
        if (recentRejects.size() >= RECENT_REJECTS) {
            recentRejects.clear(); // a coarse bound: status of old refusals is best effort
        }
        recentRejects.put(new TxKey(txId.clone()), code);
    }
}
