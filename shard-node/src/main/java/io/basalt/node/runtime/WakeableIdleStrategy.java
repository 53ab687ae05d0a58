package io.basalt.node.runtime;

import io.basalt.node.net.Doorbell;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * Backoff that another thread can cut short. After an empty duty cycle the agent spins a little,
 * yields a little, then parks for a time that doubles from {@code minParkNs} up to a cap; a
 * {@link Doorbell#ring()} unparks it at once. The cap is short while the agent says it is busy
 * (work in flight that peers in other processes may answer at any moment, and they cannot ring),
 * and long when it is idle, so an idle validator costs almost nothing.
 */
final class WakeableIdleStrategy implements IdleStrategy {
    private static final int SPINS = 20;
    private static final int YIELDS = 5;

    private final Doorbell doorbell;
    private final long minParkNs;
    private final long busyMaxParkNs;
    private final long idleMaxParkNs;
    private boolean busy;
    private int spins;
    private int yields;
    private long parkNs;

    WakeableIdleStrategy(final Doorbell doorbell, final long minParkNs, final long busyMaxParkNs, final long idleMaxParkNs) {
        if (minParkNs < 1 || busyMaxParkNs < minParkNs || idleMaxParkNs < busyMaxParkNs) {
            throw new IllegalArgumentException("need 1 <= minParkNs <= busyMaxParkNs <= idleMaxParkNs");
        }
        this.doorbell = doorbell;
        this.minParkNs = minParkNs;
        this.busyMaxParkNs = busyMaxParkNs;
        this.idleMaxParkNs = idleMaxParkNs;
        reset();
    }

    /** Set by the agent each duty cycle: busy caps parks short. */
    void busy(final boolean busy) {
        this.busy = busy;
    }

    @Override
    public void idle(final int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < SPINS) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < YIELDS) {
            yields++;
            Thread.yield();
        } else {
            final long cap = busy ? busyMaxParkNs : idleMaxParkNs;
            parkNs = Math.min(parkNs, cap);
            doorbell.beforePark();
            LockSupport.parkNanos(parkNs);
            doorbell.afterPark();
            parkNs = Math.min(parkNs << 1, cap);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNs = minParkNs;
    }

    @Override
    public String alias() {
        return "wakeable";
    }
}
