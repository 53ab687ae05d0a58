package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.dag.RejectReason;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Byzantine input is refused with a reason counted against the sender, and honest validators keep going. */
@Tag("sim")
class ByzantineInputTest {
    @Test
    void invalidBlocksAreCountedAgainstTheirSender() {
        final Scenario scenario = Scenario.forMix(21, Scenario.FaultMix.INVALID, 4);
        final int byzantine = indexOf(scenario, Behaviour.INVALID);
        final Simulation simulation = new Simulation(scenario);
        final SimResult result = simulation.execute();
        assertTrue(result.passed(), result::summary);
        for (int v = 0; v < scenario.validators(); v++) {
            if (v == byzantine) {
                continue;
            }
            final long malformed = simulation.rejectCount(v, byzantine, RejectReason.MALFORMED);
            final long badSignature = simulation.rejectCount(v, byzantine, RejectReason.BAD_SIGNATURE);
            final long badTransaction = simulation.rejectCount(v, byzantine, RejectReason.BAD_TRANSACTION);
            assertTrue(malformed > 0 && badSignature > 0 && badTransaction > 0,
                "validator " + v + " counted malformed=" + malformed + " badSignature=" + badSignature
                    + " badTransaction=" + badTransaction + " against " + byzantine);
            for (int peer = 0; peer < scenario.validators(); peer++) {
                if (peer != byzantine) {
                    assertTrue(simulation.rejectCount(v, peer, RejectReason.BAD_SIGNATURE) == 0,
                        "honest peer " + peer + " blamed for a bad signature");
                }
            }
        }
    }

    @Test
    void floodingFarAheadIsDroppedAndBounded() {
        final Scenario scenario = Scenario.forMix(22, Scenario.FaultMix.FLOOD_AHEAD, 4);
        final int byzantine = indexOf(scenario, Behaviour.FLOOD_AHEAD);
        final Simulation simulation = new Simulation(scenario);
        final SimResult result = simulation.execute();
        assertTrue(result.passed(), result::summary);
        for (int v = 0; v < scenario.validators(); v++) {
            if (v != byzantine) {
                assertTrue(simulation.rejectCount(v, byzantine, RejectReason.TOO_FAR_AHEAD) > 0,
                    "validator " + v + " never dropped a far-ahead block");
            }
        }
        assertTrue(result.maxPendingBlocks() <= scenario.core().maxPendingPerAuthor() + 4L * scenario.validators(),
            "pending grew to " + result.maxPendingBlocks());
    }

    /**
     * A validator stamping its blocks an hour ahead is refused by every peer (TIMESTAMP_AHEAD), so
     * consensus time, against which expiries are checked, never runs ahead of the honest clock.
     */
    @Test
    void blocksStampedFarAheadAreRefusedAndConsensusTimeStaysWithTheClock() {
        final Scenario scenario = Scenario.forMix(23, Scenario.FaultMix.SKEW_AHEAD, 4);
        final int byzantine = indexOf(scenario, Behaviour.SKEW_AHEAD);
        final Simulation simulation = new Simulation(scenario);
        final SimResult result = simulation.execute();
        assertTrue(result.passed(), result::summary);
        final long boundMs = scenario.endAtNs() / 1_000_000 + scenario.core().maxTimestampAheadNs() / 1_000_000;
        for (int v = 0; v < scenario.validators(); v++) {
            if (v == byzantine) {
                continue;
            }
            assertTrue(simulation.rejectCount(v, byzantine, RejectReason.TIMESTAMP_AHEAD) > 0,
                "validator " + v + " never refused a skewed block");
            final long time = simulation.consensusTimeMs(v);
            assertTrue(time > 0 && time <= boundMs, "validator " + v + " consensus time " + time + " ms, bound " + boundMs);
            for (int peer = 0; peer < scenario.validators(); peer++) {
                if (peer != byzantine) {
                    assertEquals(0, simulation.rejectCount(v, peer, RejectReason.TIMESTAMP_AHEAD), "honest " + peer + " blamed");
                }
            }
        }
    }

    /**
     * A validator asking every peer for ranges and blocks dozens of times a round is refused past its
     * serving budget (OVER_BUDGET), and what each honest peer sends it stays within the budget.
     */
    @Test
    void requestFloodsAreServedOnlyWithinTheBudget() {
        final Scenario scenario = Scenario.forMix(24, Scenario.FaultMix.REQUEST_FLOOD, 4);
        final int byzantine = indexOf(scenario, Behaviour.REQUEST_FLOOD);
        final Simulation simulation = new Simulation(scenario);
        final SimResult result = simulation.execute();
        assertTrue(result.passed(), result::summary);
        final long budget = maxServed(scenario);
        for (int v = 0; v < scenario.validators(); v++) {
            if (v == byzantine) {
                continue;
            }
            assertTrue(simulation.rejectCount(v, byzantine, RejectReason.OVER_BUDGET) > 0,
                "validator " + v + " served every request of the flood");
            final long served = simulation.servedBlocks(v, byzantine);
            assertTrue(served <= budget, "validator " + v + " sent the flooder " + served + " blocks, budget " + budget);
        }
    }

    /**
     * Two withholding validators of seven send their blocks to two peers each and answer no request.
     * Honest validators they leave out used to ask the withholder that referenced a missing block
     * first and wait a whole retry period for each ancestor: one fell behind for good and the
     * committee crawled (28 rounds in the run). Now every peer that referenced a block is a known
     * holder asked soon after, and current peers get withheld parents pushed.
     */
    @Test
    void withholdingValidatorsDoNotStarveTheHonestOnesTheyLeaveOut() {
        final Scenario scenario = Scenario.random(295);
        assertEquals(Scenario.FaultMix.WITHHOLD, scenario.mix(), "seed 295 is the withholding case it was found with");
        final SimResult result = Simulation.run(scenario);
        assertTrue(result.passed(), result::summary);
        assertTrue(result.finalRound() >= 50, "the committee advanced only to round " + result.finalRound());
    }

    /** What the serving budget allows one peer over a whole run: the rate for the run's length, the burst, one answer. */
    private static long maxServed(final Scenario scenario) {
        return (long) scenario.core().servedBlocksPerPeerPerSecond() * scenario.endAtNs() / 1_000_000_000L
            + 3L * scenario.core().maxResponseBlocks();
    }

    private static int indexOf(final Scenario scenario, final Behaviour behaviour) {
        final int index = Arrays.asList(scenario.behaviours()).indexOf(behaviour);
        assertTrue(index >= 0, "scenario has no " + behaviour + " validator: " + scenario);
        return index;
    }
}
