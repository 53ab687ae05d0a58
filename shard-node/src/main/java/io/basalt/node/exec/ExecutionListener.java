package io.basalt.node.exec;

import io.basalt.protocol.ExecResult;

/** Receives execution output on the execution thread; implementations hand off and never block. */
public interface ExecutionListener {
    /** One executed transaction; {@code txIdBuffer} holds the 32-byte id at {@code txIdOffset} (copy it to keep it). */
    void onExecuted(byte[] txIdBuffer, int txIdOffset, ExecResult result, long height, long consensusTimeMs);

    /** A cross-shard outcome became final on this shard: a receipt credited, a swap decided. */
    default void onSettled(final byte[] txId, final ExecResult result, final long height, final long consensusTimeMs) {
    }

    /** A batch for another shard was cut at this height (its unsigned prefix, to sign and send). */
    default void onBatch(final int destShard, final long seq, final byte[] prefix) {
    }

    /** A whole height applied; {@code stateDigest} is the 32-byte digest of the state after it. */
    void onHeight(long height, byte[] stateDigest, long consensusTimeMs);
}
