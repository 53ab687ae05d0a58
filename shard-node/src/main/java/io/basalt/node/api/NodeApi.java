package io.basalt.node.api;

import java.util.Map;

/**
 * What the gateways (HTTP, Aeron client stream) and the local cluster see of a validator. Every
 * method is thread-safe and non-blocking: reads come from state the node publishes, submissions
 * go into the ingest pipeline.
 */
public interface NodeApi {
    /** Submits a transaction's SBE bytes; the result is ACCEPTED (admitted) or a reject code. */
    SubmitResult submit(byte[] transaction);

    /**
     * The same checks off the caller's thread (a validator runs them on its parallel ingest stage):
     * returns at once, and {@code callback} hears the decision later, on another thread. This
     * default answers on the caller's thread.
     */
    default void submitAsync(final byte[] transaction, final long correlationId, final SubmitCallback callback) {
        final SubmitResult result = submit(transaction);
        callback.onAdmission(correlationId, result.txId() == null ? new byte[0] : result.txId(), result.code());
    }

    TxStatus txStatus(byte[] txId);

    /** Balances of an account on this shard, by asset id; empty when it holds nothing. */
    Map<Integer, Long> balances(byte[] account);

    NodeStatus status();

    /** Registers a listener for every finality event of this validator; close the handle to stop. */
    AutoCloseable subscribe(FinalityListener listener);

    /**
     * The node's metrics in the Prometheus text format 0.0.4, every series labelled with its shard
     * and validator (the names are in docs/metrics.md). The HTTP gateway appends its own.
     */
    String metricsText();

    /**
     * Why this validator stopped working (an agent died, an invariant broke), or null while it is
     * healthy. {@code /health} answers DOWN with this reason; it never holds key material.
     */
    default String failureReason() {
        return null;
    }
}
