package io.basalt.node.runtime;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * How the node's threads wait for work ({@code NodeConfig.idleStrategy}).
 *
 * <ul>
 *   <li>{@code backoff} (default): agents spin a little, yield, then park from 1 µs up to 1 ms;
 *       rings block on a lock. An idle validator costs almost nothing and four of them share two
 *       cores; a message waits at most about 1 ms for an idle agent to notice it.</li>
 *   <li>{@code sleeping}: agents sleep 1 ms between empty duty cycles. The cheapest, the slowest.</li>
 *   <li>{@code busy}: agents and rings spin. Only with a dedicated core per thread.</li>
 * </ul>
 */
public enum IdleMode {
    BACKOFF, SLEEPING, BUSY;

    public static IdleMode parse(final String name) {
        return switch (name) {
            case "backoff" -> BACKOFF;
            case "sleeping" -> SLEEPING;
            case "busy" -> BUSY;
            default -> throw new IllegalArgumentException("idle strategy must be backoff, sleeping or busy: " + name);
        };
    }

    /** A fresh idle strategy for one agent (they keep per-thread state). */
    public IdleStrategy agentIdleStrategy() {
        return switch (this) {
            case BACKOFF -> new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
            case SLEEPING -> new SleepingMillisIdleStrategy(1);
            case BUSY -> new BusySpinIdleStrategy();
        };
    }

    /** A fresh wait strategy for one Disruptor ring. */
    public WaitStrategy ringWaitStrategy() {
        return this == BUSY ? new BusySpinWaitStrategy() : new BlockingWaitStrategy();
    }

    public boolean dedicatedCores() {
        return this == BUSY;
    }
}
