package io.basalt.node.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The metric table of docs/metrics.md, for the tests that hold it to what the code exports. A row is
 * {@code | `name` | type | labels | exported by | meaning |}; labels are those besides
 * {@code shard} and {@code validator} (which every series has), {@code —} for none.
 */
public final class MetricsDoc {
    public static final Path DOC = Path.of("..", "docs", "metrics.md");
    /** The "exported by" of the Aeron client gateway's rows: a cluster scrape without that gateway lacks them. */
    public static final String AERON_GATEWAY = "Aeron client gateway";
    private static final Pattern ROW = Pattern.compile(
        "^\\| `([a-z_:][a-z0-9_:]*)` \\| (counter|gauge|histogram|summary) \\| ([^|]+) \\| ([^|]+) \\| [^|]+ \\|$");
    private static final Set<String> EVERY_SERIES = Set.of("shard", "validator");

    /** A documented metric: what the tests compare ({@link #signature}) and where it comes from. */
    public record Row(String name, String type, Set<String> labels, String exportedBy) {
        /** {@code type {labels}}: what must agree between the table and a scrape. */
        public String signature() {
            return type + " " + labels;
        }
    }

    private MetricsDoc() {
    }

    /** The table's rows by metric name; a name listed twice fails. */
    public static Map<String, Row> rows() throws IOException {
        final Map<String, Row> rows = new TreeMap<>();
        for (final String line : Files.readAllLines(DOC)) {
            final Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            final String labelsCell = m.group(3).strip();
            final Set<String> labels = labelsCell.equals("—") ? new TreeSet<>()
                : Arrays.stream(labelsCell.split(",")).map(l -> l.strip().replace("`", "")).collect(Collectors.toCollection(TreeSet::new));
            final Row row = new Row(m.group(1), m.group(2), labels, m.group(4).strip());
            if (rows.put(row.name(), row) != null) {
                throw new AssertionError(DOC + " lists " + row.name() + " twice");
            }
        }
        return rows;
    }

    /** Name → signature of the families of a scrape, as the table would list them. */
    public static Map<String, String> signatures(final Map<String, PromText.Family> scrape) {
        final Map<String, String> out = new TreeMap<>();
        scrape.values().forEach(f -> out.put(f.name(), signature(f)));
        return out;
    }

    /** A table row for a family, to paste when a test reports a metric the table lacks. */
    public static String suggestedRow(final PromText.Family family, final String exportedBy) {
        final Set<String> labels = extraLabels(family);
        return "| `" + family.name() + "` | " + family.type() + " | "
            + (labels.isEmpty() ? "—" : labels.stream().map(l -> "`" + l + "`").collect(Collectors.joining(", ")))
            + " | " + exportedBy + " | " + family.help() + " |";
    }

    private static String signature(final PromText.Family family) {
        return family.type() + " " + extraLabels(family);
    }

    private static Set<String> extraLabels(final PromText.Family family) {
        final Set<String> labels = new TreeSet<>(family.labelNames());
        labels.removeAll(EVERY_SERIES);
        return labels;
    }
}
