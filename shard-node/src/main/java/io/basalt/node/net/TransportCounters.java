package io.basalt.node.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the transport counts. Written by the consensus agent, read by metrics scrapes on any thread.
 * A dropped send is not an error: consensus re-sends and sync fetches what peers missed.
 */
public final class TransportCounters extends LinkCounters {
    /**
     * Received messages whose header was missing, foreign or named an impossible sender. Bad tags and replays
     * are counted apart, in {@link LinkCounters#unauthenticated} and {@link LinkCounters#replayed}.
     */
    public final AtomicLong malformedHeaders = new AtomicLong();
}
