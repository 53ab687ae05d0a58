package io.basalt.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code scripts/sim}: runs the simulator from the command line.
 *
 * <pre>
 *   scripts/sim --seed S                 replay one seed, print its summary
 *   scripts/sim --seeds N [--from S0]    run N seeds (S0, S0+1, ...), print failures and a tally
 *   scripts/sim --latency [--n 4]        fixed one-unit delays, no faults: latency in message delays
 *   options: --threads T (default: cores)
 * </pre>
 *
 * Exit code 0 when every run passed, 1 otherwise.
 */
public final class SimMain {
    private SimMain() {
    }

    public static void main(final String[] args) throws Exception {
        long seed = -1;
        int seeds = 0;
        long from = 1;
        int n = 4;
        boolean latency = false;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--from" -> from = Long.parseLong(args[++i]);
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--latency" -> latency = true;
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
        final boolean ok;
        if (latency) {
            ok = LatencyReport.print(n);
        } else if (seed >= 0) {
            final SimResult result = Simulation.run(Scenario.random(seed));
            System.out.println(result.summary());
            ok = result.passed();
        } else {
            ok = runMany(from, seeds == 0 ? 100 : seeds, threads).isEmpty();
        }
        System.exit(ok ? 0 : 1);
    }

    /** Runs seeds [from, from+count) on a few threads; returns the failures, printing each. */
    public static List<SimResult> runMany(final long from, final int count, final int threads) throws Exception {
        final long start = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        final List<Future<SimResult>> futures = new ArrayList<>(count);
        for (long s = from; s < from + count; s++) {
            final long seed = s;
            futures.add(pool.submit(() -> Simulation.run(Scenario.random(seed))));
        }
        final List<SimResult> failures = new ArrayList<>();
        final int[] perMix = new int[Scenario.FaultMix.values().length];
        long height = 0;
        for (final Future<SimResult> future : futures) {
            final SimResult result = future.get();
            perMix[result.scenario().mix().ordinal()]++;
            height += result.canonicalHeight();
            if (!result.passed()) {
                failures.add(result);
                System.out.println(result.summary());
            }
        }
        pool.shutdown();
        final StringBuilder mixes = new StringBuilder();
        for (final Scenario.FaultMix mix : Scenario.FaultMix.values()) {
            mixes.append(' ').append(mix).append('=').append(perMix[mix.ordinal()]);
        }
        System.out.printf("%d seeds from %d: %d passed, %d failed; mixes:%s; mean height %.1f; %.1f s%n",
            count, from, count - failures.size(), failures.size(), mixes, (double) height / count,
            (System.nanoTime() - start) / 1e9);
        return failures;
    }

    private static void usage() {
        System.out.println("usage: scripts/sim [--seed S | --seeds N [--from S0] | --latency [--n N]] [--threads T]");
    }
}
