package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The swap table never makes one validator lead two slots of a round (simulator seeds 14 and 33 once did). */
class LeaderScheduleTest {
    @Test
    void aTableLeadsOnlyTheRoundsAfterTheCommitThatInstalledIt() {
        final LeaderSchedule schedule = new LeaderSchedule(7, 2);
        // Round 10: base leaders 6 (slot 0) and 0 (slot 1). Install {6 -> 2, 0 -> 5} after a commit in round 10.
        schedule.swap(new int[] {6, 0}, new int[] {2, 5}, 11);
        assertEquals(6, schedule.leader(10, 0), "the installing round keeps round-robin");
        assertEquals(0, schedule.leader(10, 1));
        // Round 14: base 0 (slot 0) and 1 (slot 1); 0 is swapped to 5.
        assertEquals(5, schedule.leader(14, 0));
        assertEquals(1, schedule.leader(14, 1));
    }

    @Test
    void aReplacementThatAlreadyLeadsTheRoundLeavesTheSlotToItsBaseLeader() {
        final LeaderSchedule schedule = new LeaderSchedule(7, 2);
        schedule.swap(new int[] {3}, new int[] {4}, 1);
        // Round 5: base leaders 3 and 4; giving 3's slot to 4 would make one block lead both slots.
        assertEquals(3, schedule.leader(5, 0));
        assertEquals(4, schedule.leader(5, 1));
        // Round 8: base leaders 2 and 3; 4 leads no slot of it, so 3's slot goes to 4.
        assertEquals(2, schedule.leader(8, 0));
        assertEquals(4, schedule.leader(8, 1));
    }
}
