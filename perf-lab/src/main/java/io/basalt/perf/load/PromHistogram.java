package io.basalt.perf.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Prometheus histogram series (one label set without {@code le}) as the text exposition
 * format writes it, and a parser for it:
 * <pre>
 *   NAME_bucket{shard="0",validator="0",stage="queued",le="0.0005"} 123     cumulative count ≤ 0.0005
 *   NAME_bucket{shard="0",validator="0",stage="queued",le="+Inf"} 130      every observation
 *   NAME_sum{shard="0",validator="0",stage="queued"} 0.071                 sum of observations
 *   NAME_count{shard="0",validator="0",stage="queued"} 130
 * </pre>
 * Bounds are kept sorted and the counts cumulative, as exposed. {@link #minus} gives the
 * observations made between two snapshots, {@link #plus} merges series (e.g. every validator's),
 * and {@link #quantile} interpolates within a bucket the way PromQL's {@code histogram_quantile} does.
 *
 * @param upperBounds bucket upper bounds, ascending, the last one {@code +Inf}
 * @param cumulative  observations ≤ each bound (non-decreasing)
 * @param sum         sum of every observation
 * @param count       number of observations (the {@code +Inf} bucket)
 */
record PromHistogram(double[] upperBounds, long[] cumulative, double sum, long count) {
    PromHistogram {
        if (upperBounds.length != cumulative.length) {
            throw new IllegalArgumentException("one count per bucket bound");
        }
    }

    /** Observations between an earlier snapshot and this one; a series restarted in between counts from zero. */
    PromHistogram minus(final PromHistogram earlier) {
        if (!Arrays.equals(upperBounds, earlier.upperBounds) || earlier.count > count) {
            return this;
        }
        final long[] delta = new long[cumulative.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = cumulative[i] - earlier.cumulative[i];
        }
        return new PromHistogram(upperBounds, delta, sum - earlier.sum, count - earlier.count);
    }

    /** Both series' observations together; they must share their bucket bounds. */
    PromHistogram plus(final PromHistogram other) {
        if (!Arrays.equals(upperBounds, other.upperBounds)) {
            throw new IllegalArgumentException("cannot add histograms with different buckets");
        }
        final long[] total = new long[cumulative.length];
        for (int i = 0; i < total.length; i++) {
            total[i] = cumulative[i] + other.cumulative[i];
        }
        return new PromHistogram(upperBounds, total, sum + other.sum, count + other.count);
    }

    double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The q-quantile (0 ≤ q ≤ 1) as {@code histogram_quantile} computes it: find the bucket whose
     * cumulative count first reaches rank q·count and interpolate linearly between its lower bound
     * (the previous bound, or 0 for the first bucket when its bound is positive) and its upper
     * bound. A rank that falls in the {@code +Inf} bucket answers the highest finite bound. NaN when
     * the histogram is empty.
     */
    double quantile(final double q) {
        final long total = cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
        if (total == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        final double rank = Math.min(1, Math.max(0, q)) * total;
        int b = 0;
        while (b < cumulative.length - 1 && cumulative[b] < rank) {
            b++;
        }
        if (Double.isInfinite(upperBounds[b])) {
            return b == 0 ? Double.NaN : upperBounds[b - 1];
        }
        final double lower = b == 0 ? Math.min(0, upperBounds[0]) : upperBounds[b - 1];
        final long below = b == 0 ? 0 : cumulative[b - 1];
        final long inBucket = cumulative[b] - below;
        if (inBucket == 0) {
            return upperBounds[b];
        }
        return lower + (upperBounds[b] - lower) * (rank - below) / inBucket;
    }

    /**
     * Every series of histogram {@code name} in a text exposition, keyed by its labels without
     * {@code le} (in the order written). Lines of other metrics, comments and malformed lines are
     * skipped; a series without a {@code +Inf} bucket is dropped (the format requires one).
     */
    static Map<Map<String, String>, PromHistogram> parse(final String text, final String name) {
        final Map<Map<String, String>, Partial> partials = new LinkedHashMap<>();
        for (final String rawLine : text.split("\n")) {
            final String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#") || !line.startsWith(name + "_")) {
                continue;
            }
            final Sample sample = Sample.parse(line);
            if (sample == null) {
                continue;
            }
            final String suffix = sample.metric.substring(Math.min(name.length(), sample.metric.length()));
            final Map<String, String> labels = new LinkedHashMap<>(sample.labels);
            final String le = labels.remove("le");
            final Partial partial = partials.computeIfAbsent(labels, k -> new Partial());
            switch (suffix) {
                case "_bucket" -> {
                    if (le != null) {
                        partial.buckets.put(parseBound(le), (long) sample.value);
                    }
                }
                case "_sum" -> partial.sum = sample.value;
                case "_count" -> partial.count = (long) sample.value;
                default -> {
                    // NAME_something_else: another metric that shares the prefix
                }
            }
        }
        final Map<Map<String, String>, PromHistogram> out = new LinkedHashMap<>();
        partials.forEach((labels, p) -> {
            if (!p.buckets.isEmpty() && p.buckets.lastKey() == Double.POSITIVE_INFINITY) {
                out.put(labels, p.toHistogram());
            }
        });
        return out;
    }

    private static double parseBound(final String le) {
        return switch (le) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(le);
        };
    }

    private static final class Partial {
        final TreeMap<Double, Long> buckets = new TreeMap<>();
        double sum;
        long count = -1;

        PromHistogram toHistogram() {
            final double[] bounds = new double[buckets.size()];
            final long[] counts = new long[buckets.size()];
            int i = 0;
            for (final Map.Entry<Double, Long> e : buckets.entrySet()) {
                bounds[i] = e.getKey();
                counts[i++] = e.getValue();
            }
            return new PromHistogram(bounds, counts, sum, count >= 0 ? count : counts[counts.length - 1]);
        }
    }

    /** One sample line: {@code metric{label="value",...} value [timestamp]}. */
    private record Sample(String metric, Map<String, String> labels, double value) {
        static Sample parse(final String line) {
            final int brace = line.indexOf('{');
            final int space = line.indexOf(' ');
            final Map<String, String> labels = new LinkedHashMap<>();
            final String metric;
            int rest;
            if (brace >= 0 && (space < 0 || brace < space)) {
                metric = line.substring(0, brace);
                rest = parseLabels(line, brace + 1, labels);
                if (rest < 0) {
                    return null;
                }
            } else if (space > 0) {
                metric = line.substring(0, space);
                rest = space;
            } else {
                return null;
            }
            final String[] fields = line.substring(rest).strip().split("\\s+");
            if (fields.length == 0 || fields[0].isEmpty()) {
                return null;
            }
            try {
                return new Sample(metric, labels, parseBound(fields[0]));
            } catch (final NumberFormatException e) {
                return null;
            }
        }

        /** Reads {@code a="x",b="y"}} from {@code from}; returns the index after '}' or -1. Handles \" \\ \n. */
        private static int parseLabels(final String line, final int from, final Map<String, String> labels) {
            int i = from;
            while (i < line.length()) {
                while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                    i++;
                }
                if (i < line.length() && line.charAt(i) == '}') {
                    return i + 1;
                }
                final int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    return -1;
                }
                final String key = line.substring(i, eq).strip();
                final StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        final char next = line.charAt(++j);
                        c = next == 'n' ? '\n' : next;
                    }
                    value.append(c);
                }
                if (j >= line.length()) {
                    return -1;
                }
                labels.put(key, value.toString());
                i = j + 1;
            }
            return -1;
        }
    }

    /** Adds up the series of every snapshot into one per value of label {@code groupBy} ("" where it is missing). */
    static Map<String, PromHistogram> sumBy(final List<Map<Map<String, String>, PromHistogram>> snapshots,
                                            final String groupBy) {
        final Map<String, PromHistogram> out = new LinkedHashMap<>();
        for (final Map<Map<String, String>, PromHistogram> snapshot : snapshots) {
            snapshot.forEach((labels, h) -> out.merge(labels.getOrDefault(groupBy, ""), h, PromHistogram::plus));
        }
        return out;
    }

    /** Label sets of {@code after} minus the same label set of {@code before} (absent before: all of it). */
    static Map<Map<String, String>, PromHistogram> delta(final Map<Map<String, String>, PromHistogram> before,
                                                         final Map<Map<String, String>, PromHistogram> after) {
        final Map<Map<String, String>, PromHistogram> out = new LinkedHashMap<>();
        after.forEach((labels, h) -> {
            final PromHistogram earlier = before.get(labels);
            out.put(labels, earlier == null ? h : h.minus(earlier));
        });
        return out;
    }

    static List<String> labelValues(final Map<Map<String, String>, PromHistogram> series, final String label) {
        final List<String> values = new ArrayList<>();
        series.keySet().forEach(l -> {
            final String v = l.get(label);
            if (v != null && !values.contains(v)) {
                values.add(v);
            }
        });
        return values;
    }
}
