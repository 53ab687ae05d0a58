package io.basalt.perf.load;

import io.basalt.protocol.RejectCode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a run's report into a folder:
 * <pre>
 *   summary.md            header (what ran, where) + one table row per step + CPU by thread role
 *   summary.csv           the same rows, machine-readable
 *   latency-NNNN-LABEL.csv   HdrHistogram percentile distribution of each step (milliseconds)
 *   latency-vs-rate.png   latency percentiles and throughput against offered rate (when ≥ 2 steps)
 * </pre>
 */
final class LoadReport {
    static final String SUMMARY_MD = "summary.md";
    static final String SUMMARY_CSV = "summary.csv";
    static final String PLOT_PNG = "latency-vs-rate.png";
    /** Percentile distribution resolution: HdrHistogram's ticks per half-distance to 100%. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private LoadReport() {
    }

    /**
     * @param header Markdown written above the table (machine, command, commit)
     * @param steps  every step in the order run
     * @param footer Markdown written below the table (saturation, half-saturation point), may be empty
     */
    static void write(final Path dir, final String header, final List<StepResult> steps, final String footer)
        throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SUMMARY_MD), markdown(header, steps, footer), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SUMMARY_CSV), csv(steps), StandardCharsets.UTF_8);
        for (int i = 0; i < steps.size(); i++) {
            final StepResult step = steps.get(i);
            try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(latencyCsvName(i, step))), false,
                StandardCharsets.UTF_8)) {
                // Values in ms (the histogram holds ns); HdrHistogram's CSV: Value,Percentile,TotalCount,1/(1-Percentile)
                step.latencyNs().outputPercentileDistribution(out, TICKS_PER_HALF_DISTANCE, 1e6, true);
            }
        }
        if (steps.size() >= 2) {
            LatencyPlot.write(dir.resolve(PLOT_PNG), steps);
        }
    }

    static String latencyCsvName(final int index, final StepResult step) {
        return String.format(Locale.ROOT, "latency-%02d-%s-%d.csv", index, step.label(),
            Math.round(step.schedule().ratePerSecond()));
    }

    static String tableHeader() {
        return "| step | offered tx/s | accepted tx/s | committed tx/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
            + "| not committed | rejected (by code) | submit lag p99 ms | process CPU (cores) | others' CPU (cores) "
            + "| rounds/s (v0) | tx per commit |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n";
    }

    static String tableRow(final StepResult s) {
        return String.format(Locale.ROOT,
            "| %s | %,.0f | %,.0f | %,.0f | %s | %s | %s | %s | %s | %,d | %s | %s | %.2f | %.2f | %.0f | %.1f |%n",
            s.label(), s.offeredPerSecond(), s.acceptedPerSecond(), s.committedPerSecond(), ms(s.latencyMs(50)),
            ms(s.latencyMs(90)), ms(s.latencyMs(99)), ms(s.latencyMs(99.9)), ms(s.maxLatencyMs()), s.notCommitted(),
            rejects(s), ms(s.submitLagMs(99)), s.cpu().processCores(), s.cpu().otherCores(), s.node().roundsPerSecond(),
            s.txPerHeight());
    }

    static String markdown(final String header, final List<StepResult> steps, final String footer) {
        final StringBuilder md = new StringBuilder(header);
        if (!header.isEmpty() && !header.endsWith("\n\n")) {
            md.append(header.endsWith("\n") ? "\n" : "\n\n");
        }
        md.append(tableHeader());
        steps.forEach(s -> md.append(tableRow(s)));
        md.append('\n');
        if (!footer.isEmpty()) {
            md.append(footer).append(footer.endsWith("\n") ? "" : "\n").append('\n');
        }
        md.append(cpuTable(steps));
        return md.toString();
    }

    /** CPU of each thread role, in cores, one column per step. */
    static String cpuTable(final List<StepResult> steps) {
        return cpuTable(steps.stream().map(s -> String.format(Locale.ROOT, "%s %,.0f/s", s.label(), s.offeredPerSecond()))
            .toList(), steps.stream().map(StepResult::cpu).toList());
    }

    /** CPU of each thread role, in cores, one column per measurement (named by {@code columns}). */
    static String cpuTable(final List<String> columns, final List<CpuUsage> usages) {
        final java.util.TreeSet<String> groups = new java.util.TreeSet<>();
        usages.forEach(u -> groups.addAll(u.threadGroupCpuNs().keySet()));
        final StringBuilder md = new StringBuilder("CPU over the measured window, in cores, by thread role:\n\n| thread role |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|").append("---:|".repeat(usages.size())).append('\n');
        for (final String group : groups) {
            final double[] cores = usages.stream()
                .mapToDouble(u -> u.cores(u.threadGroupCpuNs().getOrDefault(group, 0L))).toArray();
            if (java.util.Arrays.stream(cores).allMatch(c -> c < 0.005)) {
                continue; // idle helper threads
            }
            md.append("| ").append(group).append(" |");
            for (final double c : cores) {
                md.append(String.format(Locale.ROOT, " %.2f |", c));
            }
            md.append('\n');
        }
        md.append("| **process total** |");
        usages.forEach(u -> md.append(String.format(Locale.ROOT, " **%.2f** |", u.processCores())));
        md.append('\n');
        return md.toString();
    }

    static String csv(final List<StepResult> steps) {
        final StringBuilder csv = new StringBuilder("label,offered_tx_s,accepted_tx_s,committed_tx_s,p50_ms,p90_ms,p99_ms,"
            + "p999_ms,max_ms,committed_of_window,not_committed,rejected,not_sent,failed_executions,submit_lag_p50_ms,"
            + "submit_lag_p99_ms,process_cores,other_cores,rounds_s,heights_s,v0_messages_sent_s,v0_bytes_sent_s,warmup_s,"
            + "duration_s\n");
        for (final StepResult s : steps) {
            csv.append(String.format(Locale.ROOT, "%s,%.1f,%.1f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%d,%d,%d,%.3f,%.3f,"
                    + "%.3f,%.3f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f%n",
                s.label(), s.offeredPerSecond(), s.acceptedPerSecond(), s.committedPerSecond(), s.latencyMs(50),
                s.latencyMs(90), s.latencyMs(99), s.latencyMs(99.9), s.maxLatencyMs(), s.committedOfWindow(),
                s.notCommitted(), s.rejected(), s.notSent(), s.failedExecutions(), s.submitLagMs(50),
                s.submitLagMs(99), s.cpu().processCores(), s.cpu().otherCores(), s.node().roundsPerSecond(),
                s.node().heightsPerSecond(), s.node().messagesSentPerSecond(), s.node().bytesSentPerSecond(), s.schedule().warmupNs() / 1e9, s.schedule().durationSeconds()));
        }
        return csv.toString();
    }

    private static String rejects(final StepResult s) {
        return rejects(s.rejects());
    }

    static String rejects(final Map<RejectCode, Long> rejects) {
        if (rejects.isEmpty()) {
            return "0";
        }
        return rejects.entrySet().stream()
            .map((Map.Entry<RejectCode, Long> e) -> String.format(Locale.ROOT, "%s %,d", e.getKey().name(), e.getValue()))
            .collect(Collectors.joining(", "));
    }

    static String ms(final double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
