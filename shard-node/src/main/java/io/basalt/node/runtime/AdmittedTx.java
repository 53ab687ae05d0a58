package io.basalt.node.runtime;

/**
 * One transaction this validator admitted, decoded, hashed and checked exactly once on its way in,
 * carried from admission to execution: the in-flight set holds it, the consensus agent hands its
 * bytes to the core with it as the tag, and execution reads the stage times back when it is
 * applied. Stage times are monotonic nanoseconds; 0 means the stage did not happen here (the
 * transaction went into another validator's block).
 *
 * <p>Threads: admission writes {@code bytes .. admittedNs} before it is published to the admitted
 * queue; the consensus agent writes {@code proposedNs} and {@code round} before the block that
 * holds it is committed and handed to execution through the ring; execution reads them after. Each
 * hand-off is a release/acquire, so plain fields suffice.
 */
final class AdmittedTx {
    final byte[] bytes;
    final byte[] id;
    final long expiryMs;
    /** When the submission arrived. */
    final long startNs;
    /** When admission finished (decoded, verified, prechecked, in the in-flight set). */
    long admittedNs;
    /** When the consensus agent put it in an own block; 0 until then. */
    long proposedNs;
    /** That block's round. */
    long round;

    AdmittedTx(final byte[] bytes, final byte[] id, final long expiryMs, final long startNs) {
        this.bytes = bytes;
        this.id = id;
        this.expiryMs = expiryMs;
        this.startNs = startNs;
    }

    /** Whether {@code length} bytes at {@code offset} are exactly this transaction, signatures included. */
    boolean sameBytes(final byte[] buffer, final int offset, final int length) {
        return java.util.Arrays.equals(bytes, 0, bytes.length, buffer, offset, offset + length);
    }
}
