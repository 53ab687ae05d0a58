package io.basalt.perf.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One report of {@code scripts/bench all}: JMH's JSON results (with {@code -prof gc}) and the load
 * sweep's run.json, as {@code report.md} (tables) and {@code report.html} (the same tables plus
 * plots: an inline SVG bar chart per benchmark class and unit, and the load generator's
 * latency-vs-rate PNG embedded as a data URI), self-contained, nothing fetched from the network.
 *
 * <p>Usage: {@code BenchReport OUT_DIR JMH_JSON LOAD_DIR}; a missing input leaves its section saying so.
 */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JMH 1.37 names the gc profiler's metrics without the leading "·" that older versions wrote. */
    private static final List<String> ALLOC = List.of("gc.alloc.rate.norm", "·gc.alloc.rate.norm");

    private BenchReport() {
    }

    /** One JMH result row. */
    record Row(String benchmark, String params, String mode, double score, double error, String unit,
               double allocBytesPerOp) {
        String className() {
            final String[] parts = benchmark.split("\\.");
            return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
        }

        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }
    }

    public static void main(final String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: BenchReport OUT_DIR JMH_JSON LOAD_DIR");
            System.exit(2);
        }
        final Path out = Path.of(args[0]);
        final List<Row> rows = readJmh(Path.of(args[1]));
        final Path load = Path.of(args[2]);
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.md"), markdown(rows, load), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("report.html"), html(rows, load), StandardCharsets.UTF_8);
        System.err.println("bench report: " + out.resolve("report.md") + " and " + out.resolve("report.html"));
    }

    static List<Row> readJmh(final Path file) throws IOException {
        final List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (final JsonNode r : JSON.readTree(file.toFile())) {
            final StringBuilder params = new StringBuilder();
            final JsonNode p = r.path("params");
            for (final Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                final Map.Entry<String, JsonNode> e = it.next();
                params.append(params.isEmpty() ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText());
            }
            final JsonNode primary = r.path("primaryMetric");
            JsonNode alloc = r.path("secondaryMetrics").path(ALLOC.get(0));
            if (alloc.isMissingNode()) {
                alloc = r.path("secondaryMetrics").path(ALLOC.get(1));
            }
            rows.add(new Row(r.path("benchmark").asText(), params.toString(), r.path("mode").asText(),
                primary.path("score").asDouble(Double.NaN), primary.path("scoreError").asDouble(Double.NaN),
                primary.path("scoreUnit").asText(), alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
        }
        return rows;
    }

    static String markdown(final List<Row> rows, final Path load) throws IOException {
        final StringBuilder md = new StringBuilder("# Basalt benchmark report\n\n## JMH (-prof gc)\n\n");
        if (rows.isEmpty()) {
            md.append("(no JMH results)\n");
        } else {
            md.append("| benchmark | params | mode | score | ± error | unit | alloc B/op |\n|---|---|---|---:|---:|---|---:|\n");
            for (final Row r : rows) {
                md.append(String.format(Locale.ROOT, "| %s.%s | %s | %s | %s | %s | %s | %s |%n", r.className(),
                    r.method(), r.params(), r.mode(), num(r.score()), num(r.error()), r.unit(), num(r.allocBytesPerOp())));
            }
        }
        md.append("\n## Load sweep\n\n").append(loadTable(load));
        final Path summary = load.resolve("summary.md");
        if (Files.exists(summary)) {
            md.append("\nThe load generator's full report: `").append(summary).append("`\n");
        }
        return md.toString();
    }

    private static String loadTable(final Path load) throws IOException {
        final Path runJson = load.resolve("run.json");
        if (!Files.exists(runJson)) {
            return "(no load run: " + runJson + " missing)\n";
        }
        final JsonNode run = JSON.readTree(runJson.toFile());
        final StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Mode `%s`, code %s%s, %s.%n%n",
            run.path("mode").asText(), run.path("git").path("revision").asText(),
            run.path("git").path("dirty").asBoolean() ? " (dirty)" : "", run.path("startedAt").asText()));
        md.append("| step | rate tx/s | committed tx/s | ÷ signature ceiling | p50 ms | p99 ms | p50 ÷ RTT |\n"
            + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (final JsonNode s : run.path("steps")) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", s.path("label").asText(),
                num(s.path("rate").asDouble()), num(s.path("committedPerSecond").asDouble()),
                percent(s.path("ofCeiling").asDouble(Double.NaN)), num(s.path("p50Ms").asDouble(Double.NaN)),
                num(s.path("p99Ms").asDouble(Double.NaN)), num(s.path("p50Rtts").asDouble(Double.NaN))));
        }
        return md.toString();
    }

    static String html(final List<Row> rows, final Path load) throws IOException {
        final StringBuilder html = new StringBuilder("""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Basalt benchmark report</title>
            <style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}td.n{text-align:right}h3{margin-top:2em}</style>
            </head><body><h1>Basalt benchmark report</h1><h2>JMH (-prof gc)</h2>
            """);
        final Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(r -> groups.computeIfAbsent(r.className() + " (" + r.unit() + ")", k -> new ArrayList<>()).add(r));
        if (groups.isEmpty()) {
            html.append("<p>(no JMH results)</p>");
        }
        groups.forEach((title, group) -> html.append("<h3>").append(escape(title)).append("</h3>")
            .append(barChart(group)));
        html.append("<h2>Load sweep</h2>");
        final Path png = load.resolve("latency-vs-rate.png");
        if (Files.exists(png)) {
            html.append("<p><img alt=\"latency vs rate\" style=\"max-width:100%\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"></p>");
        }
        html.append(markdownTableToHtml(markdown(rows, load)));
        return html.append("</body></html>\n").toString();
    }

    /** Horizontal bars, one per result, scaled to the group's largest score; error as a whisker. */
    static String barChart(final List<Row> group) {
        final int barHeight = 18;
        final int labelWidth = 420;
        final int plotWidth = 520;
        final double max = group.stream().mapToDouble(r -> r.score() + (Double.isNaN(r.error()) ? 0 : r.error()))
            .filter(v -> !Double.isNaN(v)).max().orElse(1);
        final StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"12\">",
            labelWidth + plotWidth + 120, group.size() * (barHeight + 4) + 4));
        for (int i = 0; i < group.size(); i++) {
            final Row r = group.get(i);
            final int y = 2 + i * (barHeight + 4);
            final double w = Double.isNaN(r.score()) || max <= 0 ? 0 : plotWidth * r.score() / max;
            final String label = r.method() + (r.params().isEmpty() ? "" : " [" + r.params() + "]");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                labelWidth - 6, y + 13, escape(label)));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#4a78b0\"/>",
                labelWidth, y, w, barHeight));
            if (!Double.isNaN(r.error()) && max > 0) {
                final double lo = labelWidth + plotWidth * Math.max(0, r.score() - r.error()) / max;
                final double hi = labelWidth + plotWidth * (r.score() + r.error()) / max;
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\"/>",
                    lo, hi, y + barHeight / 2, y + barHeight / 2));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", labelWidth + w + 4, y + 13,
                escape(num(r.score()))));
        }
        return svg.append("</svg>").toString();
    }

    /** The Markdown this class writes (headings, paragraphs, pipe tables) as HTML. */
    static String markdownTableToHtml(final String md) {
        final StringBuilder html = new StringBuilder();
        boolean inTable = false;
        for (final String line : md.split("\n")) {
            if (line.startsWith("|")) {
                if (line.matches("\\|[-|:]+\\|?")) {
                    continue;
                }
                final String tag = inTable ? "td" : "th";
                html.append(inTable ? "" : "<table>").append("<tr>");
                final String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|", -1);
                for (final String cell : cells) {
                    final String text = cell.strip();
                    final boolean numeric = text.matches("[-+0-9.,%×–e]+");
                    html.append('<').append(tag).append(numeric && inTable ? " class=\"n\"" : "").append('>')
                        .append(escape(text)).append("</").append(tag).append('>');
                }
                html.append("</tr>");
                inTable = true;
                continue;
            }
            if (inTable) {
                html.append("</table>");
                inTable = false;
            }
            if (line.startsWith("# ")) {
                continue; // the page has its own title
            } else if (line.startsWith("## ")) {
                html.append("<h2>").append(escape(line.substring(3))).append("</h2>");
            } else if (!line.isBlank()) {
                html.append("<p>").append(escape(line)).append("</p>");
            }
        }
        if (inTable) {
            html.append("</table>");
        }
        return html.toString();
    }

    static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String num(final double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        final double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String percent(final double f) {
        return Double.isNaN(f) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }
}
