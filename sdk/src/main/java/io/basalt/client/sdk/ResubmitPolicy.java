package io.basalt.client.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * When a routing client sends a submission's same signed bytes to another validator of the sender's shard, so that a
 * transaction accepted by a validator that then died is not lost without an outcome (docs/api.md, "Resubmission").
 *
 * <p>A validator can answer 202 ACCEPTED and be killed before the transaction is in a block its peers hold; nobody
 * else has it, so no finality will ever come. Sending the same bytes again is safe because the ledger executes an id
 * at most once: a validator that already holds it answers DUPLICATE (the client keeps waiting), and a copy that
 * executes second is a no-op. The client resubmits, to the next validator of the shard in turn:
 * <ul>
 *   <li>at once, when a submission fails without an answer (connection refused or reset, timeout); and</li>
 *   <li>when no outcome has arrived {@link #interval} after the last submission and the validator it went to does not
 *       answer a status query for the transaction, or answers that it does not know it (UNKNOWN). A validator that
 *       answers ACCEPTED still holds the transaction and is left to finish it.</li>
 * </ul>
 * It stops at the first outcome, after {@link #maxAttempts} submissions in all, or when a validator that is up
 * refuses a resubmission as EXPIRED and does not know the transaction as committed: the expiry has passed on the
 * shard with no commit, so it never will commit, and the submission completes REJECTED EXPIRED. When no validator
 * can tell, it fails with NO_OUTCOME (the outcome is unknown); when every one refuses the connection, with UNREACHABLE
 * (the bytes reached none).
 *
 * @param interval    how long a submission may go without an outcome before its validator is asked about it, and the
 *                    least time between two resubmissions after the first round of the committee
 * @param maxAttempts submissions in all, the first included; {@link #UNTIL_EXPIRY} for "until an outcome or the
 *                    expiry"; 1 turns resubmission off
 */
public record ResubmitPolicy(Duration interval, int maxAttempts) {
    /** {@link #maxAttempts} for "no limit but the transaction's expiry". */
    public static final int UNTIL_EXPIRY = Integer.MAX_VALUE;
    /** Ask after 2 s without an outcome (a healthy shard commits in well under a second), until the expiry. */
    public static final ResubmitPolicy DEFAULT = new ResubmitPolicy(Duration.ofSeconds(2), UNTIL_EXPIRY);
    /** One submission, to one validator: the behaviour before resubmission existed. */
    public static final ResubmitPolicy NEVER = new ResubmitPolicy(Duration.ofSeconds(2), 1);

    public ResubmitPolicy {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the resubmit interval must be positive: " + interval);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    public ResubmitPolicy withInterval(final Duration newInterval) {
        return new ResubmitPolicy(newInterval, maxAttempts);
    }

    public ResubmitPolicy withMaxAttempts(final int newMaxAttempts) {
        return new ResubmitPolicy(interval, newMaxAttempts);
    }
}
