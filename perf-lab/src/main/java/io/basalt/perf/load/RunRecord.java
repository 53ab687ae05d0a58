package io.basalt.perf.load;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One load run as saved JSON (run.json in the report folder, and a copy in the history folder):
 * enough to tell later what was measured, on what, with which code, and what came out.
 * <pre>
 *   { "schema": 1, "mode": "inproc-sweep-1x4", "startedAt": "...",
 *     "git": { "revision", "dirty" }, "machine": { "nproc", "cpuModel", "memoryBytes", "kernel", "jdk", "cryptoProvider" },
 *     "options": { every command-line option }, "node": { the node config },
 *     "calibration": { "verify": {...}, "rtt": {...} },
 *     "steps": [ { "label", "rate", "committedPerSecond", "p50Ms", "p99Ms", ..., "stages": {...} } ] }
 * </pre>
 * Doubles that have no value (no commits) are written as the string "NaN".
 */
record RunRecord(int schema, String mode, String startedAt, Git git, Machine machine, Map<String, Object> options,
                 Map<String, Object> node, Calibration calibration, List<Step> steps) {
    static final int SCHEMA = 1;
    static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The code measured: {@code git rev-parse HEAD}, and whether the working tree differed from it. */
    record Git(String revision, boolean dirty) {
    }

    record Machine(int nproc, String cpuModel, long memoryBytes, String kernel, String jdk, String cryptoProvider) {
    }

    /**
     * One step's results.
     *
     * @param rate      the scheduled (offered) rate, tx/s: steps of two runs match on label and rate
     * @param ofCeiling committed ÷ the calibration's signature ceiling
     * @param p50Rtts   p50 as a multiple of the RTT floor's p50
     * @param stages    the node's stage breakdown over the window (present = false when not exported)
     */
    record Step(String label, double rate, double offeredPerSecond, double acceptedPerSecond,
                double committedPerSecond, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                long notCommitted, long rejected, boolean sustained, double ofCeiling, double p50Rtts, double p99Rtts,
                double processCores, StageBreakdown stages) {

        static Step of(final StepResult s, final Calibration calibration, final double maxP99Ms) {
            return new Step(s.label(), s.schedule().ratePerSecond(), s.offeredPerSecond(), s.acceptedPerSecond(),
                s.committedPerSecond(), s.latencyMs(50), s.latencyMs(90), s.latencyMs(99), s.latencyMs(99.9),
                s.maxLatencyMs(), s.notCommitted(), s.rejected(), s.sustained(maxP99Ms),
                calibration.ofCeiling(s.committedPerSecond()), calibration.rttMultiple(s.latencyMs(50)),
                calibration.rttMultiple(s.latencyMs(99)), s.cpu().processCores(), s.stages());
        }
    }

    void write(final Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        MAPPER.writeValue(file.toFile(), this);
    }

    static RunRecord read(final Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunRecord.class);
    }
}
