package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aClientGetsAMinutesWorthAtOnceThenOneTokenPerPeriod() {
        final ClientRateLimiter limiter = new ClientRateLimiter(3); // one token per 20 s
        final long t0 = 1_000 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.tryAcquire("a", t0), "burst " + i);
        }
        assertFalse(limiter.tryAcquire("a", t0));
        assertFalse(limiter.tryAcquire("a", t0 + 19 * SECOND));
        assertTrue(limiter.tryAcquire("a", t0 + 20 * SECOND));
        assertFalse(limiter.tryAcquire("a", t0 + 20 * SECOND));
        assertTrue(limiter.tryAcquire("b", t0), "another client has its own bucket");
        // Idle long enough, the bucket is full again, and no fuller than full.
        final long later = t0 + 10 * 60 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.tryAcquire("a", later));
        }
        assertFalse(limiter.tryAcquire("a", later));
    }

    @Test
    void theTableOfClientsIsBounded() {
        final ClientRateLimiter limiter = new ClientRateLimiter(1);
        final long t0 = 1_000 * SECOND;
        for (int i = 0; i < ClientRateLimiter.MAX_CLIENTS; i++) {
            assertTrue(limiter.tryAcquire("client-" + i, t0));
        }
        assertFalse(limiter.tryAcquire("one-too-many", t0), "no room while every tracked client is mid-minute");
        assertTrue(limiter.tryAcquire("client-0", t0 + 60 * SECOND), "tracked clients keep being served");
        assertTrue(limiter.tryAcquire("newcomer", t0 + 61 * SECOND), "refilled buckets make room");
    }
}
