package io.basalt.perf.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a multi-shard step's report into a folder:
 * <pre>
 *   summary.md                    header + the per-series table + the p50 ratios + totals + CPU by thread role
 *   summary.csv                   one row per series, machine-readable
 *   latency-SERIES.csv            HdrHistogram percentile distribution of each series (milliseconds)
 *   latency-by-kind.png           the distributions against percentile, one line per series
 * </pre>
 */
final class MixedReport {
    static final String SUMMARY_MD = "summary.md";
    static final String SUMMARY_CSV = "summary.csv";
    static final String PLOT_PNG = "latency-by-kind.png";
    /** The aim of issue 7: a cross-shard transaction done within twice a same-shard one's p50. */
    static final double AIM_RATIO = 2.0;
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private MixedReport() {
    }

    static void write(final Path dir, final String header, final MixedResult result) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SUMMARY_MD), markdown(header, result), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SUMMARY_CSV), csv(result), StandardCharsets.UTF_8);
        for (final MixedResult.SeriesStats s : result.series()) {
            if (s.latencyNs().getTotalCount() == 0) {
                continue;
            }
            try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(latencyCsvName(s.series()))), false,
                StandardCharsets.UTF_8)) {
                s.latencyNs().outputPercentileDistribution(out, TICKS_PER_HALF_DISTANCE, 1e6, true);
            }
        }
        MixedPlot.write(dir.resolve(PLOT_PNG), result);
    }

    static String latencyCsvName(final Series series) {
        return "latency-" + series.fileName() + ".csv";
    }

    /** Header, the table, the ratios and totals, and CPU by thread role: what summary.md holds. */
    static String markdown(final String header, final MixedResult r) {
        final StringBuilder md = new StringBuilder(header);
        if (!header.isEmpty() && !header.endsWith("\n\n")) {
            md.append(header.endsWith("\n") ? "\n" : "\n\n");
        }
        md.append(table(r)).append('\n');
        md.append(ratios(r)).append('\n');
        md.append(totals(r)).append('\n');
        md.append(LoadReport.cpuTable(List.of(String.format(Locale.ROOT, "%s %,.0f/s", r.label(), r.offeredPerSecond())),
            List.of(r.cpu())));
        return md.toString();
    }

    static String tableHeader() {
        return "| kind | latency to | offered tx/s | accepted tx/s | seen | not seen | failed | events/s in window "
            + "| p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | p50 ÷ same-shard p50 |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    /** The table to paste into docs/benchmarks.md: one row per series, headline ones in bold. */
    static String table(final MixedResult r) {
        final StringBuilder md = new StringBuilder(tableHeader());
        for (final MixedResult.SeriesStats s : r.series()) {
            final MixedResult.KindStats k = r.kind(s.series().kind());
            if (k.windowTxs() == 0) {
                continue; // a kind the mix left out (e.g. --swap-fraction 0)
            }
            final String event = s.series().headline() ? "**" + s.series().event() + "**" : s.series().event();
            final String ratio = s.series() == Series.SAME_COMMITTED ? "–" : ratio(r.p50Ratio(s.series()));
            md.append(String.format(Locale.ROOT,
                "| %s | %s | %,.0f | %,.0f | %,d | %,d | %,d | %,.0f | %s | %s | %s | %s | %s | %s |%n",
                k.kind().label(), event, r.perSecond(k.windowTxs()), r.perSecond(k.accepted()), s.seen(), s.notSeen(),
                s.failed(), r.perSecond(s.eventsInWindow()), LoadReport.ms(s.latencyMs(50)),
                LoadReport.ms(s.latencyMs(90)), LoadReport.ms(s.latencyMs(99)), LoadReport.ms(s.latencyMs(99.9)),
                LoadReport.ms(s.maxLatencyMs()), ratio));
        }
        return md.toString();
    }

    /** The headline: each cross-shard series' p50 against the same-shard p50, and whether the aim is met. */
    static String ratios(final MixedResult r) {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
            "**Cross-shard p50 ÷ same-shard p50** (aim ≤ %.0f; same-shard p50 %s ms):", AIM_RATIO,
            LoadReport.ms(r.series(Series.SAME_COMMITTED).latencyMs(50))));
        boolean any = false;
        for (final Series s : Series.values()) {
            if (!s.headline() || s == Series.SAME_COMMITTED || r.kind(s.kind()).windowTxs() == 0) {
                continue;
            }
            final double ratio = r.p50Ratio(s);
            line.append(any ? ";" : "").append(String.format(Locale.ROOT, " %s, %s: **%s**%s", s.kind().label(),
                shortEvent(s), ratio(ratio), Double.isNaN(ratio) ? "" : ratio <= AIM_RATIO ? " (met)" : " (not met)"));
            any = true;
        }
        if (!any) {
            line.append(" no cross-shard transactions in this run");
        }
        return line.append(".\n").toString();
    }

    /** Offered by kind, accepted, committed, rejects, submit lag, CPU and consensus progress. */
    static String totals(final MixedResult r) {
        final StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Offered %,.0f tx/s (", r.offeredPerSecond()));
        boolean first = true;
        for (final MixedResult.KindStats k : r.kinds()) {
            text.append(first ? "" : ", ").append(String.format(Locale.ROOT, "%s %,.0f", k.kind().label(),
                r.perSecond(k.windowTxs())));
            first = false;
        }
        text.append(String.format(Locale.ROOT, "), accepted %,.0f tx/s, committed %,.0f tx/s (COMMITTED on the "
                + "submitting validators inside the window, every kind); rejected: %s; not sent: %,d; submit lag p99 %s ms; "
                + "process CPU %.2f cores (%,.0f committed tx/s per core), others' CPU %.2f cores; shard 0 validator 0: "
                + "%.0f rounds/s, %.0f commits/s.%n",
            r.acceptedPerSecond(), r.committedPerSecond(), LoadReport.rejects(r.rejects()), r.notSent(),
            LoadReport.ms(r.submitLagMs(99)), r.cpu().processCores(), r.committedPerCore(), r.cpu().otherCores(),
            r.node().roundsPerSecond(), r.node().heightsPerSecond()));
        if (r.series().stream().anyMatch(s -> s.notSeen() > 0)) {
            text.append("\nSome events were not seen before the drain ended (\"not seen\"): those series' percentiles "
                + "are lower bounds.\n");
        }
        return text.toString();
    }

    static String csv(final MixedResult r) {
        final StringBuilder csv = new StringBuilder("label,shards,kind,series,headline,offered_tx_s,accepted_tx_s,seen,"
            + "not_seen,failed,events_in_window_s,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,p50_ratio_to_same_shard,"
            + "total_offered_tx_s,total_committed_tx_s,process_cores,other_cores,committed_per_core,warmup_s,duration_s\n");
        for (final MixedResult.SeriesStats s : r.series()) {
            final MixedResult.KindStats k = r.kind(s.series().kind());
            csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%b,%.1f,%.1f,%d,%d,%d,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,"
                    + "%.1f,%.1f,%.3f,%.3f,%.1f,%.1f,%.1f%n",
                r.label(), r.shards(), k.kind().name(), s.series().name(), s.series().headline(),
                r.perSecond(k.windowTxs()), r.perSecond(k.accepted()), s.seen(), s.notSeen(), s.failed(),
                r.perSecond(s.eventsInWindow()), s.latencyMs(50), s.latencyMs(90), s.latencyMs(99), s.latencyMs(99.9),
                s.maxLatencyMs(), s.series() == Series.SAME_COMMITTED ? 1.0 : r.p50Ratio(s.series()),
                r.offeredPerSecond(), r.committedPerSecond(), r.cpu().processCores(), r.cpu().otherCores(),
                r.committedPerCore(), r.schedule().warmupNs() / 1e9, r.schedule().durationSeconds()));
        }
        return csv.toString();
    }

    private static String shortEvent(final Series s) {
        return switch (s) {
            case CROSS_SETTLED_DESTINATION -> "SETTLED on the destination";
            case CROSS_SETTLED_SOURCE -> "SETTLED on the submitting validator";
            case SWAP_SETTLED -> "SETTLED on the submitting shard";
            default -> s.event();
        };
    }

    private static String ratio(final double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }
}
