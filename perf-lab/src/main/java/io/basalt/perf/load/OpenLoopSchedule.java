package io.basalt.perf.load;

/**
 * When each transaction of an open-loop step is meant to be sent: transaction i at
 * {@code intendedNs(i) = floor(i · 10⁹ / rate)} nanoseconds after the step's start, whatever happened
 * to the ones before it. A warm-up of {@code warmupNs} comes first and is left out of every
 * statistic; the measured window is {@code [warmupNs, warmupNs + durationNs)} and holds the
 * transactions {@code [firstMeasured, total)}.
 *
 * <p>Latency is always taken from the intended time, never from the moment the submitter got round
 * to sending: a generator (or a node) that falls behind is charged for it, which is what keeps the
 * numbers free of coordinated omission.
 */
record OpenLoopSchedule(double ratePerSecond, long warmupNs, long durationNs) {
    OpenLoopSchedule {
        if (!(ratePerSecond > 0) || warmupNs < 0 || durationNs <= 0) {
            throw new IllegalArgumentException("rate and duration must be positive, warm-up not negative");
        }
        if (countBefore(warmupNs + durationNs, ratePerSecond) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many transactions for one step: lower the rate or the duration");
        }
    }

    static OpenLoopSchedule ofSeconds(final double ratePerSecond, final double warmupSeconds, final double durationSeconds) {
        return new OpenLoopSchedule(ratePerSecond, (long) (warmupSeconds * 1e9), (long) (durationSeconds * 1e9));
    }

    long intendedNs(final long index) {
        return (long) Math.floor(index * 1e9 / ratePerSecond);
    }

    /** Transactions in warm-up and window together. */
    int total() {
        return (int) countBefore(warmupNs + durationNs, ratePerSecond);
    }

    /** The first transaction whose intended time falls in the measured window. */
    int firstMeasured() {
        return (int) countBefore(warmupNs, ratePerSecond);
    }

    long windowEndNs() {
        return warmupNs + durationNs;
    }

    double durationSeconds() {
        return durationNs / 1e9;
    }

    /** How many indexes i ≥ 0 have intendedNs(i) &lt; ns, found from an estimate and corrected for rounding. */
    private static long countBefore(final long ns, final double rate) {
        long count = (long) Math.ceil(ns * rate / 1e9);
        while (count > 0 && (long) Math.floor((count - 1) * 1e9 / rate) >= ns) {
            count--;
        }
        while ((long) Math.floor(count * 1e9 / rate) < ns) {
            count++;
        }
        return count;
    }
}
