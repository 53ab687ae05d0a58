package io.basalt.perf.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved runs: JSON round trip, the history's previous run of a mode, and the comparison. */
class RunHistoryTest {
    @TempDir
    Path dir;

    private static RunRecord.Step step(final String label, final double rate, final double committed, final double p50,
                                       final double p99) {
        final StageBreakdown stages = new StageBreakdown(true,
            List.of(new StageBreakdown.Row("queued", 10, 0.4, 1.2, Double.NaN)));
        return new RunRecord.Step(label, rate, rate, rate, committed, p50, p50 * 1.5, p99, p99 * 2, p99 * 3, 0, 0, true,
            0.25, p50 * 100, p99 * 100, 1.7, stages);
    }

    private static RunRecord run(final String mode, final String startedAt, final List<RunRecord.Step> steps) {
        return new RunRecord(RunRecord.SCHEMA, mode, startedAt, new RunRecord.Git("abc123", true),
            new RunRecord.Machine(2, "Some CPU", 8L << 30, "6.1.0", "OpenJDK 25", "libsodium"),
            Map.of("--rate", 1000.0, "--rates", List.of(250.0, 500.0)), Map.of("idleStrategy", "backoff"),
            new Calibration(new VerifyCalibration("libsodium", 256, 4096, 100_000, 1.5, 66_000, 2, 4, 33_000),
                new RttCalibration("ipc", "backoff", 10_000, 12.5, 40.0, 14.0, 300.0)),
            steps);
    }

    @Test
    void jsonRoundTripKeepsEveryFieldAndNaN() throws Exception {
        final RunRecord written = run("inproc-fixed-1x4", "2025-01-02T03:04:05.678Z",
            List.of(step("fixed", 1000, 990, 20, 45), step("sweep", 2000, Double.NaN, Double.NaN, Double.NaN)));
        final Path file = dir.resolve("run.json");
        written.write(file);
        final RunRecord read = RunRecord.read(file);
        assertEquals(written.mode(), read.mode());
        assertEquals(written.git(), read.git());
        assertEquals(written.machine(), read.machine());
        assertEquals(written.calibration(), read.calibration());
        assertEquals(written.options(), read.options());
        assertEquals(written.steps().getFirst(), read.steps().getFirst());
        assertTrue(Double.isNaN(read.steps().get(1).p50Ms()));
        assertTrue(Files.readString(file).contains("\"ceilingTxPerSecond\""));
    }

    @Test
    void previousFindsTheLatestRunOfTheSameModeButNotItself() throws Exception {
        final Path history = dir.resolve("history");
        RunHistory.save(run("inproc-fixed-1x4", "2025-01-01T00:00:00Z", List.of()), dir.resolve("a"), history);
        final Path second = RunHistory.save(run("inproc-fixed-1x4", "2025-01-02T00:00:00Z", List.of()),
            dir.resolve("b"), history);
        RunHistory.save(run("aeron-fixed-1x4", "2025-01-03T00:00:00Z", List.of()), dir.resolve("c"), history);
        final Path third = RunHistory.save(run("inproc-fixed-1x4", "2025-01-04T00:00:00Z", List.of()),
            dir.resolve("d"), history);
        assertTrue(Files.exists(dir.resolve("d").resolve(RunHistory.RUN_JSON)));
        assertEquals("2025-01-02T00:00:00Z", RunHistory.previous(history, "inproc-fixed-1x4", third).startedAt());
        assertEquals("2025-01-04T00:00:00Z", RunHistory.previous(history, "inproc-fixed-1x4", second).startedAt());
        assertNull(RunHistory.previous(history, "http-fixed-1x4", null));
        assertNull(RunHistory.previous(dir.resolve("none"), "inproc-fixed-1x4", null));
    }

    @Test
    void comparisonMatchesStepsByLabelAndRateAndSaysFasterOrSlower() {
        final RunRecord before = run("m", "t0", List.of(step("sweep", 1000, 1000, 20, 40), step("sweep", 2000, 2000, 30, 60),
            step("half-saturation", 1500, 1500, 25, 50)));
        final RunRecord now = run("m", "t1", List.of(step("sweep", 1000, 1000, 10, 30), step("sweep", 2000, 1500, 30, 60),
            step("half-saturation", 1250, 1250, 25, 50), step("sweep", 1000.2, 1000, 20.5, 40)));
        final List<RunHistory.Comparison> rows = RunHistory.compare(now, before);
        assertEquals(3, rows.size()); // half-saturation ran at another rate: not compared
        assertEquals(0.5, rows.get(0).p50Ratio(), 1e-12);
        assertEquals(0.75, rows.get(0).p99Ratio(), 1e-12);
        assertEquals("faster", rows.get(0).verdict());
        assertEquals(0.75, rows.get(1).committedRatio(), 1e-12);
        assertEquals("slower (less committed)", rows.get(1).verdict());
        assertEquals("about the same", rows.get(2).verdict());
        final String md = RunHistory.markdown(now, before);
        assertTrue(md.contains("| sweep | 1,000 | 1.00× | 0.50× | 0.75× | faster |"), md);
        assertTrue(RunHistory.markdown(now, null).contains("no earlier run"));
    }

    @Test
    void ceilingIsCoresTimesRateOverValidators() {
        assertEquals(2 * 60_000 / 4.0, VerifyCalibration.ceiling(2, 60_000, 4), 1e-9);
        final RttCalibration rtt = RttCalibration.summarise("ipc", "backoff", new long[] {5_000, 1_000, 3_000, 2_000});
        assertEquals(2.0, rtt.p50Us(), 1e-9);
        assertEquals(5.0, rtt.p99Us(), 1e-9);
        assertEquals(2.75, rtt.meanUs(), 1e-9);
        assertEquals(1000, rtt.multipleOfP50(2), 1e-9);
    }
}
