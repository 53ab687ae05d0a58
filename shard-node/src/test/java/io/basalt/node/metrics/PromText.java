package io.basalt.node.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests: the client library writes the
 * format but has no parser. It fails on anything a Prometheus server would refuse or misread: a
 * malformed line, a sample before its family's {@code # TYPE}, a family declared twice or split,
 * a series seen twice, a sample name that does not belong to its family's type, and a histogram
 * whose buckets are not cumulative or whose {@code +Inf} bucket differs from its {@code _count}.
 */
public final class PromText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("^# HELP (" + NAME + ") (.*)$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)$");
    private static final Pattern SAMPLE = Pattern.compile("^(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: -?\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        /** The labels without {@code le} and {@code quantile}: which series of a histogram or summary this is. */
        Map<String, String> series() {
            final Map<String, String> out = new TreeMap<>(labels);
            out.remove("le");
            out.remove("quantile");
            return out;
        }
    }

    /** A metric family: its {@code # TYPE} name, type, help and samples in order. */
    public record Family(String name, String type, String help, List<Sample> samples) {
        /** The label names its samples carry, {@code le} and {@code quantile} left out. */
        public Set<String> labelNames() {
            final Set<String> out = new HashSet<>();
            samples.forEach(s -> out.addAll(s.series().keySet()));
            return out;
        }

        /** The value of the one sample named {@code sampleName} whose labels include {@code labels}. */
        public double value(final String sampleName, final Map<String, String> labels) {
            final List<Sample> matches = samples.stream()
                .filter(s -> s.name().equals(sampleName) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
            if (matches.size() != 1) {
                throw new AssertionError(matches.size() + " samples " + sampleName + labels + " in " + name);
            }
            return matches.getFirst().value();
        }

        /** A histogram series: bucket bound → cumulative count, in order, {@code +Inf} last. */
        public TreeMap<Double, Long> buckets(final Map<String, String> series) {
            final TreeMap<Double, Long> out = new TreeMap<>();
            for (final Sample s : samples) {
                if (s.name().equals(name + "_bucket") && s.series().equals(new TreeMap<>(series))) {
                    out.put(number(s.labels().get("le")), (long) s.value());
                }
            }
            return out;
        }
    }

    private PromText() {
    }

    /** Families by name, in the order of the text; throws {@link AssertionError} on any violation. */
    public static Map<String, Family> parse(final String text) {
        final Map<String, Family> families = new LinkedHashMap<>();
        final Map<String, String> helps = new LinkedHashMap<>();
        final Set<String> seriesSeen = new HashSet<>();
        Family current = null;
        final String[] lines = text.split("\n", -1);
        int lineNo = 0;
        for (final String line : lines) {
            lineNo++;
            final String where = "line " + lineNo + ": " + line;
            if (line.isEmpty()) {
                check(lineNo == lines.length, "blank line inside the scrape, " + where);
                continue;
            }
            if (line.startsWith("#")) {
                final Matcher help = HELP.matcher(line);
                final Matcher type = TYPE.matcher(line);
                if (help.matches()) {
                    check(helps.put(help.group(1), help.group(2)) == null, "second HELP, " + where);
                } else if (type.matches()) {
                    final String name = type.group(1);
                    check(!families.containsKey(name), "second TYPE for " + name + ", " + where);
                    current = new Family(name, type.group(2), helps.get(name), new ArrayList<>());
                    families.put(name, current);
                } else {
                    check(!line.startsWith("# HELP") && !line.startsWith("# TYPE"), "malformed, " + where);
                }
                continue;
            }
            final Matcher m = SAMPLE.matcher(line);
            check(m.matches(), "malformed sample, " + where);
            final Map<String, String> labels = labels(m.group(2) == null ? "" : m.group(2), where);
            final Sample sample = new Sample(m.group(1), labels, number(m.group(3)));
            check(current != null && belongs(current, sample.name()), "sample outside its family's TYPE, " + where);
            check(seriesSeen.add(sample.name() + new TreeMap<>(labels)), "series seen twice, " + where);
            current.samples().add(sample);
        }
        for (final Family family : families.values()) {
            check(family.help() != null, "no HELP for " + family.name());
            if (family.type().equals("histogram")) {
                checkHistogram(family);
            }
        }
        return families;
    }

    private static boolean belongs(final Family family, final String sampleName) {
        return switch (family.type()) {
            case "histogram" -> sampleName.equals(family.name() + "_bucket") || sampleName.equals(family.name() + "_sum")
                || sampleName.equals(family.name() + "_count");
            case "summary" -> sampleName.equals(family.name()) || sampleName.equals(family.name() + "_sum")
                || sampleName.equals(family.name() + "_count");
            default -> sampleName.equals(family.name());
        };
    }

    private static void checkHistogram(final Family family) {
        final Map<Map<String, String>, List<Sample>> bySeries = new LinkedHashMap<>();
        for (final Sample s : family.samples()) {
            bySeries.computeIfAbsent(s.series(), k -> new ArrayList<>()).add(s);
        }
        for (final Map.Entry<Map<String, String>, List<Sample>> e : bySeries.entrySet()) {
            final String what = family.name() + e.getKey();
            final TreeMap<Double, Long> buckets = family.buckets(e.getKey());
            check(!buckets.isEmpty() && buckets.lastKey() == Double.POSITIVE_INFINITY, what + " has no +Inf bucket");
            long previous = 0;
            for (final long count : buckets.values()) {
                check(count >= previous, what + " buckets are not cumulative: " + buckets);
                previous = count;
            }
            final long count = (long) family.value(family.name() + "_count", e.getKey());
            check(count == buckets.lastEntry().getValue(), what + ": _count " + count + " != +Inf bucket");
            check(family.value(family.name() + "_sum", e.getKey()) >= 0, what + ": negative _sum");
        }
    }

    private static Map<String, String> labels(final String text, final String where) {
        final Map<String, String> labels = new LinkedHashMap<>();
        final Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            check(m.find(at) && m.start() == at, "malformed labels, " + where);
            check(labels.put(m.group(1), unescape(m.group(2))) == null, "label twice, " + where);
            at = m.end();
        }
        return labels;
    }

    /** A label value's escapes: backslash-backslash, backslash-quote and backslash-n. */
    private static String unescape(final String value) {
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '\\') {
                final char next = value.charAt(++i); // the label pattern admits only the three escapes
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static double number(final String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                check(text.matches("-?[0-9.]+([eE][-+]?[0-9]+)?"), "not a number: " + text);
                yield Double.parseDouble(text);
            }
        };
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
