package io.basalt.node.runtime;

import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import io.basalt.node.net.Doorbell;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * How the node's threads wait for work ({@code NodeConfig.idleStrategy}).
 *
 * <ul>
 *   <li>{@code backoff} (default): agents spin a little, yield, then park from 1 µs up to 1 ms
 *       when idle and up to {@link #BUSY_MAX_PARK_NS} while they have work in flight; work from
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
    /** The longest park of an idle agent. */
    public static final long IDLE_MAX_PARK_NS = 1_000_000L;

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
            case BACKOFF -> new WakeableIdleStrategy(doorbell, 1_000L, BUSY_MAX_PARK_NS, IDLE_MAX_PARK_NS);
            case SLEEPING -> new SleepingMillisIdleStrategy(1);
            case BUSY -> new BusySpinIdleStrategy();
        };
    }

    /**
     * A fresh wait strategy for one Disruptor ring. Not busy: consumers block, and a publisher
     * signals only when one is actually waiting (a futex wake per publish costs more than the
     * work of a small event); the 1 ms timeout bounds the wait if a signal is ever missed.
     */
    public WaitStrategy ringWaitStrategy() {
        return this == BUSY ? new BusySpinWaitStrategy() : new LiteTimeoutBlockingWaitStrategy(1, TimeUnit.MILLISECONDS);
    }

    public boolean dedicatedCores() {
        return this == BUSY;
    }
}
