package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A validator cut off from its committee for longer than the GC depth keeps admitting the
 * transactions clients send it, and puts them in its own blocks, which nobody receives. When the
 * partition heals those blocks are below everyone's GC round and can never be committed: unless the
 * validator proposes their transactions again, they vanish (the netns chaos campaign found it on real
 * processes: ChaosProcessTest, docs/chaos.md). The liveness checker requires every transaction sent to
 * a correct validator to commit on every correct validator.
 */
@Tag("sim")
class IsolatedValidatorTest {
    private static final long MS = Scenario.MS;

    @Test
    void transactionsAnIsolatedValidatorAdmittedCommitAfterTheHeal() {
        final Scenario base = Scenario.forMix(5, Scenario.FaultMix.CLEAN, 4);
        // Validator 3 alone from 20 ms to 300 ms: at 1-3 ms a round, well over gcDepth (50) rounds.
        final Scenario scenario = base
            .withPartitions(List.of(new Scenario.Partition(20 * MS, 300 * MS, 1L << 3)), 300 * MS, 900 * MS)
            .withLoad(120, 2 * MS, 900 * MS);
        final Simulation simulation = new Simulation(scenario);
        final SimResult result = simulation.execute();
        assertTrue(result.finalRound() > 2L * scenario.core().gcDepth(), "the partition must outlast the GC depth: "
            + result.summary());
        assertTrue(result.passed(), result::summary);
        assertTrue(simulation.reproposedTransactions(3) > 0, "the isolated validator proposed its stranded transactions again");
        for (int v = 0; v < 3; v++) {
            assertTrue(simulation.reproposedTransactions(v) == 0, "validator " + v + " was never cut off, nothing to re-propose");
        }
    }
}
