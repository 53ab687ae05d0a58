package io.basalt.perf.consensus;

/**
 * Intended send time of each payload, by sequence number, in a ring. The submitter writes entry
 * {@code seq} before it hands the payload to its validator's queue (whose offer/poll orders the
 * write before the validator's read); only that validator reads it, when the payload commits. The
 * ring must outlast the payloads in flight: {@link #CAPACITY} entries are 10 s at 400,000 payloads/s,
 * far beyond any latency of a rate that is sustained.
 */
final class IntendedTimes {
    static final int CAPACITY = 1 << 22;
    private static final int MASK = CAPACITY - 1;
    private final long[] ns = new long[CAPACITY];

    void put(final long seq, final long intendedNs) {
        ns[(int) (seq & MASK)] = intendedNs;
    }

    long get(final long seq) {
        return ns[(int) (seq & MASK)];
    }
}
