package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** With fixed one-unit delays and no faults, leaders commit exactly three delays after they are proposed. */
@Tag("sim")
class LatencyTest {
    @Test
    void leadersCommitInThreeMessageDelays() {
        for (final int n : new int[] {4, 7, 10}) {
            final long delay = LatencyReport.DELAY_NS;
            final SimResult result = new Simulation(Scenario.unitDelays(3, n, delay, 200 * delay), true).execute();
            assertTrue(result.passed(), result::summary);
            assertTrue(result.leaderLatencyNs().count() > 100, "too few commits measured");
            assertEquals(3 * delay, result.leaderLatencyNs().min(), "n=" + n + " fastest leader commit");
            assertEquals(3 * delay, result.leaderLatencyNs().max(), "n=" + n + " slowest leader commit");
            final long p50 = result.transactionLatencyNs().percentile(50);
            assertTrue(p50 >= 3 * delay && p50 <= 6 * delay, "transaction p50 " + p50 / (double) delay + " delays");
        }
    }
}
