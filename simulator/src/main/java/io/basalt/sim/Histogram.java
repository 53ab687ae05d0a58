package io.basalt.sim;

import java.util.Arrays;

/** Exact percentiles over recorded values (the simulator records thousands, not millions). */
public final class Histogram {
    private long[] values = new long[256];
    private int count;

    public void record(final long value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = value;
    }

    public int count() {
        return count;
    }

    /** The value at percentile p (0..100) by nearest rank; 0 when empty. */
    public long percentile(final double p) {
        if (count == 0) {
            return 0;
        }
        final long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        final int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }

    public long min() {
        return percentile(0);
    }

    public long max() {
        return percentile(100);
    }
}
