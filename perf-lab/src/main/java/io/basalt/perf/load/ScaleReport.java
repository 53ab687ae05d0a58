package io.basalt.perf.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The shard-count sweep ({@code --scale}): one same-shard-transfer step per cluster shape, and
 * committed tx/s per core of CPU this process used. Writes {@code scale.md} and {@code scale.csv};
 * each step's full report goes to {@code shards-S/} beside them ({@link MixedReport}).
 */
final class ScaleReport {
    static final String SCALE_MD = "scale.md";
    static final String SCALE_CSV = "scale.csv";

    private ScaleReport() {
    }

    static void write(final Path dir, final String header, final List<MixedResult> runs, final int validators)
        throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SCALE_MD), header + (header.endsWith("\n\n") ? "" : "\n") + table(runs, validators)
            + "\n" + footer() + "\n" + LoadReport.cpuTable(runs.stream().map(r -> r.shards() + " shard(s)").toList(),
            runs.stream().map(MixedResult::cpu).toList()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(SCALE_CSV), csv(runs, validators), StandardCharsets.UTF_8);
    }

    static String subfolder(final int shards) {
        return "shards-" + shards;
    }

    /** The table to paste into docs/benchmarks.md. */
    static String table(final List<MixedResult> runs, final int validators) {
        final StringBuilder md = new StringBuilder("| shards × validators | offered tx/s | accepted tx/s | committed tx/s "
            + "| rejected | p50 ms | p99 ms | process CPU (cores) | others' CPU (cores) | committed tx/s per core "
            + "| per core vs first row | kept up |\n"
            + "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
        final double base = runs.isEmpty() ? Double.NaN : runs.getFirst().committedPerCore();
        for (final MixedResult r : runs) {
            final MixedResult.SeriesStats same = r.series(Series.SAME_COMMITTED);
            md.append(String.format(Locale.ROOT, "| %d × %d | %,.0f | %,.0f | %,.0f | %s | %s | %s | %.2f | %.2f | %,.0f "
                    + "| %s | %s |%n",
                r.shards(), validators, r.offeredPerSecond(), r.acceptedPerSecond(), r.committedPerSecond(),
                LoadReport.rejects(r.rejects()), LoadReport.ms(same.latencyMs(50)), LoadReport.ms(same.latencyMs(99)),
                r.cpu().processCores(), r.cpu().otherCores(), r.committedPerCore(),
                Double.isNaN(base) || base <= 0 ? "–" : String.format(Locale.ROOT, "%.2f×", r.committedPerCore() / base),
                r.sustained() ? "yes (not saturated: raise --scale-rate)" : "no (saturated)"));
        }
        return md.toString();
    }

    static String footer() {
        return "Committed tx/s = COMMITTED events on the submitting validators inside the window; CPU = this process "
            + "(every validator, the media driver, GC/JIT and the submitters, which run admission and its Ed25519 "
            + "check as a gateway's workers would) over the same window. A row that did not keep up was driven at "
            + "saturation; its rejected submissions were still decoded and verified, which the per-core figure "
            + "includes. A row that kept up was not saturated, so its per-core figure is at that load only.\n";
    }

    static String csv(final List<MixedResult> runs, final int validators) {
        final StringBuilder csv = new StringBuilder("shards,validators_per_shard,offered_tx_s,accepted_tx_s,"
            + "committed_tx_s,rejected,p50_ms,p99_ms,process_cores,other_cores,committed_per_core,sustained,warmup_s,"
            + "duration_s\n");
        for (final MixedResult r : runs) {
            final MixedResult.SeriesStats same = r.series(Series.SAME_COMMITTED);
            csv.append(String.format(Locale.ROOT, "%d,%d,%.1f,%.1f,%.1f,%d,%.3f,%.3f,%.3f,%.3f,%.1f,%b,%.1f,%.1f%n",
                r.shards(), validators, r.offeredPerSecond(), r.acceptedPerSecond(), r.committedPerSecond(),
                r.rejects().values().stream().mapToLong(Long::longValue).sum(), same.latencyMs(50), same.latencyMs(99),
                r.cpu().processCores(), r.cpu().otherCores(), r.committedPerCore(), r.sustained(),
                r.schedule().warmupNs() / 1e9, r.schedule().durationSeconds()));
        }
        return csv.toString();
    }
}
