package io.basalt.node.api;

import io.basalt.protocol.TxState;

/**
 * A finality event pushed to subscribers: ACCEPTED when admitted, COMMITTED when executed in a
 * committed sub-DAG (with the execution result), REJECTED when refused.
 */
public record FinalityEvent(byte[] txId, TxState level, int result, long height, long consensusTimeMs) {
}
