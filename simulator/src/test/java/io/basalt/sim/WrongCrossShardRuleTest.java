package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cross-shard checkers can fail: with a deliberately wrong rule (see {@link WrongRule}) the
 * multi-shard campaign's seeds must report a violation within {@value #SEED_BUDGET} seeds, and the
 * violation must be one of money or exactly-once, not only of liveness.
 *
 * <ul>
 *   <li>SEQ_BLIND (a destination applies a batch it applied before): every run carries duplicate
 *       copies of certified batches (each validator of the destination proposes what it
 *       certified), so the first seed catches it.</li>
 *   <li>LENIENT_CERTIFICATES (f+1 signatures count as a quorum): harmless while at most f validators
 *       of a shard misbehave, since honest validators sign only batches their shard cut. It shows
 *       once f+1 sign a conflicting batch: the COLLUDE mix, which the 2f+1 rule withstands.</li>
 * </ul>
 */
@Tag("sim")
class WrongCrossShardRuleTest {
    static final int SEED_BUDGET = 200;
    static final int CAUGHT_ENOUGH = 2;

    @Test
    void aDestinationThatIgnoresTheSeqIsCaught() {
        assertCaught(WrongRule.SEQ_BLIND);
    }

    @Test
    void fPlusOneCertificatesAreCaught() {
        assertCaught(WrongRule.LENIENT_CERTIFICATES);
    }

    private static void assertCaught(final WrongRule rule) {
        final List<Long> caught = new ArrayList<>();
        String first = null;
        for (long seed = 1; seed <= SEED_BUDGET && caught.size() < CAUGHT_ENOUGH; seed++) {
            final Scenario right = MultiShardCampaignTest.SCENARIOS.apply(seed);
            final SimResult wrong = Simulation.run(right.withWrongRule(rule));
            if (!wrong.passed()) {
                caught.add(seed);
                if (first == null) {
                    first = wrong.summary();
                }
                final SimResult safe = Simulation.run(right);
                assertTrue(safe.passed(), () -> "the right rule fails the seed that caught " + rule + ": " + safe.summary());
            }
        }
        System.out.println(rule + " caught at seeds " + caught + "; first: " + first);
        assertTrue(caught.size() >= CAUGHT_ENOUGH, rule + " went unnoticed for " + SEED_BUDGET + " seeds");
        final String violation = first.substring(0, first.indexOf(" | "));
        assertTrue(violation.contains("exactly-once") || violation.contains("certificate") || violation.contains("supply"),
            "the wrong rule must break money or exactly-once, not only liveness: " + first);
    }
}
