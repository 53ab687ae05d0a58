package io.basalt.perf.consensus;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Runs one rate on a cluster: warm-up at the rate, the measured window, then a drain that waits for
 * the window's payloads to commit. The submitter runs on its own thread; this thread only sleeps and
 * takes CPU snapshots at the window's edges.
 *
 * <pre>
 *   t0 ── warm-up ──▶ windowStart ── measured ──▶ windowEnd ── drain (≤ drainNs) ──▶ result
 *   submitter: offers from t0 to windowEnd          CPU, rounds: snapshot at both window edges
 * </pre>
 */
final class StepRunner {
    private static final long START_DELAY_NS = 100_000_000L;
    private static final long SETTLE_NS = 50_000_000L;
    private static final long SUBMITTER_LINGER_NS = 200_000_000L;

    private final ConsensusOnlyCluster cluster;
    private final ThreadCpu cpu = new ThreadCpu();
    private long nextSeq;

    StepRunner(final ConsensusOnlyCluster cluster) {
        this.cluster = cluster;
    }

    StepResult run(final double rate, final long warmupNs, final long durationNs, final long drainNs, final double maxP99Ms) {
        final EpochNanoClock clock = cluster.clock();
        final int n = cluster.validators();
        final long t0 = clock.nanoTime() + START_DELAY_NS;
        final long windowStart = t0 + warmupNs;
        final long windowEnd = windowStart + durationNs;
        final Step step = new Step(windowStart, windowEnd, n);
        cluster.step(step);
        final OpenLoopSubmitter submitter = new OpenLoopSubmitter(cluster, nextSeq);
        final Thread thread = new Thread(() -> {
            submitter.run(rate, t0, windowEnd, step);
            // Alive past the window's end, so the CPU snapshot taken there still counts this thread.
            sleepUntil(clock, windowEnd + SUBMITTER_LINGER_NS);
        }, "bench-submitter");
        thread.setDaemon(true);
        thread.start();

        sleepUntil(clock, windowStart);
        final ThreadCpu.Snapshot cpuBefore = cpu.take();
        final long roundBefore = cluster.agent(0).round();
        final long refusedBefore = cluster.mempoolRefused();
        sleepUntil(clock, windowEnd);
        final ThreadCpu.Snapshot cpuAfter = cpu.take();
        final long roundAfter = cluster.agent(0).round();
        final long refusedAfter = cluster.mempoolRefused();
        join(thread);
        nextSeq = submitter.nextSeq();
        final long expected = step.submittedInWindow - step.refusedInWindow;

        final long drainDeadline = clock.nanoTime() + drainNs;
        while (committedOwn(step) < expected && clock.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        cluster.step(null);
        LockSupport.parkNanos(SETTLE_NS);

        final Histogram latency = new Histogram(step.latencyNs[0].getHighestTrackableValue(), 3);
        for (int v = 0; v < n; v++) {
            PayloadSink.published(step, v);
            latency.add(step.latencyNs[v]);
        }
        PayloadSink.published(step, 0);
        final double windowSeconds = durationNs / 1e9;
        final Map<String, Double> cores = ThreadCpu.coresByRole(cpuBefore, cpuAfter);
        return new StepResult(rate, windowSeconds, step.submittedInWindow, step.refusedInWindow, refusedAfter - refusedBefore,
            committedOwn(step), step.committedInWindow[0] / windowSeconds, latency, (roundAfter - roundBefore) / windowSeconds,
            step.commitsInWindow[0] == 0 ? 0 : (double) step.committedInWindow[0] / step.commitsInWindow[0], cores, maxP99Ms);
    }

    /** Payloads of the window committed at the validator they were submitted to, all validators. */
    private static long committedOwn(final Step step) {
        long total = 0;
        for (int v = 0; v < step.committedOwn.length; v++) {
            PayloadSink.published(step, v);
            total += step.committedOwn[v];
        }
        return total;
    }

    private static void sleepUntil(final EpochNanoClock clock, final long deadlineNs) {
        long now;
        while ((now = clock.nanoTime()) < deadlineNs) {
            LockSupport.parkNanos(Math.min(deadlineNs - now, TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }

    private static void join(final Thread thread) {
        try {
            thread.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the submitter ran", e);
        }
    }
}
