package io.basalt.node.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.net.Doorbell;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The agents' backoff: a ring cuts a long park short, the busy cap bounds it, work resets it. */
class WakeableIdleStrategyTest {
    private static final long MS = 1_000_000L;
    private static final long LONG_PARK_NS = 10_000 * MS;

    @Test
    void aRingWakesAThreadParkedForTheLongIdleCap() throws InterruptedException {
        final Doorbell doorbell = new Doorbell();
        // min = cap = 10 s: every park is the long one, so only a ring can end it early.
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(doorbell, LONG_PARK_NS, LONG_PARK_NS, LONG_PARK_NS, LONG_PARK_NS);
        final CountDownLatch parking = new CountDownLatch(1);
        final AtomicLong returnedAfterNs = new AtomicLong(-1);
        final Thread agent = Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; i < 25; i++) {
                idle.idle(); // 20 spins and 5 yields: no park yet
            }
            parking.countDown();
            final long start = System.nanoTime();
            idle.idle(); // the park
            returnedAfterNs.set(System.nanoTime() - start);
        });
        assertTrue(parking.await(5, TimeUnit.SECONDS));
        // Ring until it takes: the agent may not have announced its park yet when the first ring comes.
        final long deadline = System.nanoTime() + 2_000 * MS;
        while (agent.isAlive() && System.nanoTime() < deadline) {
            doorbell.ring();
            agent.join(5);
        }
        agent.join(500);
        assertTrue(!agent.isAlive(), "the ring was ignored: still parked");
        assertTrue(returnedAfterNs.get() >= 0 && returnedAfterNs.get() < 2_500 * MS,
            "idle() returned after " + returnedAfterNs.get() / MS + " ms of a 10 s park");
        assertTrue(doorbell.rings() >= 1, "a ring cut the park short");
    }

    @Test
    void whileBusyTheParkIsCappedShortWithoutARing() {
        final Doorbell doorbell = new Doorbell();
        // Parks start at 1 ms. Busy, they stay at 1 ms; were the busy cap ignored they would double
        // towards the 10 s idle cap: 12 parks would take 1 + 2 + ... + 2048 ms, about 4 s.
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(doorbell, MS, MS, LONG_PARK_NS, LONG_PARK_NS);
        idle.busy(true);
        for (int i = 0; i < 25; i++) {
            idle.idle(0);
        }
        final long start = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            idle.idle(0);
        }
        final long tookNs = System.nanoTime() - start;
        assertTrue(tookNs < 500 * MS, "12 busy parks of 1 ms took " + tookNs / MS + " ms");
    }

    @Test
    void becomingBusyCapsAParkThatHadGrownWhileIdle() {
        final Doorbell doorbell = new Doorbell();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(doorbell, MS, MS, LONG_PARK_NS, LONG_PARK_NS);
        idle.busy(false);
        for (int i = 0; i < 25 + 9; i++) {
            idle.idle(0); // parks of 1, 2, ..., 256 ms: the next would be 512 ms
        }
        idle.busy(true);
        final long start = System.nanoTime();
        idle.idle(0);
        final long tookNs = System.nanoTime() - start;
        assertTrue(tookNs < 250 * MS, "the first busy park must be capped at 1 ms, took " + tookNs / MS + " ms");
    }

    @Test
    void afterBusyEndsTheParksMayGrowPastTheBusyCap() throws InterruptedException {
        // Not an upper bound but the other side: idle, the cap is the long one. A thread idling
        // with busy(false) and a 300 ms idle cap must still be parked after the busy cap (1 ms)
        // has long passed; a ring then ends it.
        final Doorbell doorbell = new Doorbell();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(doorbell, 300 * MS, 300 * MS, LONG_PARK_NS, LONG_PARK_NS);
        idle.busy(false);
        final CountDownLatch parking = new CountDownLatch(1);
        final AtomicLong returnedAfterNs = new AtomicLong(-1);
        final Thread agent = Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; i < 25; i++) {
                idle.idle();
            }
            parking.countDown();
            final long start = System.nanoTime();
            idle.idle();
            returnedAfterNs.set(System.nanoTime() - start);
        });
        assertTrue(parking.await(5, TimeUnit.SECONDS));
        agent.join(2_000);
        // min park 300 ms, cap 10 s: the first park is 300 ms; it returns on its own, not instantly.
        assertTrue(!agent.isAlive());
        assertTrue(returnedAfterNs.get() >= 250 * MS, "an idle park of 300 ms returned after "
            + returnedAfterNs.get() / MS + " ms");
    }

    @Test
    void workResetsTheBackoff() {
        final Doorbell doorbell = new Doorbell();
        // A 200 ms first park: reaching the parking phase again would show in the time taken.
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(doorbell, 200 * MS, 200 * MS, 200 * MS, 200 * MS);
        for (int i = 0; i < 25; i++) {
            idle.idle(0);
        }
        long start = System.nanoTime();
        idle.idle(0);
        assertTrue(System.nanoTime() - start >= 150 * MS, "the 26th empty cycle parks");

        idle.idle(1); // work: back to spinning
        start = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            idle.idle(0); // spins and yields only
        }
        assertTrue(System.nanoTime() - start < 150 * MS, "after work the backoff starts over without parking");

        idle.reset();
        start = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            idle.idle();
        }
        assertTrue(System.nanoTime() - start < 150 * MS, "reset() starts over too");
    }

    @Test
    void rejectsInconsistentBounds() {
        final Doorbell d = new Doorbell();
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(d, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(d, 10, 5, 20, 20));
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(d, 1, 10, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> new WakeableIdleStrategy(d, 1, 1, 10, 5));
    }

    @Test
    void ringsOnlyParksAreBoundedByTheAgentsDeadline() {
        // Idle cap 1 ms, quiet cap 10 s. Rings only, with the next timer 5 ms away: parks grow to
        // 5 ms and no further, so 40 parks take about 0.2 s; were the deadline ignored they would
        // double towards 10 s.
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(new Doorbell(), MS, MS, MS, LONG_PARK_NS);
        final long start = System.nanoTime();
        for (int i = 0; i < 25 + 40; i++) {
            idle.ringsOnly(5 * MS);
            idle.idle();
        }
        final long tookNs = System.nanoTime() - start;
        assertTrue(tookNs < 2_000 * MS, "40 parks bounded by a 5 ms deadline took " + tookNs / MS + " ms");
        assertTrue(tookNs >= 100 * MS, "40 parks of up to 5 ms took only " + tookNs / MS + " ms");
    }

    @Test
    void ringsOnlyParksGrowPastTheIdleCapUntilARing() throws InterruptedException {
        // Idle cap 1 ms. With only rings to wait for and a far deadline, a thread that has parked a
        // while is still parked long after 1 ms; a ring ends the park at once.
        final Doorbell doorbell = new Doorbell();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(doorbell, 64 * MS, 64 * MS, 64 * MS, LONG_PARK_NS);
        final CountDownLatch parking = new CountDownLatch(1);
        final AtomicLong returnedAfterNs = new AtomicLong(-1);
        final Thread agent = Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; i < 30; i++) { // spins, yields, then parks of 64, 128, 256 ms...
                idle.ringsOnly(Long.MAX_VALUE);
                idle.idle();
            }
            parking.countDown();
            final long start = System.nanoTime();
            idle.ringsOnly(Long.MAX_VALUE);
            idle.idle();
            returnedAfterNs.set(System.nanoTime() - start);
        });
        assertTrue(parking.await(30, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertTrue(agent.isAlive(), "a rings-only park ended on its own within 300 ms (idle cap 64 ms)");
        doorbell.ring();
        agent.join(5_000);
        assertTrue(!agent.isAlive(), "the ring must end the park");
        assertTrue(returnedAfterNs.get() < LONG_PARK_NS / 2, "the ring, not the cap, ended the park");
    }
}
