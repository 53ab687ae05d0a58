package io.basalt.node.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Transactions this validator admitted that have not been executed yet: the dedupe set of the
 * admission stage and the source of ACCEPTED in status answers. Bounded: when it is full admission
 * answers OVERLOADED. Entries leave when execution reports the id, or when their expiry has passed
 * in consensus time (a transaction past its expiry can never execute, see DESIGN.md §2).
 */
final class InFlight {
    enum Added { ADDED, DUPLICATE, FULL }

    /** When it was admitted (monotonic ns) and when it expires (consensus ms). */
    record Entry(long expiryMs, long admittedNs) {
    }

    private final ConcurrentHashMap<TxKey, Entry> entries;
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    InFlight(final int capacity) {
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
    }

    Added tryAdd(final byte[] txId, final long expiryMs, final long admittedNs) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return Added.FULL;
        }
        if (entries.putIfAbsent(new TxKey(txId.clone()), new Entry(expiryMs, admittedNs)) != null) {
            size.decrementAndGet();
            return Added.DUPLICATE;
        }
        return Added.ADDED;
    }

    boolean contains(final byte[] txId) {
        return entries.containsKey(new TxKey(txId));
    }

    Entry remove(final byte[] buffer, final int offset) {
        final Entry removed = entries.remove(TxKey.copyOf(buffer, offset));
        if (removed != null) {
            size.decrementAndGet();
        }
        return removed;
    }

    /** Drops entries whose expiry is before {@code consensusTimeMs}; returns how many. */
    int sweepExpired(final long consensusTimeMs) {
        int removed = 0;
        for (final var it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().expiryMs() < consensusTimeMs) {
                it.remove();
                size.decrementAndGet();
                removed++;
            }
        }
        return removed;
    }

    int size() {
        return size.get();
    }

    int capacity() {
        return capacity;
    }
}
