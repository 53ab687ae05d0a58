package io.basalt.node.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code perMinute} tokens, refilled continuously at
 * {@code perMinute} per minute, one taken per request. Used for the faucet, whose requests cost the
 * network a transaction each and are worth more to an attacker than ordinary reads.
 *
 * <p>Bounded: at most {@link #MAX_CLIENTS} addresses are tracked. When the table is full, buckets that
 * have refilled completely (clients idle for a minute) are dropped, since a full bucket and a missing
 * one mean the same; if none can be dropped, new addresses are refused until some can, so a flood of
 * addresses cannot grow memory or reset others' buckets.
 */
final class ClientRateLimiter {
    static final int MAX_CLIENTS = 4_096;

    private final long capacity;
    private final long nanosPerToken;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    ClientRateLimiter(final int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be positive: " + perMinute);
        }
        this.capacity = perMinute;
        this.nanosPerToken = 60_000_000_000L / perMinute;
    }

    /** Takes one token for {@code client} at {@code nowNs}; false when its bucket is empty. */
    boolean tryAcquire(final String client, final long nowNs) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= MAX_CLIENTS) {
                buckets.values().removeIf(b -> b.isFull(nowNs));
                if (buckets.size() >= MAX_CLIENTS) {
                    return false;
                }
            }
            bucket = buckets.computeIfAbsent(client, c -> new Bucket(nowNs));
        }
        return bucket.tryTake(nowNs);
    }

    /**
     * The generic cell rate algorithm: {@code fullAtNs} is when the bucket would be full again. A take
     * is allowed while that lies at most {@code capacity} token periods ahead of now.
     */
    private final class Bucket {
        private long fullAtNs;

        Bucket(final long nowNs) {
            this.fullAtNs = nowNs;
        }

        synchronized boolean tryTake(final long nowNs) {
            final long base = Math.max(fullAtNs, nowNs);
            if (base + nanosPerToken - nowNs > capacity * nanosPerToken) {
                return false;
            }
            fullAtNs = base + nanosPerToken;
            return true;
        }

        synchronized boolean isFull(final long nowNs) {
            return fullAtNs <= nowNs;
        }
    }
}
