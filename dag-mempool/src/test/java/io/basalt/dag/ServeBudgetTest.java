package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServeBudgetTest {
    private static final long MS = 1_000_000L;

    @Test
    void aLargeAnswerLeavesTheBucketInDebtUntilItRefills() {
        final ServeBudget budget = new ServeBudget(2, 1_000, 10);
        assertTrue(budget.allows(0, 0));
        budget.charge(0, 64);
        assertEquals(-54, budget.balance(0, 0), 1e-9);
        assertFalse(budget.allows(0, 54 * MS), "exactly out of debt is still not above zero");
        assertTrue(budget.allows(0, 55 * MS));
        assertTrue(budget.allows(1, 0), "peers are independent");
        assertEquals(10, budget.balance(0, 10_000 * MS), 1e-9, "refills up to the burst only");
    }

    @Test
    void theLongRunRateIsBoundedWhateverThePeerAsks() {
        final ServeBudget budget = new ServeBudget(1, 500, 20);
        long served = 0;
        for (long t = 0; t <= 1_000 * MS; t += MS / 10) {
            while (budget.allows(0, t)) {
                budget.charge(0, 7);
                served += 7;
            }
        }
        // 500 blocks/s over 1 s plus the burst, plus at most one answer taken on the last token.
        assertTrue(served <= 500 + 20 + 7, "served " + served);
        assertTrue(served >= 500 - 7, "served " + served);
    }

    @Test
    void aBudgetNeedsARateAndABurst() {
        assertThrows(IllegalArgumentException.class, () -> new ServeBudget(1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ServeBudget(1, 10, 0));
    }
}
