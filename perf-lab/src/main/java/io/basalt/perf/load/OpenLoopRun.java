package io.basalt.perf.load;

import io.basalt.node.api.NodeApi;
import io.basalt.node.api.NodeStatus;
import io.basalt.node.api.SubmitResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-loop step against in-process validators.
 *
 * <pre>
 *   submitter j (of T): for i = j, j+T, …   wait until start + intendedNs(i)   (park; never skip, never wait for answers)
 *                                          submitNs[i] = now;  code[i] = validator(offered.validator(i)).submit(tx[i])
 *   validators' execution threads ──COMMITTED──▶ CommitTracker: commitNs[i] (on validator i % n only)
 *                                  (multi-shard: ──COMMITTED/SETTLED──▶ MixedTracker, see {@link #send})
 *   main thread: CPU and validator-0 status at window start and end; then drain until every
 *                accepted transaction is seen committed or the drain time is up
 * </pre>
 *
 * {@code NodeApi.submit} decodes, verifies the signature and admits on the calling thread, so the
 * submitters pay one Ed25519 verification per transaction, as the HTTP gateway's worker threads
 * would; HTTP parsing and the Aeron client path are not included. A submitter that falls behind
 * sends at once, late, and the lateness is charged to latency (see {@link OpenLoopSchedule}).
 */
final class OpenLoopRun {
    /** Lead time between building the step and its first intended send, so all submitters start on time. */
    private static final long START_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long DRAIN_POLL_MS = 100;

    private OpenLoopRun() {
    }

    /** What a step sends: transaction i's bytes and the validator (an index into the list) it goes to. */
    interface Offered {
        int size();

        byte[] transaction(int index);

        int validator(int index);
    }

    /** What the step's waiting needs from its tracker: it starts at the step's start and counts what is done. */
    interface Tracking {
        /** Called once, before anything is sent, with the step's start (System.nanoTime()). */
        void begin(long startNs);

        /** Accepted transactions whose every awaited event was seen: the drain ends when all accepted are. */
        long done();
    }

    /**
     * The validators as the step sees them: in this process ({@link #of}) or behind a client in
     * another JVM ({@code ClientRun}).
     */
    interface Cluster {
        /**
         * Sends transaction {@code index} to validator {@code validator} and returns the answer known at
         * once: the {@code RejectCode} ordinal, 0 for accepted. A client path that learns of a refusal
         * only later answers 0 and reports the refusal through its tracker.
         */
        byte submit(int validator, int index, byte[] transaction);

        /** Validator 0's {round, committed height}. */
        long[] progress();

        /** Every validator's metrics text (Prometheus), in validator order. */
        List<String> metricsTexts();

        static Cluster of(final List<? extends NodeApi> validators) {
            return new Cluster() {
                @Override
                public byte submit(final int validator, final int index, final byte[] transaction) {
                    final SubmitResult result = validators.get(validator).submit(transaction);
                    return (byte) result.code().ordinal();
                }

                @Override
                public long[] progress() {
                    final NodeStatus status = validators.getFirst().status();
                    return new long[] {status.round(), status.committedHeight()};
                }

                @Override
                public List<String> metricsTexts() {
                    return validators.stream().map(NodeApi::metricsText).toList();
                }
            };
        }
    }

    /** What the submitters and the window's samples left: the tracker holds the rest. */
    record Sent(long[] submitNs, byte[] codes, long accepted, CpuUsage cpu, StepRaw.NodeProgress progress,
                StageBreakdown stages) {
    }

    /** Records a step's finality (in this JVM: {@link CommitTracker}; through clients: {@code ClientRun}). */
    interface StepTracker {
        void begin(SignedWorkload workload, int validators, long startNs);

        /** Transactions whose answer is in (committed, or refused late). */
        long done();

        CommitTracker.Recorded end();
    }

    static StepRaw run(final String label, final Cluster validators, final int validatorCount,
                       final SignedWorkload workload, final OpenLoopSchedule schedule, final StepTracker tracker,
                       final int submitters, final long drainNs, final CpuSampler cpuSampler) throws InterruptedException {
        final Offered offered = new Offered() {
            @Override
            public int size() {
                return workload.size();
            }

            @Override
            public byte[] transaction(final int index) {
                return workload.transaction(index);
            }

            @Override
            public int validator(final int index) {
                return CommitTracker.validatorOf(index, validatorCount);
            }
        };
        final Tracking tracking = new Tracking() {
            @Override
            public void begin(final long startNs) {
                tracker.begin(workload, validatorCount, startNs);
            }

            @Override
            public long done() {
                return tracker.done();
            }
        };
        final Sent sent = send(validators, offered, schedule, tracking, submitters, drainNs, cpuSampler);
        final CommitTracker.Recorded recorded = tracker.end();
        if (recorded.lateCodes() != null) {
            // Refusals a client learnt of after the submit call returned.
            for (int i = 0; i < recorded.lateCodes().length; i++) {
                if (recorded.lateCodes()[i] != 0 && sent.codes()[i] == 0) {
                    sent.codes()[i] = recorded.lateCodes()[i];
                }
            }
        }
        return new StepRaw(label, schedule, sent.submitNs(), sent.codes(), recorded.commitNs(),
            recorded.failedExecutions(), sent.cpu(), sent.progress(), sent.stages());
    }

    /**
     * Runs the step: submitters send transaction i at its intended time to {@code offered.validator(i)};
     * CPU and validator 0's progress are sampled at the window's start and end; then it waits until
     * {@code tracking.done()} reaches the accepted count or the drain time is up. The caller ends
     * its tracker afterwards.
     */
    static Sent send(final List<? extends NodeApi> validators, final Offered offered, final OpenLoopSchedule schedule,
                     final Tracking tracking, final int submitters, final long drainNs, final CpuSampler cpuSampler)
        throws InterruptedException {
        return send(Cluster.of(validators), offered, schedule, tracking, submitters, drainNs, cpuSampler);
    }

    /**
     * As above, against any {@link Cluster}. Every validator's metrics are read at the window's start
     * and end, for the stage breakdown.
     */
    static Sent send(final Cluster validators, final Offered offered, final OpenLoopSchedule schedule,
                     final Tracking tracking, final int submitters, final long drainNs, final CpuSampler cpuSampler)
        throws InterruptedException {
        final int n = schedule.total();
        if (offered.size() != n) {
            throw new IllegalArgumentException("workload holds " + offered.size() + " transactions, schedule " + n);
        }
        final long[] submitNs = new long[n];
        final byte[] codes = new byte[n];
        Arrays.fill(submitNs, StepRaw.NOT_SENT);
        Arrays.fill(codes, StepRaw.NOT_SENT_CODE);
        final AtomicLong accepted = new AtomicLong();
        // Submitters stay alive until the window's CPU is sampled, so their CPU time is still readable.
        final CountDownLatch sampled = new CountDownLatch(1);
        final long startNs = System.nanoTime() + START_LEAD_NS;
        tracking.begin(startNs);

        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            final int first = t;
            threads.add(Thread.ofPlatform().name("load-submitter-" + t).start(() ->
            {
                submitLoop(first, submitters, validators, offered, schedule, startNs, submitNs, codes, accepted);
                awaitQuietly(sampled);
            }));
        }

        sleepUntil(startNs + schedule.warmupNs());
        final CpuSampler.Snapshot cpuBefore = cpuSampler.take();
        final long[] statusBefore = validators.progress();
        final List<String> metricsBefore = validators.metricsTexts();
        sleepUntil(startNs + schedule.windowEndNs());
        final CpuSampler.Snapshot cpuAfter = cpuSampler.take();
        final long[] statusAfter = validators.progress();
        final List<String> metricsAfter = validators.metricsTexts();
        sampled.countDown();
        for (final Thread thread : threads) {
            thread.join();
        }

        final long drainDeadline = System.nanoTime() + drainNs;
        while (tracking.done() < accepted.get() && System.nanoTime() < drainDeadline) {
            Thread.sleep(DRAIN_POLL_MS);
        }
        final CpuUsage cpu = CpuSampler.between(cpuBefore, cpuAfter);
        final StepRaw.NodeProgress progress = new StepRaw.NodeProgress(statusAfter[0] - statusBefore[0],
            statusAfter[1] - statusBefore[1],
            counterDelta(metricsBefore.getFirst(), metricsAfter.getFirst(), "basalt_net_messages_sent_total"),
            counterDelta(metricsBefore.getFirst(), metricsAfter.getFirst(), "basalt_net_bytes_sent_total"),
            cpu.wallNs() / 1e9);
        return new Sent(submitNs, codes, accepted.get(), cpu, progress, StageBreakdown.between(metricsBefore, metricsAfter));
    }

    private static void submitLoop(final int first, final int stride, final Cluster validators,
                                   final Offered offered, final OpenLoopSchedule schedule, final long startNs,
                                   final long[] submitNs, final byte[] codes, final AtomicLong accepted) {
        final int n = schedule.total();
        for (int i = first; i < n; i += stride) {
            final long now = sleepUntil(startNs + schedule.intendedNs(i));
            submitNs[i] = now - startNs;
            final byte code = validators.submit(offered.validator(i), i, offered.transaction(i));
            codes[i] = code;
            if (code == 0) {
                accepted.incrementAndGet();
            }
        }
    }

    private static long counterDelta(final String before, final String after, final String name) {
        return LoadGenerator.gauge(after, name) - LoadGenerator.gauge(before, name);
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Parks until {@code deadlineNs} and returns the time it woke. No spinning: on two shared cores a
     * spinning generator would take CPU from the validators it measures. Parking overshoots by tens of
     * microseconds; that lateness is charged to latency like any other.
     */
    private static long sleepUntil(final long deadlineNs) {
        long now;
        while ((now = System.nanoTime()) < deadlineNs) {
            LockSupport.parkNanos(deadlineNs - now);
        }
        return now;
    }
}
