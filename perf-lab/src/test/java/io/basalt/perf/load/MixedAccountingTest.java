package io.basalt.perf.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-shard workload's per-kind bookkeeping on hand-made raw arrays (no cluster). */
class MixedAccountingTest {
    private static final long MS = 1_000_000L;

    @Test
    void planDrawsKindsAtTheirFractionsAndRoutesBySourceShard() {
        final int n = 20_000;
        final MixPlan plan = MixPlan.plan(n, 2, 4, 0.4, 0.1, 7);
        final long[] counts = plan.counts();
        assertEquals(n, counts[0] + counts[1] + counts[2]);
        assertEquals(0.5 * n, counts[TxKind.SAME_SHARD_TRANSFER.ordinal()], 0.02 * n);
        assertEquals(0.4 * n, counts[TxKind.CROSS_SHARD_TRANSFER.ordinal()], 0.02 * n);
        assertEquals(0.1 * n, counts[TxKind.CROSS_SHARD_SWAP.ordinal()], 0.01 * n);
        final int[] perNode = new int[8];
        for (int i = 0; i < n; i++) {
            final int source = plan.sourceShards()[i];
            assertEquals(source, plan.submitNodes()[i] / 4, "submitted to a validator of the source shard");
            perNode[plan.submitNodes()[i]]++;
            if (plan.kind(i).crossShard()) {
                assertNotEquals(source, plan.otherShards()[i]);
                assertEquals(plan.otherShards()[i] * 4, plan.otherNodes()[i], "the other side is its validator 0");
            } else {
                assertEquals(MixPlan.NONE, plan.otherShards()[i]);
                assertEquals(MixPlan.NONE, plan.otherNodes()[i]);
            }
        }
        for (int g = 0; g < 8; g++) {
            assertEquals(n / 8.0, perNode[g], 0.03 * n, "validator " + g + " gets its share");
        }
        // Seeded: the same seed gives the same plan.
        assertArrayEquals(plan.kinds(), MixPlan.plan(n, 2, 4, 0.4, 0.1, 7).kinds());
        // Four shards: every other shard is reached.
        final MixPlan four = MixPlan.plan(4_000, 4, 4, 1.0, 0, 1);
        final boolean[][] pairs = new boolean[4][4];
        for (int i = 0; i < 4_000; i++) {
            pairs[four.sourceShards()[i]][four.otherShards()[i]] = true;
        }
        for (int s = 0; s < 4; s++) {
            for (int d = 0; d < 4; d++) {
                assertEquals(s != d, pairs[s][d], s + " → " + d);
            }
        }
    }

    @Test
    void planRefusesCrossShardWorkOnOneShardAndFractionsAboveOne() {
        assertThrows(IllegalArgumentException.class, () -> MixPlan.plan(10, 1, 4, 0.4, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> MixPlan.plan(10, 2, 4, 0.7, 0.4, 1));
        assertThrows(IllegalArgumentException.class, () -> MixPlan.plan(10, 2, 4, -0.1, 0, 1));
        final MixPlan sameOnly = MixPlan.plan(100, 1, 4, 0, 0, 1);
        assertEquals(100, sameOnly.counts()[TxKind.SAME_SHARD_TRANSFER.ordinal()]);
    }

    @Test
    void eachKindIsMeasuredToItsOwnEventsFromTheIntendedSendTime() {
        final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(1000, 1, 2);
        final MixPlan plan = MixPlan.plan(s.total(), 2, 4, 0.4, 0.1, 3);
        final Raw raw = new Raw(s, plan);
        for (int i = 0; i < s.total(); i++) {
            final long t0 = s.intendedNs(i);
            raw.submit[i] = t0 + MS / 10;
            raw.times[MixedTracker.COMMITTED_HERE][i] = t0 + 10 * MS;
            if (plan.kind(i) == TxKind.CROSS_SHARD_TRANSFER) {
                raw.times[MixedTracker.SETTLED_THERE][i] = t0 + 18 * MS;
                raw.times[MixedTracker.SETTLED_HERE][i] = t0 + 25 * MS;
            } else if (plan.kind(i) == TxKind.CROSS_SHARD_SWAP) {
                raw.times[MixedTracker.SETTLED_HERE][i] = t0 + 30 * MS;
                raw.times[MixedTracker.SETTLED_THERE][i] = t0 + 28 * MS;
            }
        }
        final MixedResult r = MixedAccounting.account(raw.build());

        final long[] counts = windowCounts(s, plan);
        assertEquals(2000, r.windowTxs());
        for (final TxKind kind : TxKind.values()) {
            assertEquals(counts[kind.ordinal()], r.kind(kind).windowTxs(), kind.name());
            assertEquals(counts[kind.ordinal()], r.kind(kind).accepted(), kind.name());
        }
        assertEquals(10.0, r.series(Series.SAME_COMMITTED).latencyMs(50), 0.01);
        assertEquals(10.0, r.series(Series.CROSS_COMMITTED).latencyMs(50), 0.01);
        assertEquals(18.0, r.series(Series.CROSS_SETTLED_DESTINATION).latencyMs(50), 0.02);
        assertEquals(25.0, r.series(Series.CROSS_SETTLED_SOURCE).latencyMs(50), 0.03);
        assertEquals(30.0, r.series(Series.SWAP_SETTLED).latencyMs(50), 0.03);
        assertEquals(28.0, r.series(Series.SWAP_SETTLED_OTHER).latencyMs(50), 0.03);
        assertEquals(1.8, r.p50Ratio(Series.CROSS_SETTLED_DESTINATION), 0.01);
        assertEquals(3.0, r.p50Ratio(Series.SWAP_SETTLED), 0.01);
        for (final MixedResult.SeriesStats stats : r.series()) {
            assertEquals(counts[stats.series().kind().ordinal()], stats.seen(), stats.series().name());
            assertEquals(0, stats.notSeen());
            assertEquals(0, stats.failed());
        }
        // Every COMMITTED of the window's transactions falls in the window, except the last 10 ms of them;
        // the last 10 ms of warm-up transactions commit inside it: 2,000 in all.
        assertEquals(2000, r.committedInWindow());
        assertEquals(1000.0, r.committedPerSecond(), 1e-9);
        assertEquals(1000.0 / 1.5, r.committedPerCore(), 1e-6);
        assertEquals(0.1, r.submitLagMs(50), 0.001);
        assertTrue(r.sustained());
    }

    @Test
    void unseenFailedAndRejectedAreCountedPerKindAndSeries() {
        final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(1000, 1, 2);
        final MixPlan plan = MixPlan.plan(s.total(), 2, 4, 0.4, 0.1, 5);
        final Raw raw = new Raw(s, plan);
        int crossRejected = -1;
        int crossUnsettled = -1;
        int swapAborted = -1;
        int sameFailed = -1;
        int sameNotSent = -1;
        for (int i = 0; i < s.total(); i++) {
            final long t0 = s.intendedNs(i);
            raw.submit[i] = t0;
            raw.times[MixedTracker.COMMITTED_HERE][i] = t0 + 5 * MS;
            if (plan.kind(i).crossShard()) {
                raw.times[MixedTracker.SETTLED_HERE][i] = t0 + 9 * MS;
                raw.times[MixedTracker.SETTLED_THERE][i] = t0 + 8 * MS;
            }
            if (i < s.firstMeasured()) {
                continue;
            }
            switch (plan.kind(i)) {
                case CROSS_SHARD_TRANSFER -> {
                    if (crossRejected < 0) {
                        crossRejected = i;
                        raw.code[i] = (byte) RejectCode.OVERLOADED.ordinal();
                        clear(raw, i);
                    } else if (crossUnsettled < 0) {
                        crossUnsettled = i;
                        raw.times[MixedTracker.SETTLED_HERE][i] = MixedTracker.NOT_SEEN;
                    }
                }
                case CROSS_SHARD_SWAP -> {
                    if (swapAborted < 0) {
                        swapAborted = i;
                        raw.results[MixedTracker.SETTLED_HERE][i] = ExecResult.SWAP_ABORTED.code();
                        raw.results[MixedTracker.SETTLED_THERE][i] = ExecResult.SWAP_ABORTED.code();
                    }
                }
                case SAME_SHARD_TRANSFER -> {
                    if (sameFailed < 0) {
                        sameFailed = i;
                        raw.results[MixedTracker.COMMITTED_HERE][i] = ExecResult.INSUFFICIENT_BALANCE.code();
                    } else if (sameNotSent < 0) {
                        sameNotSent = i;
                        raw.code[i] = StepRaw.NOT_SENT_CODE;
                        raw.submit[i] = StepRaw.NOT_SENT;
                        clear(raw, i);
                    }
                }
            }
        }
        final MixedResult r = MixedAccounting.account(raw.build());
        final long[] counts = windowCounts(s, plan);

        final MixedResult.KindStats cross = r.kind(TxKind.CROSS_SHARD_TRANSFER);
        assertEquals(Map.of(RejectCode.OVERLOADED, 1L), cross.rejects());
        assertEquals(counts[TxKind.CROSS_SHARD_TRANSFER.ordinal()] - 1, cross.accepted());
        assertEquals(1, r.series(Series.CROSS_SETTLED_SOURCE).notSeen());
        assertEquals(cross.accepted() - 1, r.series(Series.CROSS_SETTLED_SOURCE).seen());
        assertEquals(0, r.series(Series.CROSS_SETTLED_DESTINATION).notSeen());
        assertEquals(1, r.series(Series.SWAP_SETTLED).failed());
        assertEquals(1, r.series(Series.SWAP_SETTLED_OTHER).failed());
        assertEquals(0, r.series(Series.SWAP_COMMITTED).failed());
        assertEquals(1, r.series(Series.SAME_COMMITTED).failed());
        assertEquals(1, r.kind(TxKind.SAME_SHARD_TRANSFER).notSent());
        assertEquals(1, r.notSent());
        assertEquals(Map.of(RejectCode.OVERLOADED, 1L), r.rejects());
        assertFalse(r.sustained(), "a settlement was not seen and a transaction was not sent");
    }

    @Test
    void trackerAwaitsEverySlotOfCrossShardKindsAndStopsWhenNothingWillSettle() {
        assertEquals(1, MixedTracker.awaited(TxKind.SAME_SHARD_TRANSFER));
        assertEquals(3, MixedTracker.awaited(TxKind.CROSS_SHARD_TRANSFER));
        assertEquals(3, MixedTracker.awaited(TxKind.CROSS_SHARD_SWAP));
        assertTrue(MixedTracker.settlementFollows(TxKind.CROSS_SHARD_TRANSFER, ExecResult.SUCCESS.code()));
        assertFalse(MixedTracker.settlementFollows(TxKind.CROSS_SHARD_TRANSFER,
            ExecResult.INSUFFICIENT_BALANCE.code()));
        assertTrue(MixedTracker.settlementFollows(TxKind.CROSS_SHARD_SWAP, ExecResult.INSUFFICIENT_BALANCE.code()),
            "an uncovered leg votes ABORT: SWAP_ABORTED settles on both shards");
        assertFalse(MixedTracker.settlementFollows(TxKind.CROSS_SHARD_SWAP, ExecResult.EXPIRED.code()));
        assertFalse(MixedTracker.settlementFollows(TxKind.SAME_SHARD_TRANSFER, ExecResult.SUCCESS.code()));
    }

    @Test
    void reportWritesTableRatiosCsvDistributionsAndPlot(@TempDir final Path dir) throws Exception {
        final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(500, 0.5, 1);
        final MixPlan plan = MixPlan.plan(s.total(), 2, 4, 0.4, 0.1, 11);
        final Raw raw = new Raw(s, plan);
        for (int i = 0; i < s.total(); i++) {
            final long t0 = s.intendedNs(i);
            raw.submit[i] = t0;
            raw.times[MixedTracker.COMMITTED_HERE][i] = t0 + 10 * MS + (i % 10) * MS / 10;
            if (plan.kind(i).crossShard()) {
                raw.times[MixedTracker.SETTLED_THERE][i] = t0 + 15 * MS + (i % 10) * MS / 10;
                raw.times[MixedTracker.SETTLED_HERE][i] = t0 + 30 * MS + (i % 10) * MS / 10;
            }
        }
        raw.label = "mixed";
        final MixedResult r = MixedAccounting.account(raw.build());

        MixedReport.write(dir, "# header\n", r);

        final String md = Files.readString(dir.resolve(MixedReport.SUMMARY_MD));
        assertTrue(md.startsWith("# header\n\n| kind | latency to |"), md);
        assertTrue(md.contains("| cross-shard transfer | **SETTLED on the destination (its validator 0: credit applied)** |"),
            md);
        assertTrue(md.contains("cross-shard transfer, SETTLED on the destination: **1.47** (met)"), md);
        assertTrue(md.contains("(met)") && md.contains("(not met)"), md);
        assertTrue(md.contains("| **process total** |"), md);
        final List<String> csv = Files.readAllLines(dir.resolve(MixedReport.SUMMARY_CSV));
        assertEquals(1 + Series.values().length, csv.size());
        assertTrue(csv.get(1).startsWith("mixed,2,SAME_SHARD_TRANSFER,SAME_COMMITTED,true,"), csv.get(1));
        for (final Series series : Series.values()) {
            final String distribution = Files.readString(dir.resolve(MixedReport.latencyCsvName(series)));
            assertTrue(distribution.startsWith("\"Value\",\"Percentile\""), series.name());
        }
        final BufferedImage png = ImageIO.read(dir.resolve(MixedReport.PLOT_PNG).toFile());
        assertNotNull(png);
        assertEquals(MixedPlot.WIDTH, png.getWidth());
    }

    @Test
    void aMixWithoutSwapsLeavesTheirRowsOutAndScaleReportDividesByCores(@TempDir final Path dir) throws Exception {
        final MixedResult one = sameOnly(1, 1000, 1.0);
        final MixedResult two = sameOnly(2, 1000, 2.0);
        final String table = MixedReport.table(one);
        assertTrue(table.contains("same-shard transfer"), table);
        assertFalse(table.contains("cross-shard"), table);
        assertTrue(MixedReport.ratios(one).contains("no cross-shard transactions"), MixedReport.ratios(one));

        final String scale = ScaleReport.table(List.of(one, two), 4);
        assertTrue(scale.contains("| 1 × 4 | 1,000 | 1,000 | 1,000 | 0 | "), scale);
        assertTrue(scale.contains("| 1.00 | 0.00 | 1,000 | 1.00× |"), scale);
        assertTrue(scale.contains("| 2.00 | 0.00 | 500 | 0.50× |"), scale);
        ScaleReport.write(dir, "# scale\n", List.of(one, two), 4);
        final List<String> csv = Files.readAllLines(dir.resolve(ScaleReport.SCALE_CSV));
        assertEquals(3, csv.size());
        assertTrue(csv.get(2).startsWith("2,4,1000.0,1000.0,1000.0,0,"), csv.get(2));
        assertTrue(Files.readString(dir.resolve(ScaleReport.SCALE_MD)).contains("| 2 shard(s) |"));
    }

    @Test
    void scaleRatesAreOneForAllOrOnePerShardCount() {
        assertEquals(5000, LoadGenerator.scaleRate(List.of(5000.0), 2));
        assertEquals(7000, LoadGenerator.scaleRate(List.of(5000.0, 6000.0, 7000.0), 2));
        final LoadGenerator generator = new LoadGenerator();
        new picocli.CommandLine(generator).parseArgs("--shards-sweep", "1,2,4", "--scale-rate", "8000,9000,10000");
        assertEquals(List.of(1, 2, 4), generator.shardCounts());
        final LoadGenerator scale = new LoadGenerator();
        new picocli.CommandLine(scale).parseArgs("--scale");
        assertEquals(List.of(1, 2, 4), scale.shardCounts());
        final LoadGenerator mixed = new LoadGenerator();
        new picocli.CommandLine(mixed).parseArgs("--shards", "2", "--cross-fraction", "0.3", "--swap-fraction", "0.2");
        assertEquals(2, mixed.shards);
        assertEquals(0.3, mixed.crossFraction);
        assertEquals(0.2, mixed.swapFraction);
        final LoadGenerator defaults = new LoadGenerator();
        new picocli.CommandLine(defaults).parseArgs();
        assertEquals(1, defaults.shards, "one shard unless asked");
    }

    @Test
    void swapAssetsAreHomedOnTheirShards() {
        final int[] ids = MultiShard.swapAssetIds(4, new java.util.SplittableRandom(9));
        for (int s = 0; s < 4; s++) {
            assertTrue(ids[s] > 0);
            assertEquals(s, Integer.remainderUnsigned(ids[s], 4));
        }
    }

    private static MixedResult sameOnly(final int shards, final double rate, final double cores) {
        final OpenLoopSchedule s = OpenLoopSchedule.ofSeconds(rate, 0.5, 1);
        final MixPlan plan = MixPlan.plan(s.total(), shards, 4, 0, 0, 1);
        final Raw raw = new Raw(s, plan);
        for (int i = 0; i < s.total(); i++) {
            raw.submit[i] = s.intendedNs(i);
            raw.times[MixedTracker.COMMITTED_HERE][i] = s.intendedNs(i) + 4 * MS;
        }
        raw.shards = shards;
        raw.cpu = new CpuUsage(1_000_000_000L, (long) (cores * 1e9), Map.of(), (long) (cores * 1e9));
        return MixedAccounting.account(raw.build());
    }

    private static void clear(final Raw raw, final int i) {
        for (int slot = 0; slot < MixedTracker.SLOTS; slot++) {
            raw.times[slot][i] = MixedTracker.NOT_SEEN;
        }
    }

    private static long[] windowCounts(final OpenLoopSchedule s, final MixPlan plan) {
        final long[] counts = new long[TxKind.values().length];
        for (int i = s.firstMeasured(); i < s.total(); i++) {
            counts[plan.kinds()[i]]++;
        }
        return counts;
    }

    /** Raw arrays filled by a test, every transaction accepted and successful unless changed. */
    private static final class Raw {
        final OpenLoopSchedule schedule;
        final MixPlan plan;
        final long[] submit;
        final byte[] code;
        final long[][] times;
        final int[][] results;
        String label = "mixed";
        int shards = 2;
        CpuUsage cpu = new CpuUsage(1_000_000_000L, 1_500_000_000L, Map.of("validator consensus", 400_000_000L), 1.7e9);

        Raw(final OpenLoopSchedule schedule, final MixPlan plan) {
            this.schedule = schedule;
            this.plan = plan;
            this.submit = new long[schedule.total()];
            this.code = new byte[schedule.total()];
            this.times = new long[MixedTracker.SLOTS][schedule.total()];
            this.results = new int[MixedTracker.SLOTS][schedule.total()];
        }

        MixedRaw build() {
            return new MixedRaw(label, shards, schedule, plan, submit, code, times, results, cpu,
                new StepRaw.NodeProgress(200, 100, 600, 60_000, 1.0));
        }
    }
}
