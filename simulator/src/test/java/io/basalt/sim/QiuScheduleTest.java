package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A round-jumping schedule after Qiu, Xiao and Shao's liveness counterexample for Mysticeti
 * ({@link Scenario#qiuSchedule}; docs/consensus.md says how it differs from the published one):
 * four honest validators on a synchronous network whose adversary only delivers each round's
 * blocks to the next round's leader 10 ms late (the leader timeout is 30 ms). On the round rule
 * Basalt had before the Starfish pacemaker, that leader always holds the others' quorum of its own
 * round before it proposes, moves on to the round after, and leaves its slot empty: every slot
 * after round 1 is skipped and no transaction commits. On the current rule it makes the safe jump
 * into its own round first, and its block gets the votes. Measured (600 ms of virtual time): old
 * rule 21 rounds, height 1 (the round-1 leader, an empty block proposed at time 0), 0 of 168
 * transactions, a leader timeout every round; current rule 200 rounds, height 198, every
 * transaction, no leader timeout.
 */
@Tag("sim")
class QiuScheduleTest {
    private static final int N = 4;

    @Test
    void theOldRoundRuleCommitsNothingUnderTheSchedule() {
        final Simulation sim = new Simulation(Scenario.qiuSchedule().withWrongRule(WrongRule.UNSAFE_ROUND_ADVANCE));
        final SimResult result = sim.execute();
        assertFalse(result.passed(), result::summary);
        assertEquals(1, result.violations().size(), result::summary);
        assertTrue(result.violations().get(0).startsWith("liveness: ")
            && result.violations().get(0).contains("(transaction, correct validator) pairs uncommitted"),
            "the old rule fails liveness, and nothing else: " + result.summary());
        assertEquals(0, result.committedTransactions(), "not one transaction commits: " + result.summary());
        // The rounds go on (the committee is otherwise healthy), but slowly: no leader is ever there.
        assertTrue(result.finalRound() >= 15, "rounds advance: " + result.summary());
        for (int v = 0; v < N; v++) {
            assertTrue(sim.height(v) <= 1,
                "validator " + v + " committed more than the round-1 leader: " + sim.coreState(v));
            assertTrue(sim.skippedSlots(v) >= result.finalRound() - 4,
                "every slot after the first is skipped: validator " + v + " skipped " + sim.skippedSlots(v)
                    + " of " + result.finalRound() + " rounds");
            assertTrue(sim.leaderTimeouts(v) >= result.finalRound() - 8,
                "validator " + v + " waits out the absent leader nearly every round: " + sim.leaderTimeouts(v));
            assertEquals(0, sim.safeJumps(v), "the old rule never jumps safely");
        }
    }

    @Test
    void theStarfishRoundRuleCommitsEveryTransactionUnderTheSameSchedule() {
        final Simulation sim = new Simulation(Scenario.qiuSchedule());
        final SimResult result = sim.execute();
        assertTrue(result.passed(), result::summary);
        assertEquals(result.submittedTransactions(), result.committedTransactions(), result::summary);
        assertTrue(result.canonicalHeight() >= 150, "nearly every round commits its leader: " + result.summary());
        for (int v = 0; v < N; v++) {
            // The schedule is in force: the next leader is late every round, and jumps into its own round.
            assertTrue(sim.safeJumps(v) >= 30, "validator " + v + " made " + sim.safeJumps(v) + " safe jumps");
            assertEquals(0, sim.leaderTimeouts(v), "every leader's block is there in time: validator " + v);
        }
    }

    @Test
    void theOldRoundRuleCommitsWithoutTheAdversary() {
        // The same run with the adversary's late deliveries taken out: the failure above is the schedule's doing.
        final SimResult result = Simulation.run(Scenario.qiuSchedule().withSchedule(BlockSchedule.NONE)
            .withWrongRule(WrongRule.UNSAFE_ROUND_ADVANCE));
        assertTrue(result.passed(), result::summary);
        assertEquals(result.submittedTransactions(), result.committedTransactions(), result::summary);
    }
}
