package io.basalt.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;

/**
 * {@code scripts/sim}: runs the simulator from the command line.
 *
 * <pre>
 *   scripts/sim --seed S                      replay one single-shard seed, print its summary
 *   scripts/sim --seeds N [--from S0]         run N single-shard seeds (S0, S0+1, ...): failures and a tally
 *   scripts/sim --shards K --seed S           replay one seed of K shards
 *   scripts/sim --shards K --seeds N [--from S0]   the multi-shard campaign over K shards
 *   scripts/sim --latency [--n 4]             fixed one-unit delays, no faults: latency in message delays
 *   scripts/sim --scale                       clean runs of 2, 8, 32, 64 shards x 4: cross-shard cost per transaction
 *   scripts/sim --schedule qiu                the round-jumping schedule of Qiu et al. (Scenario#qiuSchedule)
 *   options: --jobs J (or --threads J; default: cores),
 *            --wrong-rule LENIENT_CERTIFICATES|SEQ_BLIND|UNSAFE_ROUND_ADVANCE (to replay a wrong-rule seed or schedule)
 * </pre>
 *
 * Exit code 0 when every run passed, 1 otherwise.
 */
public final class SimMain {
    private SimMain() {
    }

    public static void main(final String[] args) throws Exception {
        long seed = -1;
        long seeds = 0;
        long from = 1;
        int n = 4;
        int shards = 1;
        boolean latency = false;
        boolean scale = false;
        String schedule = null;
        WrongRule wrongRule = WrongRule.NONE;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--seeds" -> seeds = Long.parseLong(args[++i]);
                case "--from" -> from = Long.parseLong(args[++i]);
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--threads", "--jobs" -> threads = Integer.parseInt(args[++i]);
                case "--latency" -> latency = true;
                case "--scale" -> scale = true;
                case "--schedule" -> schedule = args[++i];
                case "--wrong-rule" -> wrongRule = WrongRule.valueOf(args[++i]);
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("sim: unknown argument " + args[i]);
                    usage();
                    System.exit(2);
                }
            }
        }
        final LongFunction<Scenario> scenarios = scenarios(shards, wrongRule);
        final boolean ok;
        if (latency) {
            ok = LatencyReport.print(n);
        } else if (scale) {
            ok = ScaleReport.print(System.out);
        } else if (schedule != null) {
            if (!"qiu".equals(schedule)) {
                System.err.println("sim: unknown schedule " + schedule + " (known: qiu)");
                System.exit(2);
            }
            final SimResult result = Simulation.run(Scenario.qiuSchedule().withWrongRule(wrongRule));
            System.out.println(result.summary());
            ok = result.passed();
        } else if (seed >= 0) {
            final SimResult result = Simulation.run(scenarios.apply(seed));
            System.out.println(result.summary());
            ok = result.passed();
        } else {
            ok = runMany(from, seeds == 0 ? 100 : seeds, threads, scenarios).isEmpty();
        }
        System.exit(ok ? 0 : 1);
    }

    /** The scenario of each seed: single-shard for one shard, else the multi-shard draw over {@code shards}. */
    static LongFunction<Scenario> scenarios(final int shards, final WrongRule rule) {
        if (shards < 1 || shards > Scenario.MAX_SHARDS) {
            throw new IllegalArgumentException("--shards takes 1 to " + Scenario.MAX_SHARDS + ": " + shards);
        }
        return seed -> (shards == 1 ? Scenario.random(seed) : Scenario.multiShard(seed, shards)).withWrongRule(rule);
    }

    private static final long PROGRESS_INTERVAL_NS = 30_000_000_000L;

    /** Runs single-shard seeds [from, from+count); returns the failures, printing each. */
    public static List<SimResult> runMany(final long from, final long count, final int threads) throws Exception {
        return runMany(from, count, threads, Scenario::random);
    }

    /**
     * Runs the scenarios of seeds [from, from+count) on {@code threads} threads; returns the failures,
     * printing each, a progress line every 30 s and a tally with seeds per second. Only failures are
     * kept, and at most a few runs per thread are in flight, so a soak of millions of seeds runs in
     * constant memory.
     */
    public static List<SimResult> runMany(final long from, final long count, final int threads,
                                          final LongFunction<Scenario> scenarioOf) throws Exception {
        final long start = System.nanoTime();
        final int jobs = Math.max(1, threads);
        final ExecutorService pool = Executors.newFixedThreadPool(jobs);
        final ExecutorCompletionService<SimResult> done = new ExecutorCompletionService<>(pool);
        final int window = jobs * 4;
        final Tally tally = new Tally();
        final List<SimResult> failures = new ArrayList<>();
        long submitted = 0;
        long finished = 0;
        long nextProgressNs = start + PROGRESS_INTERVAL_NS;
        try {
            while (finished < count) {
                while (submitted < count && submitted - finished < window) {
                    final long seed = from + submitted++;
                    done.submit(() -> Simulation.run(scenarioOf.apply(seed)));
                }
                final SimResult result = done.take().get();
                finished++;
                tally.add(result);
                if (!result.passed()) {
                    failures.add(result);
                    System.out.println(result.summary());
                }
                final long now = System.nanoTime();
                if (now >= nextProgressNs) {
                    nextProgressNs = now + PROGRESS_INTERVAL_NS;
                    System.out.printf("  %d of %d seeds, %d failed, %.1f seeds/s%n", finished, count, failures.size(),
                        finished / ((now - start) / 1e9));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        tally.print(from, count, jobs, failures, (System.nanoTime() - start) / 1e9);
        return failures;
    }

    /** Seeds run and failed per fault mix (and per cross-shard mix when there is more than one shard). */
    private static final class Tally {
        final long[][] perMix = new long[Scenario.FaultMix.values().length][2];
        final long[][] perCross = new long[Scenario.CrossMix.values().length][2];
        long height;
        long settled;
        long swaps;
        long drained;
        boolean multiShard;

        void add(final SimResult r) {
            final int failed = r.passed() ? 0 : 1;
            perMix[r.scenario().mix().ordinal()][0]++;
            perMix[r.scenario().mix().ordinal()][1] += failed;
            perCross[r.scenario().crossMix().ordinal()][0]++;
            perCross[r.scenario().crossMix().ordinal()][1] += failed;
            height += r.canonicalHeight();
            settled += r.cross().settledTransfers();
            swaps += r.cross().swapsCommitted() + r.cross().swapsAborted();
            drained += r.cross().drainChecked() ? 1 : 0;
            multiShard |= r.scenario().shards() > 1;
        }

        void print(final long from, final long count, final int jobs, final List<SimResult> failures,
                   final double seconds) {
            System.out.printf("%d seeds from %d: %d passed, %d failed; mixes:%s; mean height %.1f; %.1f s,"
                    + " %.1f seeds/s on %d jobs%n",
                count, from, count - failures.size(), failures.size(), mixes(Scenario.FaultMix.values(), perMix),
                (double) height / count, seconds, count / seconds, jobs);
            if (multiShard) {
                System.out.printf("  cross-shard mixes:%s; %d transfers settled, %d swaps decided; %d runs ended"
                    + " quiet and were checked drained%n", mixes(Scenario.CrossMix.values(), perCross), settled, swaps, drained);
            }
            if (!failures.isEmpty()) {
                final StringBuilder seeds = new StringBuilder();
                for (final SimResult f : failures) {
                    seeds.append(' ').append(f.scenario().seed());
                }
                System.out.println("  failing seeds:" + seeds);
            }
        }

        private static String mixes(final Enum<?>[] names, final long[][] counts) {
            final StringBuilder b = new StringBuilder();
            for (final Enum<?> mix : names) {
                final long[] c = counts[mix.ordinal()];
                b.append(' ').append(mix).append('=').append(c[0]);
                if (c[1] > 0) {
                    b.append(" (").append(c[1]).append(" failed)");
                }
            }
            return b.toString();
        }
    }

    private static void usage() {
        System.out.println("usage: scripts/sim [--shards K] [--seed S | --seeds N [--from S0]] [--wrong-rule RULE]"
            + " | --schedule qiu [--wrong-rule RULE] | --latency [--n N] | --scale  [--jobs J]");
    }
}
