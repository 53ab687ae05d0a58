package io.basalt.dag;

import java.util.ArrayDeque;

/**
 * Transactions admitted by this validator and waiting for its next block, each with the caller's
 * tag (null when it has none). Bounded: a full queue refuses the submission (the gateway reports
 * back-pressure) rather than growing.
 */
final class Mempool {
    private static final byte[][] EMPTY = new byte[0][];
    private static final Object[] NO_TAGS = new Object[0];

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    /** Parallel to {@link #queue}: ArrayDeque holds no nulls, so an absent tag is {@link #NO_TAG}. */
    private final ArrayDeque<Object> tags = new ArrayDeque<>();
    private static final Object NO_TAG = new Object();
    private final int capacity;
    private Object[] lastTags = NO_TAGS;

    Mempool(final int capacity) {
        this.capacity = capacity;
    }

    boolean offer(final byte[] transaction, final Object tag) {
        if (queue.size() >= capacity) {
            return false;
        }
        queue.addLast(transaction);
        tags.addLast(tag == null ? NO_TAG : tag);
        return true;
    }

    /**
     * Puts transactions of an own block that can no longer commit back at the front, in their order,
     * ahead of newer ones and beyond the capacity if need be: they were admitted already, and
     * refusing them now would lose them. Their tags were spent on the first proposal.
     */
    void requeue(final byte[][] transactions) {
        for (int i = transactions.length - 1; i >= 0; i--) {
            queue.addFirst(transactions[i]);
            tags.addFirst(NO_TAG);
        }
    }

    int size() {
        return queue.size();
    }

    /** Takes transactions in arrival order while both limits allow; their tags go to {@link #lastTags()}. */
    byte[][] take(final int maxTransactions, final int maxBytes) {
        if (queue.isEmpty()) {
            lastTags = NO_TAGS;
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
        final Object[] batchTags = count == 0 ? NO_TAGS : new Object[count];
        for (int i = 0; i < count; i++) {
            batch[i] = queue.pollFirst();
            final Object tag = tags.pollFirst();
            batchTags[i] = tag == NO_TAG ? null : tag;
        }
        lastTags = batchTags;
        return batch;
    }

    /** The tags of the transactions the last {@link #take} returned, in the same order. */
    Object[] lastTags() {
        return lastTags;
    }
}
