package io.basalt.perf.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.protocol.RejectCode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator's math on hand-made raw arrays (no cluster): fast, part of scripts/test. */
class LatencyAccountingTest {
    private static final long MS = 1_000_000L;

    @Test
    void scheduleSplitsWarmupAndWindowByIntendedTime() {
        final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(1000, 1, 2);
        assertEquals(3000, s.total());
        assertEquals(1000, s.firstMeasured());
        assertEquals(0, s.intendedNs(0));
        assertEquals(999 * MS, s.intendedNs(999));
        assertEquals(1000 * MS, s.intendedNs(1000));
        // A rate that does not divide a second: every index in the window has its intended time in it.
        final OpenLoopSchedule odd = OpenLoopSchedule.ofSeconds(333, 0.5, 1.5);
        assertTrue(odd.intendedNs(odd.firstMeasured()) >= odd.warmupNs());
        assertTrue(odd.intendedNs(odd.firstMeasured() - 1) < odd.warmupNs());
        assertTrue(odd.intendedNs(odd.total() - 1) < odd.windowEndNs());
        assertTrue(odd.intendedNs(odd.total()) >= odd.windowEndNs());
    }

    @Test
    void latencyIsMeasuredFromIntendedSendTimeNotFromSubmit() {
        final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(1000, 1, 2);
        final Raw raw = new Raw(s);
        for (int i = 0; i < s.total(); i++) {
            raw.submit[i] = s.intendedNs(i) + 100_000; // 0.1 ms late
            raw.commit[i] = s.intendedNs(i) + 2 * MS;   // committed 2 ms after intended
        }
        // One window transaction whose submitter stalled 50 ms: the wait counts (coordinated omission).
        final int stalled = 1500;
        raw.submit[stalled] = s.intendedNs(stalled) + 50 * MS;
        raw.commit[stalled] = raw.submit[stalled] + 2 * MS;

        final StepResult r = LatencyAccounting.account(raw.build());

        assertEquals(2000, r.windowTxs());
        assertEquals(2000, r.accepted());
        assertEquals(2000, r.committedOfWindow());
        assertEquals(0, r.notCommitted());
        assertEquals(1000.0, r.offeredPerSecond(), 1e-9);
        assertEquals(2.0, r.latencyMs(50), 0.01);
        assertEquals(52.0, r.maxLatencyMs(), 0.1, "the stalled transaction is charged from its intended time");
        assertEquals(0.1, r.submitLagMs(50), 0.001);
        assertEquals(50.0, r.submitLagNs().getMaxValue() / 1e6, 0.1);
        assertTrue(r.sustained(1000));
    }

    @Test
    void throughputCountsCommitsInsideTheWindowAndRejectsAreByCode() {
        final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(1000, 1, 2);
        final Raw raw = new Raw(s);
        for (int i = 0; i < s.total(); i++) {
            raw.submit[i] = s.intendedNs(i);
            // The cluster commits with a constant 1.5 s backlog: the first 500 ms of the window commit
            // warm-up transactions, and the window's last 1.5 s of transactions commit after it.
            raw.commit[i] = s.intendedNs(i) + 1500 * MS;
        }
        for (int i = 1000; i < 1010; i++) {
            raw.code[i] = (byte) RejectCode.OVERLOADED.ordinal();
            raw.commit[i] = StepRaw.NOT_COMMITTED;
        }
        raw.code[2000] = (byte) RejectCode.INSUFFICIENT_FEE_BALANCE.ordinal();
        raw.commit[2000] = StepRaw.NOT_COMMITTED;
        raw.commit[2999] = StepRaw.NOT_COMMITTED; // accepted, never seen committed
        raw.code[2998] = StepRaw.NOT_SENT_CODE;
        raw.submit[2998] = StepRaw.NOT_SENT;
        raw.commit[2998] = StepRaw.NOT_COMMITTED;

        final StepResult r = LatencyAccounting.account(raw.build());

        assertEquals(Map.of(RejectCode.OVERLOADED, 10L, RejectCode.INSUFFICIENT_FEE_BALANCE, 1L), r.rejects());
        assertEquals(11, r.rejected());
        assertEquals(1, r.notSent());
        assertEquals(2000 - 11 - 1, r.accepted());
        assertEquals(1, r.notCommitted());
        // Commits at [1 s, 3 s): transactions intended at [-0.5 s, 1.5 s) → indexes 0..1499 minus the 10 rejected.
        assertEquals(1500 - 10, r.committedInWindow());
        assertEquals(745.0, r.committedPerSecond(), 1e-9);
        assertEquals(1500.0, r.latencyMs(50), 1.0);
        assertFalse(r.sustained(10_000), "committed well below offered, and a transaction lost");
    }

    @Test
    void reportWritesTableCsvDistributionAndPlot(@TempDir final Path dir) throws Exception {
        final List<StepResult> steps = Arrays.stream(new double[] {250, 500, 1000}).mapToObj(rate -> {
            final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(rate, 0.5, 1);
            final Raw raw = new Raw(s);
            for (int i = 0; i < s.total(); i++) {
                raw.submit[i] = s.intendedNs(i);
                raw.commit[i] = s.intendedNs(i) + (long) (rate / 100 * MS) + (i % 100) * MS / 10;
            }
            raw.label = rate == 500 ? "half-saturation" : "sweep";
            return LatencyAccounting.account(raw.build());
        }).toList();

        LoadReport.write(dir, "# header\n", steps, "**Saturation**: test");

        final String md = Files.readString(dir.resolve(LoadReport.SUMMARY_MD));
        assertTrue(md.startsWith("# header\n\n| step | offered tx/s |"), md);
        assertTrue(md.contains("| half-saturation | 500 | 500 | "), md);
        assertTrue(md.contains("**Saturation**: test"), md);
        assertTrue(md.contains("| **process total** |"), md);
        final List<String> csv = Files.readAllLines(dir.resolve(LoadReport.SUMMARY_CSV));
        assertEquals(4, csv.size());
        assertTrue(csv.get(2).startsWith("half-saturation,500.0,500.0,"), csv.get(2));
        final String distribution = Files.readString(dir.resolve(LoadReport.latencyCsvName(0, steps.getFirst())));
        assertTrue(distribution.startsWith("\"Value\",\"Percentile\",\"TotalCount\""), distribution);
        final BufferedImage png = ImageIO.read(dir.resolve(LoadReport.PLOT_PNG).toFile());
        assertNotNull(png);
        assertEquals(LatencyPlot.WIDTH, png.getWidth());
    }

    @Test
    void threadsAreGroupedByRoleAcrossValidators() {
        assertEquals("validator consensus", CpuSampler.group("basalt-s0v3-consensus-0"));
        assertEquals("validator ingest-verify", CpuSampler.group("basalt-s0v1-ingest-verify-2"));
        assertEquals("load-submitter-#", CpuSampler.group("load-submitter-1"));
        assertEquals("aeron media driver [sender,receiver,driver-conductor]",
            CpuSampler.group("/tmp/basalt-load-123/aeron [sender,receiver,driver-conductor]"));
        assertEquals(7, LoadGenerator.gauge("# HELP x\nbasalt_mempool_transactions{shard=\"0\",validator=\"1\"} 7\n",
            "basalt_mempool_transactions"));
    }

    /** Raw arrays filled by a test, every transaction accepted unless changed. */
    private static final class Raw {
        final OpenLoopSchedule schedule;
        final long[] submit;
        final byte[] code;
        final long[] commit;
        String label = "sweep";

        Raw(final OpenLoopSchedule schedule) {
            this.schedule = schedule;
            this.submit = new long[schedule.total()];
            this.code = new byte[schedule.total()];
            this.commit = new long[schedule.total()];
        }

        StepRaw build() {
            return new StepRaw(label, schedule, submit, code, commit, 0,
                new CpuUsage(1_000_000_000L, 1_500_000_000L, Map.of("validator consensus", 400_000_000L), 1.7e9),
                new StepRaw.NodeProgress(200, 100, 600, 60_000, 1.0));
        }
    }
}
