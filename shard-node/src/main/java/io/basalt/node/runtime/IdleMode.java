package io.basalt.node.runtime;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import io.basalt.node.net.Doorbell;
import io.basalt.node.net.WakeableIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * How the node's threads wait for work ({@code NodeConfig.idleStrategy}).
 *
 * <ul>
 *   <li>{@code backoff} (default): agents spin a little, yield, then park from 1 µs up to
 *       {@link #BUSY_MAX_PARK_NS} while they have work in flight, 1 ms when idle, and up to their next
 *       timer (at most {@link #QUIET_MAX_PARK_NS}) when idle with every input able to ring; work from
 *       inside the process (admitted transactions, verified blocks, Aeron IPC messages of
 *       co-located validators) rings the agent's {@link Doorbell} and wakes it at once. Rings
 *       block on a lock. An idle validator costs almost nothing and four of them share two cores.</li>
 *   <li>{@code sleeping}: agents sleep 1 ms between empty duty cycles. The cheapest, the slowest.</li>
 *   <li>{@code busy}: agents and rings spin. Only with a dedicated core per thread.</li>
 * </ul>
 */
public enum IdleMode {
    BACKOFF, SLEEPING, BUSY;

    /** The longest park of a busy agent: how late it may notice a message from another process. */
    public static final long BUSY_MAX_PARK_NS = 50_000L;
    /** The longest park of an idle agent that a message from another process may still wake. */
    public static final long IDLE_MAX_PARK_NS = 1_000_000L;
    /** The longest park of an idle agent whose every input rings its doorbell (a local cluster). */
    public static final long QUIET_MAX_PARK_NS = 50_000_000L;

    public static IdleMode parse(final String name) {
        return switch (name) {
            case "backoff" -> BACKOFF;
            case "sleeping" -> SLEEPING;
            case "busy" -> BUSY;
            default -> throw new IllegalArgumentException("idle strategy must be backoff, sleeping or busy: " + name);
        };
    }

    /** A fresh idle strategy for one agent (they keep per-thread state) that {@code doorbell} can wake. */
    public IdleStrategy agentIdleStrategy(final Doorbell doorbell) {
        return switch (this) {
            case BACKOFF -> new WakeableIdleStrategy(doorbell, 1_000L, BUSY_MAX_PARK_NS, IDLE_MAX_PARK_NS, QUIET_MAX_PARK_NS);
            case SLEEPING -> new SleepingMillisIdleStrategy(1);
            case BUSY -> new BusySpinIdleStrategy();
        };
    }

    /**
     * A fresh wait strategy for one Disruptor ring: consumers block on a lock and each publish
     * signals them, so they wake on arrival. (Signalling only waiting consumers, Disruptor's
     * LiteTimeoutBlockingWaitStrategy, measured no different at 1,000 tx/s on the 2-core box.)
     */
    public WaitStrategy ringWaitStrategy() {
        return this == BUSY ? new BusySpinWaitStrategy() : new BlockingWaitStrategy();
    }

    public boolean dedicatedCores() {
        return this == BUSY;
    }
}
