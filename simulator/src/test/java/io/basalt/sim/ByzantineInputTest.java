package io.basalt.sim;

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

    private static int indexOf(final Scenario scenario, final Behaviour behaviour) {
        final int index = Arrays.asList(scenario.behaviours()).indexOf(behaviour);
        assertTrue(index >= 0, "scenario has no " + behaviour + " validator: " + scenario);
        return index;
    }
}
