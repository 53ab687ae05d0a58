package io.basalt.node.api;

import io.basalt.protocol.RejectCode;

/**
 * The admission decision for a transaction submitted through {@link NodeApi#submitAsync}.
 * Called on one of the ingest pipeline's threads (or on the caller's when the ring is full):
 * hand off at once. {@code txId} is valid only during the call (copy it to keep it) and is empty
 * when the bytes did not yield an id.
 */
@FunctionalInterface
public interface SubmitCallback {
    void onAdmission(long correlationId, byte[] txId, RejectCode code);
}
