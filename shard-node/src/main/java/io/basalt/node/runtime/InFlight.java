package io.basalt.node.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Transactions this validator admitted that have not been executed yet: the dedupe set of the
 * admission stage, the source of ACCEPTED in status answers, and the record of what this validator
 * has already verified (a peer's block carrying the same bytes need not be verified again). Bounded:
 * when it is full admission answers OVERLOADED. Entries leave when execution reports the id, or
 * when their expiry has passed in consensus time (a transaction past its expiry can never execute,
 * see docs/protocol.md §3).
 */
final class InFlight {
    enum Added { ADDED, DUPLICATE, FULL }

    private final ConcurrentHashMap<TxKey, AdmittedTx> entries;
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    InFlight(final int capacity) {
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
    }

    Added tryAdd(final AdmittedTx tx) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return Added.FULL;
        }
        if (entries.putIfAbsent(new TxKey(tx.id), tx) != null) {
            size.decrementAndGet();
            return Added.DUPLICATE;
        }
        return Added.ADDED;
    }

    boolean contains(final byte[] txId) {
        return entries.containsKey(new TxKey(txId));
    }

    /** The admitted transaction with this id, or null. */
    AdmittedTx get(final byte[] txId) {
        return entries.get(new TxKey(txId));
    }

    AdmittedTx remove(final byte[] buffer, final int offset) {
        final AdmittedTx removed = entries.remove(TxKey.copyOf(buffer, offset));
        if (removed != null) {
            size.decrementAndGet();
        }
        return removed;
    }

    /** Drops entries whose expiry is before {@code consensusTimeMs}; returns how many. */
    int sweepExpired(final long consensusTimeMs) {
        int removed = 0;
        for (final var it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().expiryMs < consensusTimeMs) {
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
