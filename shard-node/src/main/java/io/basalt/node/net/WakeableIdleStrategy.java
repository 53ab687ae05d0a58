package io.basalt.node.net;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * Backoff that another thread can cut short. After an empty duty cycle the agent spins a little,
 * yields a little, then parks for a time that doubles from {@code minParkNs} up to a cap; a
 * {@link Doorbell#ring()} unparks it at once. The agent sets the cap each duty cycle:
 * <ul>
 *   <li>{@link #busy busy(true)}: work in flight that peers in other processes may answer at any
 *       moment (they cannot ring), so the park stays short;</li>
 *   <li>{@link #busy busy(false)}: idle, but something that cannot ring may still arrive (a UDP
 *       peer, a client): parks grow to the idle cap;</li>
 *   <li>{@link #ringsOnly}: idle, and everything that can bring work rings this doorbell, so the
 *       agent need only look again at its own next deadline (up to the quiet cap). An idle local
 *       cluster costs almost nothing this way.</li>
 * </ul>
 */
public final class WakeableIdleStrategy implements IdleStrategy {
    private static final int SPINS = 20;
    private static final int YIELDS = 5;

    private final Doorbell doorbell;
    private final long minParkNs;
    private final long busyMaxParkNs;
    private final long idleMaxParkNs;
    private final long quietMaxParkNs;
    private long capNs;
    private int spins;
    private int yields;
    private long parkNs;

    public WakeableIdleStrategy(final Doorbell doorbell, final long minParkNs, final long busyMaxParkNs,
                                final long idleMaxParkNs, final long quietMaxParkNs) {
        if (minParkNs < 1 || busyMaxParkNs < minParkNs || idleMaxParkNs < busyMaxParkNs || quietMaxParkNs < idleMaxParkNs) {
            throw new IllegalArgumentException("need 1 <= minParkNs <= busyMaxParkNs <= idleMaxParkNs <= quietMaxParkNs");
        }
        this.doorbell = doorbell;
        this.minParkNs = minParkNs;
        this.busyMaxParkNs = busyMaxParkNs;
        this.idleMaxParkNs = idleMaxParkNs;
        this.quietMaxParkNs = quietMaxParkNs;
        this.capNs = idleMaxParkNs;
        reset();
    }

    /** Set by the agent each duty cycle: busy caps parks short, idle at the idle cap. */
    public void busy(final boolean busy) {
        capNs = busy ? busyMaxParkNs : idleMaxParkNs;
    }

    /**
     * Set by the agent each duty cycle instead of {@link #busy} when it is idle and only a ring can
     * bring it work: parks may grow up to {@code untilDeadlineNs} (the agent's next timer), within
     * [minParkNs, quietMaxParkNs].
     */
    public void ringsOnly(final long untilDeadlineNs) {
        capNs = Math.max(minParkNs, Math.min(quietMaxParkNs, untilDeadlineNs));
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
            final long cap = capNs;
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
