package io.basalt.perf.load;

import io.basalt.crypto.Ed25519;
import io.basalt.node.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a saved run records besides its results: the code (git), the machine, the options, the node
 * config, and the sections of the report that read the steps against the calibration.
 */
final class RunContext {
    private RunContext() {
    }

    /** {@code git rev-parse HEAD} and {@code git status --porcelain} in the working directory; "unknown" without git. */
    static RunRecord.Git git() {
        final String revision = run("git", "rev-parse", "HEAD");
        if (revision == null || revision.isBlank()) {
            return new RunRecord.Git("unknown", false);
        }
        final String status = run("git", "status", "--porcelain", "--untracked-files=no");
        return new RunRecord.Git(revision.strip(), status != null && !status.isBlank());
    }

    private static String run(final String... command) {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return out;
        } catch (final IOException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static RunRecord.Machine machine(final Ed25519 ed25519) {
        return new RunRecord.Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memoryBytes(), kernel(),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
            ed25519.providerDescription());
    }

    static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (final IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    /** MemTotal from /proc/meminfo, in bytes; -1 when unknown. */
    static long memoryBytes() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(-1L);
        } catch (final IOException | UncheckedIOException | NumberFormatException e) {
            return -1;
        }
    }

    static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (final IOException e) {
            return System.getProperty("os.name") + " " + System.getProperty("os.version");
        }
    }

    /** Every option of the command with its value (as given or defaulted), plus the JVM's flags. */
    static Map<String, Object> options(final CommandSpec spec) {
        final Map<String, Object> options = new LinkedHashMap<>();
        if (spec != null) {
            for (final OptionSpec option : spec.options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                options.put(option.longestName(), plain(option.getValue()));
            }
        }
        options.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return options;
    }

    private static Object plain(final Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof List<?> list) {
            final List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(plain(v)));
            return out;
        }
        return value.toString();
    }

    /** The node config as a JSON object (paths as strings). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> node(final NodeConfig config) {
        final Map<String, Object> out = new LinkedHashMap<>();
        if (config == null) {
            return out;
        }
        for (final var component : NodeConfig.class.getRecordComponents()) {
            try {
                out.put(component.getName(), plain(component.getAccessor().invoke(config)));
            } catch (final ReflectiveOperationException e) {
                out.put(component.getName(), "(unreadable)");
            }
        }
        return out;
    }

    /** Each step against the calibration: share of the signature ceiling, latency in RTT floors. */
    static String floorsTable(final List<StepResult> steps, final Calibration calibration) {
        final StringBuilder md = new StringBuilder("Against this machine's floors (from the calibration above):\n\n"
            + "| step | offered tx/s | committed tx/s | ÷ signature ceiling | p50 ms | p50 ÷ RTT p50 | p99 ms "
            + "| p99 ÷ RTT p50 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (final StepResult s : steps) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %s | %s | %s | %s | %s |%n", s.label(),
                s.offeredPerSecond(), s.committedPerSecond(), percent(calibration.ofCeiling(s.committedPerSecond())),
                LoadReport.ms(s.latencyMs(50)), times(calibration.rttMultiple(s.latencyMs(50))),
                LoadReport.ms(s.latencyMs(99)), times(calibration.rttMultiple(s.latencyMs(99)))));
        }
        return md.toString();
    }

    /** One "where a millisecond goes" table per step (or one sentence when the node exports no stages). */
    static String stagesSection(final List<StepResult> steps) {
        if (steps.stream().noneMatch(s -> s.stages().present())) {
            return StageBreakdown.ABSENT.markdown("");
        }
        final StringBuilder md = new StringBuilder();
        for (final StepResult s : steps) {
            md.append(s.stages().markdown(String.format(Locale.ROOT, "%s, %,.0f tx/s", s.label(),
                s.schedule().ratePerSecond()))).append('\n');
        }
        return md.toString();
    }

    static String percent(final double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static String times(final double multiple) {
        return Double.isNaN(multiple) ? "–" : String.format(Locale.ROOT, "%,.0f×", multiple);
    }
}
