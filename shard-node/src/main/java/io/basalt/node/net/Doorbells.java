package io.basalt.node.net;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The doorbells of the agents that share one media driver, by the IPC stream each listens on: a
 * validator that publishes to a co-located peer's stream rings that peer's agent. One registry per
 * {@link AeronMedia}, so only agents inside one process ring each other.
 */
public final class Doorbells {
    private final ConcurrentHashMap<Integer, Doorbell> byStream = new ConcurrentHashMap<>();

    /** The doorbell of whoever listens on {@code streamId} (created on first use, by either side). */
    public Doorbell forStream(final int streamId) {
        return byStream.computeIfAbsent(streamId, id -> new Doorbell());
    }
}
