package io.basalt.node.net;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes one parked agent thread when work arrives for it from inside the process: an admitted
 * transaction, a verified block, a message a co-located validator published on Aeron IPC. The
 * agent's idle strategy announces that it is about to park; {@link #ring()} unparks it then, and
 * costs one volatile read otherwise. A ring that races with the announcement is not lost for long:
 * the park is bounded (see {@code WakeableIdleStrategy}).
 *
 * <p>Work from other processes (UDP) cannot ring: Aeron delivers it into the subscription's log
 * without telling anyone, and the agent sees it when its bounded park ends.
 */
public final class Doorbell {
    private volatile Thread owner;
    private volatile boolean parked;
    private final AtomicLong rings = new AtomicLong();

    /** Called by the agent's own thread when it is about to park. */
    public void beforePark() {
        if (owner == null) {
            owner = Thread.currentThread();
        }
        parked = true;
    }

    /** Called by the agent's own thread when its park returns. */
    public void afterPark() {
        parked = false;
    }

    /** Wakes the owner if it is parked. Any thread. */
    public void ring() {
        if (parked) {
            final Thread thread = owner;
            if (thread != null) {
                parked = false;
                rings.incrementAndGet(); // before the unpark, so the woken owner sees it counted
                LockSupport.unpark(thread);
            }
        }
    }

    /** How many rings found the owner parked and unparked it (only those: a ring of a running owner costs a read). */
    public long rings() {
        return rings.get();
    }
}
