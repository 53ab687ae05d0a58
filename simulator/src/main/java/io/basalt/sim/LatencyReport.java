package io.basalt.sim;

/**
 * Commit latency in message delays: fixed one-unit delays, no faults. A leader should commit
 * three delays after it is proposed (its block, the votes, the certificates); a transaction waits
 * in addition for its validator's next block and, when that block is not a leader, for the next
 * leader that references it.
 */
final class LatencyReport {
    static final long DELAY_NS = 10 * Scenario.MS;

    private LatencyReport() {
    }

    static boolean print(final int n) {
        boolean ok = true;
        for (final int leaders : new int[] {1, 2}) {
            final Scenario base = Scenario.unitDelays(42, n, DELAY_NS, 400 * DELAY_NS);
            final Scenario scenario = base.withCore(base.core().withLeadersPerRound(Math.min(leaders, n)));
            final SimResult result = new Simulation(scenario, true).execute();
            ok &= result.passed();
            System.out.printf("n=%d leaders/round=%d: leader commit latency (delays) min=%.2f p50=%.2f max=%.2f"
                    + " over %d commits; transaction latency (delays) p50=%.2f p90=%.2f p99=%.2f max=%.2f over %d txs%s%n",
                n, leaders,
                delays(result.leaderLatencyNs().min()), delays(result.leaderLatencyNs().percentile(50)),
                delays(result.leaderLatencyNs().max()), result.leaderLatencyNs().count(),
                delays(result.transactionLatencyNs().percentile(50)), delays(result.transactionLatencyNs().percentile(90)),
                delays(result.transactionLatencyNs().percentile(99)), delays(result.transactionLatencyNs().max()),
                result.transactionLatencyNs().count(), result.passed() ? "" : " FAILED " + result.violations());
        }
        return ok;
    }

    static double delays(final long ns) {
        return ns / (double) DELAY_NS;
    }
}
