package io.basalt.perf.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The history of saved runs (one JSON file per run, named {@code TIMESTAMP-MODE.json} so that names
 * sort by time) and the comparison of a new run with the previous run of the same mode. Steps are
 * matched by label and scheduled rate; a run of another mode, or a step with no partner, is not
 * compared.
 */
final class RunHistory {
    static final String RUN_JSON = "run.json";
    /** Ratios within ±5% are noise on a shared two-core machine. */
    static final double SAME_BAND = 0.05;

    private RunHistory() {
    }

    /** One matched step: ratios new ÷ old. */
    record Comparison(String label, double rate, double committedRatio, double p50Ratio, double p99Ratio) {
        /** Latency decides (p50 first, then p99), then throughput. */
        String verdict() {
            if (Double.isNaN(p50Ratio) || Double.isNaN(committedRatio)) {
                return "not comparable";
            }
            if (committedRatio < 1 - SAME_BAND) {
                return "slower (less committed)";
            }
            if (p50Ratio > 1 + SAME_BAND || p99Ratio > 1 + 2 * SAME_BAND) {
                return "slower";
            }
            if (p50Ratio < 1 - SAME_BAND || committedRatio > 1 + SAME_BAND) {
                return "faster";
            }
            return "about the same";
        }
    }

    static String fileName(final RunRecord run) {
        final String time = run.startedAt().replace(":", "").replace("-", "").replaceAll("\\.\\d+", "");
        return time + "-" + run.mode() + ".json";
    }

    /** Writes the run into the report folder (run.json) and into the history folder; returns the history file. */
    static Path save(final RunRecord run, final Path out, final Path history) throws IOException {
        run.write(out.resolve(RUN_JSON));
        final Path file = history.resolve(fileName(run));
        run.write(file);
        return file;
    }

    /** The latest run of {@code mode} in the history other than {@code self}; null if none (or unreadable). */
    static RunRecord previous(final Path history, final String mode, final Path self) {
        if (!Files.isDirectory(history)) {
            return null;
        }
        final List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(history)) {
            files.filter(p -> p.getFileName().toString().endsWith("-" + mode + ".json"))
                .filter(p -> self == null || !p.toAbsolutePath().normalize().equals(self.toAbsolutePath().normalize()))
                .forEach(candidates::add);
        } catch (final IOException e) {
            return null;
        }
        candidates.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (final Path candidate : candidates) {
            try {
                final RunRecord run = RunRecord.read(candidate);
                if (mode.equals(run.mode())) {
                    return run;
                }
            } catch (final IOException e) {
                LoadGenerator.log("skipping unreadable history file %s: %s", candidate, e.getMessage());
            }
        }
        return null;
    }

    /** New ÷ old for every step of {@code now} that {@code before} has too (same label and rate). */
    static List<Comparison> compare(final RunRecord now, final RunRecord before) {
        final List<Comparison> out = new ArrayList<>();
        for (final RunRecord.Step step : now.steps()) {
            before.steps().stream()
                .filter(old -> old.label().equals(step.label()) && Math.abs(old.rate() - step.rate()) < 0.5)
                .findFirst()
                .ifPresent(old -> out.add(new Comparison(step.label(), step.rate(),
                    ratio(step.committedPerSecond(), old.committedPerSecond()), ratio(step.p50Ms(), old.p50Ms()),
                    ratio(step.p99Ms(), old.p99Ms()))));
        }
        return out;
    }

    static double ratio(final double now, final double before) {
        return before > 0 && !Double.isNaN(now) ? now / before : Double.NaN;
    }

    /** The comparison section of the report. */
    static String markdown(final RunRecord now, final RunRecord before) {
        if (before == null) {
            return "Compared with: no earlier run of mode `" + now.mode() + "` in the history.\n";
        }
        final List<Comparison> rows = compare(now, before);
        final StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
            "Compared with the previous `%s` run (%s, code %s%s): ratios new ÷ old%n%n", now.mode(), before.startedAt(),
            shortRevision(before.git()), before.git() != null && before.git().dirty() ? " + uncommitted changes" : ""));
        if (rows.isEmpty()) {
            return md.append("(no step of this run has the label and rate of one of that run's)\n").toString();
        }
        md.append("| step | rate tx/s | committed tx/s | p50 | p99 | verdict |\n|---|---:|---:|---:|---:|---|\n");
        for (final Comparison c : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %s | %s | %s |%n", c.label(), c.rate(),
                times(c.committedRatio()), times(c.p50Ratio()), times(c.p99Ratio()), c.verdict()));
        }
        md.append("\nLatency ratios below 1 are faster, throughput ratios above 1 are more; within ±5% is noise here.\n");
        return md.toString();
    }

    private static String shortRevision(final RunRecord.Git git) {
        if (git == null || git.revision() == null) {
            return "unknown";
        }
        return git.revision().length() > 12 ? git.revision().substring(0, 12) : git.revision();
    }

    private static String times(final double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
