package io.basalt.perf.consensus;

import org.HdrHistogram.Histogram;

/**
 * What one measured step records: a window of intended send times {@code [windowStartNs,
 * windowEndNs)} and, per validator, counters and a latency histogram that only that validator's
 * consensus thread writes. The submitter writes its own counters. Readers (the main thread) read a
 * validator's fields only after its {@link #published} entry, written last, shows they are done.
 *
 * <p>Latency is intended send time → commit at the validator the payload was submitted to: open
 * loop, so a stalled cluster shows up as latency rather than as a slower sender.
 */
final class Step {
    /** Latencies up to 60 s at 3 significant digits. */
    private static final long MAX_LATENCY_NS = 60_000_000_000L;

    final long windowStartNs;
    final long windowEndNs;
    final Histogram[] latencyNs;
    /** Payloads submitted in the window at each validator and committed there (any time). */
    final long[] committedOwn;
    /** Payloads (from anyone) whose commit at this validator fell inside the window. */
    final long[] committedInWindow;
    /** Committed sub-DAGs at this validator inside the window. */
    final long[] commitsInWindow;
    final long[] published;

    // Written by the submitter thread only.
    long submittedInWindow;
    long refusedInWindow;
    volatile long submitterPublished;

    Step(final long windowStartNs, final long windowEndNs, final int validators) {
        this.windowStartNs = windowStartNs;
        this.windowEndNs = windowEndNs;
        this.latencyNs = new Histogram[validators];
        for (int v = 0; v < validators; v++) {
            latencyNs[v] = new Histogram(MAX_LATENCY_NS, 3);
        }
        this.committedOwn = new long[validators];
        this.committedInWindow = new long[validators];
        this.commitsInWindow = new long[validators];
        this.published = new long[validators];
    }

    boolean inWindow(final long ns) {
        return ns >= windowStartNs && ns < windowEndNs;
    }
}
