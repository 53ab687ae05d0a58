package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed campaign: 1,000 random single-shard seeds over every fault mix (loss, duplication,
 * partitions, crashes, equivocation, invalid blocks, withholding, flooding) and committee sizes 4,
 * 7 and 10, every validator executing what it commits with the real rules (so agreement extends
 * to equal state digests, and money and promised results are checked too). Any failure prints
 * its summary with {@code scripts/sim --seed S} to replay it. The multi-shard campaign is
 * {@link MultiShardCampaignTest}.
 */
@Tag("sim")
class SeedCampaignTest {
    static final int SEEDS = 1_000;

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void thousandSeedsKeepAgreementIntegrityAndLiveness() throws Exception {
        final List<SimResult> failures = SimMain.runMany(1, SEEDS, Runtime.getRuntime().availableProcessors());
        assertTrue(failures.isEmpty(), () -> failures.size() + " seeds failed, first: " + failures.get(0).summary());
    }

    @Test
    void everyFaultMixAndCommitteeSizeIsDrawn() {
        final int[] mixes = new int[Scenario.FaultMix.values().length];
        final int[] sizes = new int[11];
        for (long seed = 1; seed <= SEEDS; seed++) {
            final Scenario scenario = Scenario.random(seed);
            mixes[scenario.mix().ordinal()]++;
            sizes[scenario.validators()]++;
            assertTrue(scenario.crashes().size() + byzantine(scenario) <= scenario.maxFaulty(),
                () -> "more than f faulty validators in " + scenario);
        }
        for (final Scenario.FaultMix mix : Scenario.FaultMix.values()) {
            assertTrue(mixes[mix.ordinal()] >= SEEDS / 20, "mix " + mix + " drawn " + mixes[mix.ordinal()] + " times");
        }
        assertTrue(sizes[4] > 0 && sizes[7] > 0 && sizes[10] > 0, "committee sizes 4, 7 and 10 all appear");
    }

    @Test
    void aSeedReplaysExactly() {
        for (final long seed : new long[] {7, 1234, 99_999}) {
            final SimResult first = Simulation.run(Scenario.random(seed));
            final SimResult again = Simulation.run(Scenario.random(seed));
            assertEquals(first.events(), again.events(), "same events for seed " + seed);
            assertEquals(first.canonicalHeight(), again.canonicalHeight());
            assertEquals(first.committedTransactions(), again.committedTransactions());
            assertEquals(first.rejectedMessages(), again.rejectedMessages());
            assertEquals(first.finalRound(), again.finalRound());
        }
    }

    private static int byzantine(final Scenario scenario) {
        int count = 0;
        for (final Behaviour behaviour : scenario.behaviours()) {
            if (behaviour != Behaviour.HONEST) {
                count++;
            }
        }
        return count;
    }
}
