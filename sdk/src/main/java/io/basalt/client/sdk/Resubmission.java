package io.basalt.client.sdk;

import io.basalt.crypto.Hex;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One submission that goes on to other validators of its shard when the one holding it goes silent, as
 * {@link ResubmitPolicy} describes; its {@link #result} is what {@link BasaltClient#submit} returns.
 *
 * <p>Each attempt is an ordinary {@code submit} on one validator's client, which completes from that validator's
 * finality stream or status; the first outcome of any attempt is the result. A refusal is the result only when
 * nothing else can still hold the transaction: the first submission's refusal (no validator had accepted it), or a
 * resubmission's EXPIRED that the refusing validator confirms by not knowing the id as committed (its ledger is past
 * the expiry, so every block that could hold it has executed there). Any other refusal of a resubmission (OVERLOADED,
 * NOT_READY, a fee balance spent meanwhile) cannot rule out the accepted copy, so it only moves on to the next
 * validator.
 *
 * <p>When every validator of the shard refuses the connection, the bytes reached none: the result fails with
 * UNREACHABLE at once, as a one-validator client's would.
 *
 * <p>Never endless: when no validator has given an outcome {@link #GIVE_UP_AFTER_MS} after the first submission (the
 * protocol's farthest expiry, plus the interval), or the attempts are used up without one, the result fails with
 * NO_OUTCOME, which says that the outcome is unknown, never that the transaction failed.
 */
final class Resubmission {
    /** The protocol's longest expiry after admission (ExecConfig.MAX_EXPIRY_AHEAD_MS); consensus time tracks real time. */
    static final long GIVE_UP_AFTER_MS = 60_000;

    /** The validators of the transaction's shard, in the order they are tried: 0 is the client's first choice. */
    interface Committee {
        int size();

        /** The client that submits to validator {@code index} (HTTP or Aeron). */
        BasaltClient submitter(int index);

        /** The client that asks validator {@code index} about a transaction (HTTP). */
        BasaltClient queries(int index);
    }

    final CompletableFuture<Finality> result = new CompletableFuture<>();
    private final byte[] transaction;
    private final String txId;
    private final Committee committee;
    private final ResubmitPolicy policy;
    private final Executor statusQueries;
    private final long startNs = System.nanoTime();
    private final ScheduledFuture<?> ticks;
    /** Every attempt's future, completed with the result so that no validator's client keeps waiting; under this. */
    private final List<CompletableFuture<Finality>> attemptFutures = new ArrayList<>();
    private int attempts;
    private int current;
    private long lastSubmitNs;
    /** Whether the latest attempt failed without an answer or was refused: its validator does not hold the transaction. */
    private boolean currentLost;
    private boolean checking;
    /**
     * Whether any validator may have the transaction: every failure so far was a refused connection (nothing was
     * sent) until one answered, failed otherwise (a reset or a timeout can follow an admission) or said ACCEPTED.
     */
    private boolean mayBeHeld;
    private String lastAnswer = "none";

    private Resubmission(final byte[] transaction, final Committee committee, final ResubmitPolicy policy,
                         final ScheduledExecutorService timer, final Executor statusQueries) {
        this.transaction = transaction;
        this.txId = Hex.encode(TransactionBuilder.txId(transaction));
        this.committee = committee;
        this.policy = policy;
        this.statusQueries = statusQueries;
        final long intervalNs = policy.interval().toNanos();
        this.ticks = timer.scheduleWithFixedDelay(this::tick, intervalNs, intervalNs, TimeUnit.NANOSECONDS);
        result.whenComplete((answer, failure) -> ticks.cancel(false));
    }

    /**
     * Submits to the committee's first validator and resubmits as the policy says.
     *
     * @param timer         runs the checks every {@link ResubmitPolicy#interval}
     * @param statusQueries runs the blocking status queries, so that a hung validator delays only its own check
     * @throws IllegalArgumentException if the bytes are not a valid user transaction
     */
    static CompletableFuture<Finality> start(final byte[] transaction, final Committee committee, final ResubmitPolicy policy,
                                             final ScheduledExecutorService timer, final Executor statusQueries) {
        final Resubmission submission = new Resubmission(transaction, committee, policy, timer, statusQueries);
        synchronized (submission) {
            submission.submitTo(0);
        }
        return submission.handedOut();
    }

    /**
     * The future the caller gets. {@link #result} completes under this object's lock, and a future runs the
     * callbacks registered on it in the completing thread: a caller's callback that blocks would hold the lock and
     * stall this submission's other attempts. So the caller's future completes from {@link #statusQueries} instead
     * (or inline once that executor was shut down, so that it always completes).
     */
    private CompletableFuture<Finality> handedOut() {
        final CompletableFuture<Finality> out = new CompletableFuture<>();
        final Executor outsideTheLock = command -> {
            try {
                statusQueries.execute(command);
            } catch (final RejectedExecutionException closed) {
                command.run();
            }
        };
        result.whenCompleteAsync((answer, failure) -> {
            if (failure == null) {
                out.complete(answer);
            } else {
                out.completeExceptionally(failure);
            }
        }, outsideTheLock);
        out.whenComplete((answer, failure) -> {
            if (out.isCancelled()) {
                result.cancel(false); // the caller gave up: stop the checks and resubmissions
            }
        });
        return out;
    }

    /** Under this. */
    private void submitTo(final int index) {
        attempts++;
        current = index;
        currentLost = false;
        lastSubmitNs = System.nanoTime();
        CompletableFuture<Finality> attempt;
        try {
            attempt = committee.submitter(index).submit(transaction);
        } catch (final RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attemptFutures.add(attempt);
        final int attemptNumber = attempts;
        attempt.whenComplete((answer, failure) -> answered(attemptNumber, index, answer, failure));
    }

    private void answered(final int attemptNumber, final int index, final Finality answer, final Throwable failure) {
        if (result.isDone()) {
            return;
        }
        if (answer != null && answer.isOutcome()) {
            finish(answer);
            return;
        }
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof IllegalArgumentException || cause instanceof BasaltException e && "CLOSED".equals(e.code())) {
            fail(cause); // the bytes or the client, not the validator: no other validator would do better
            return;
        }
        synchronized (this) {
            if (answer != null) {
                lastAnswer = answer.describe() + " from validator " + index;
            } else {
                lastAnswer = "no answer from validator " + index + " (" + cause.getMessage() + ")";
            }
            mayBeHeld |= answer != null || !connectionRefused(cause);
            if (attemptNumber != attempts) {
                return; // an older attempt: the latest one decides what happens next
            }
            if (!mayBeHeld && attempts >= committee.size()) {
                // Every validator of the shard refused the connection: the bytes reached none, nothing can be lost.
                fail(new BasaltException("UNREACHABLE", "no validator of the shard accepted a connection for transaction "
                    + txId + " (last: " + lastAnswer + ")", cause));
                return;
            }
            if (answer != null && answer.state() == TxState.REJECTED) {
                if (attemptNumber == 1) {
                    finish(answer); // no validator had accepted it: this refusal is the answer
                } else if (answer.rejectCode() == RejectCode.EXPIRED) {
                    confirmExpired(index, answer);
                } else {
                    lost(false);
                }
                return;
            }
            lost(false);
        }
    }

    /**
     * The latest attempt's validator does not hold the transaction. The next validator gets it at once when a tick
     * found that out ({@code intervalPassed}) or while the committee's first round lasts; otherwise at the next tick,
     * so that a shard that is wholly down is not hammered. Under this.
     */
    private void lost(final boolean intervalPassed) {
        currentLost = true;
        if (attempts >= policy.maxAttempts()) {
            giveUp("after " + attempts + " submissions");
        } else if (intervalPassed || attempts < committee.size()) {
            submitTo(next());
        }
    }

    /** A resubmission refused as EXPIRED: final unless the refusing validator knows the transaction as committed. */
    private void confirmExpired(final int index, final Finality refusal) {
        checking = true;
        statusQueries.execute(() -> {
            Finality status = null;
            try {
                status = committee.queries(index).txStatus(Hex.decode(txId));
            } catch (final RuntimeException e) {
                // Unreachable after refusing: treat as a lost attempt below.
            }
            synchronized (this) {
                checking = false;
                if (status != null && status.isOutcome()) {
                    finish(status);
                } else if (status != null) {
                    finish(refusal);
                } else if (!result.isDone()) {
                    lost(false);
                }
            }
        });
    }

    /** Every {@link ResubmitPolicy#interval}: asks the validator holding the latest attempt, if it has been quiet that long. */
    private void tick() {
        final int index;
        synchronized (this) {
            if (result.isDone() || checking) {
                return;
            }
            if (System.nanoTime() - startNs > TimeUnit.MILLISECONDS.toNanos(GIVE_UP_AFTER_MS) + policy.interval().toNanos()) {
                giveUp("in " + (System.nanoTime() - startNs) / 1_000_000_000 + " s");
                return;
            }
            if (System.nanoTime() - lastSubmitNs < policy.interval().toNanos()) {
                return;
            }
            if (currentLost) {
                lost(true);
                return;
            }
            checking = true;
            mayBeHeld = true; // the latest submission did not fail at once: it may have been admitted
            index = current;
        }
        statusQueries.execute(() -> checkStatus(index));
    }

    private void checkStatus(final int index) {
        Finality status = null;
        String failure = null;
        try {
            status = committee.queries(index).txStatus(Hex.decode(txId));
        } catch (final RuntimeException e) {
            failure = e.getMessage();
        }
        synchronized (this) {
            checking = false;
            if (result.isDone()) {
                return;
            }
            if (status != null && status.isOutcome()) {
                finish(status);
                return;
            }
            if (status != null && status.state() == TxState.ACCEPTED) {
                mayBeHeld = true;
                return; // it still holds the transaction and will propose it
            }
            if (index == current) {
                lastAnswer = status != null ? "validator " + index + " does not know it (" + status.state() + ")"
                    : "validator " + index + " does not answer (" + failure + ")";
                lost(true);
            }
        }
    }

    private static boolean connectionRefused(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private int next() {
        return (current + 1) % committee.size();
    }

    /** Under this, or where a second completion is harmless. */
    private void finish(final Finality answer) {
        if (result.complete(answer)) {
            completeAttempts(answer, null);
        }
    }

    private void fail(final Throwable failure) {
        if (result.completeExceptionally(failure)) {
            completeAttempts(null, failure);
        }
    }

    private void giveUp(final String when) {
        fail(new BasaltException("NO_OUTCOME", "no validator of the shard gave an outcome for transaction " + txId + " "
            + when + " (last: " + lastAnswer + "); it may still commit before its expiry, so ask txStatus later", 0));
    }

    private void completeAttempts(final Finality answer, final Throwable failure) {
        final List<CompletableFuture<Finality>> toComplete;
        synchronized (this) {
            toComplete = List.copyOf(attemptFutures);
        }
        for (final CompletableFuture<Finality> attempt : toComplete) {
            if (failure == null) {
                attempt.complete(answer);
            } else {
                attempt.completeExceptionally(failure);
            }
        }
    }
}
