package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The checkers can fail: with a deliberately wrong commit rule (certificates and direct commits
 * from f+1 instead of 2f+1) the simulator must report a violation within a bounded number of
 * seeds. Measured: the first violating seed is 2, and about 1 seed in 13 violates (15 of the
 * first 200, with every validator also executing its commits since the simulator runs the rules).
 */
@Tag("sim")
class WrongCommitRuleTest {
    static final int SEED_BUDGET = 200;

    @Test
    void fPlusOneCertificatesAreCaughtWithinTheSeedBudget() {
        int caught = 0;
        String firstFailure = null;
        for (long seed = 1; seed <= SEED_BUDGET && caught < 3; seed++) {
            final Scenario scenario = Scenario.random(seed);
            final Scenario wrong = scenario.withCore(scenario.core().withUnsafeCertificateThreshold(scenario.maxFaulty() + 1));
            final SimResult result = Simulation.run(wrong);
            if (!result.passed()) {
                caught++;
                if (firstFailure == null) {
                    firstFailure = result.summary();
                }
            }
        }
        assertTrue(caught >= 3, "an f+1 commit rule went unnoticed for " + SEED_BUDGET + " seeds");
        assertTrue(firstFailure.contains("agreement") || firstFailure.contains("integrity")
            || firstFailure.contains("invariant"), "the wrong rule must break safety, not only liveness: " + firstFailure);
    }

    @Test
    void theSafeRuleOnTheSameSeedsPasses() {
        for (long seed = 1; seed <= 20; seed++) {
            final SimResult result = Simulation.run(Scenario.random(seed));
            assertTrue(result.passed(), result::summary);
        }
    }
}
