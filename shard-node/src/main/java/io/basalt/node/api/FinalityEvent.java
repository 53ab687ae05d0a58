package io.basalt.node.api;

import io.basalt.protocol.TxState;

/**
 * A finality event pushed to subscribers: ACCEPTED when this validator admitted the id, COMMITTED
 * when it executed in a committed sub-DAG (with the execution result), SETTLED when a cross-shard
 * transaction finished. Each event says what {@link NodeApi#txStatus} says at that moment: a
 * validator publishes no REJECTED (a refusal is the submitter's answer alone) and no COMMITTED for
 * a later copy that executed as a no-op (DUPLICATE).
 */
public record FinalityEvent(byte[] txId, TxState level, int result, long height, long consensusTimeMs) {
}
