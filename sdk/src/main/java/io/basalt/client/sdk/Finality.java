package io.basalt.client.sdk;

import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.protocol.ExecResult;

/**
 * What a validator says about a transaction: its state and, once final, the outcome. A submission's
 * future completes with a final one: COMMITTED or SETTLED from the stream or status, or REJECTED
 * when the node refused that very submission (never because some other copy under the same id was
 * refused); {@link BasaltClient#txStatus} may also answer UNKNOWN or ACCEPTED.
 *
 * @param txId            hex of the transaction id (SHA-256 of the signed bytes)
 * @param state           UNKNOWN, ACCEPTED, COMMITTED, SETTLED (a cross-shard transaction the destination applied) or REJECTED
 * @param resultCode      for COMMITTED, the {@link ExecResult} code (0 = success); otherwise 0
 * @param rejectCode      for REJECTED, why admission refused it; otherwise {@link RejectCode#NONE}
 * @param height          commit height, for COMMITTED
 * @param consensusTimeMs consensus time of the commit, for COMMITTED
 */
public record Finality(String txId, TxState state, int resultCode, RejectCode rejectCode, long height, long consensusTimeMs) {
    public boolean isFinal() {
        return state == TxState.COMMITTED || state == TxState.SETTLED || state == TxState.REJECTED;
    }

    /**
     * Whether a validator's status or stream event is the genuine transaction's outcome, which a
     * pending submission may complete with: COMMITTED or SETTLED, and not a DUPLICATE result (a
     * copy executed as a no-op after the first execution, which older validators pushed). A
     * REJECTED from anywhere but this client's own submission is never its answer: the id hashes the
     * bytes without the signatures, so anyone can have a copy with a broken signature refused under it.
     */
    public boolean isOutcome() {
        return (state == TxState.COMMITTED || state == TxState.SETTLED) && resultCode != ExecResult.DUPLICATE.code();
    }

    /** Committed and executed successfully. */
    public boolean succeeded() {
        return (state == TxState.COMMITTED || state == TxState.SETTLED) && resultCode == 0;
    }

    public ExecResult result() {
        return ExecResult.fromCode(resultCode);
    }

    /** One line for people: "COMMITTED SUCCESS at height 5", "REJECTED EXPIRED". */
    public String describe() {
        return switch (state) {
            case COMMITTED -> "COMMITTED " + result().name() + " at height " + height;
            case SETTLED -> "SETTLED " + result().name() + " at height " + height;
            case REJECTED -> "REJECTED " + rejectCode.name();
            default -> state.name();
        };
    }
}
