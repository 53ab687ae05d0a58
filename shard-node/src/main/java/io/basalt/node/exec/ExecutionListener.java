package io.basalt.node.exec;

/** Receives execution output on the execution thread; implementations hand off and never block. */
public interface ExecutionListener {
    /** One executed transaction; {@code txIdBuffer} holds the 32-byte id at {@code txIdOffset} (copy it to keep it). */
    void onExecuted(byte[] txIdBuffer, int txIdOffset, ExecResult result, long height, long consensusTimeMs);

    /** A whole height applied; {@code stateDigest} is the 32-byte digest of the state after it. */
    void onHeight(long height, byte[] stateDigest, long consensusTimeMs);
}
