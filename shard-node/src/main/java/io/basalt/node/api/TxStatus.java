package io.basalt.node.api;

import io.basalt.protocol.TxState;

import io.basalt.protocol.RejectCode;

/**
 * A transaction's status at one validator. For COMMITTED, {@code result} is the execution result
 * ({@link io.basalt.protocol.ExecResult}; 0 = success) and height/consensus time say where. A
 * validator answers UNKNOWN, ACCEPTED, COMMITTED or SETTLED, never REJECTED: a refusal is the answer
 * to one submission, not the state of an id that a genuine transaction may share. REJECTED and
 * {@code rejectCode} remain for clients that describe a submission's answer in the same shape.
 */
public record TxStatus(TxState state, int result, RejectCode rejectCode, long height, long consensusTimeMs) {
    public static final TxStatus UNKNOWN = new TxStatus(TxState.UNKNOWN, 0, RejectCode.NONE, 0, 0);
}
