package io.basalt.dag;

import java.util.ArrayDeque;

/**
 * Transactions admitted by this validator and waiting for its next block. Bounded: a full queue
 * refuses the submission (the gateway reports back-pressure) rather than growing.
 */
final class Mempool {
    private static final byte[][] EMPTY = new byte[0][];

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final int capacity;

    Mempool(final int capacity) {
        this.capacity = capacity;
    }

    boolean offer(final byte[] transaction) {
        if (queue.size() >= capacity) {
            return false;
        }
        queue.addLast(transaction);
        return true;
    }

    int size() {
        return queue.size();
    }

    /** Takes transactions in arrival order while both limits allow. */
    byte[][] take(final int maxTransactions, final int maxBytes) {
        if (queue.isEmpty()) {
            return EMPTY;
        }
        int count = 0;
        int bytes = 0;
        for (final byte[] tx : queue) {
            if (count == maxTransactions || bytes + tx.length > maxBytes) {
                break;
            }
            count++;
            bytes += tx.length;
        }
        final byte[][] batch = new byte[count][];
        for (int i = 0; i < count; i++) {
            batch[i] = queue.pollFirst();
        }
        return batch;
    }
}
