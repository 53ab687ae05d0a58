package io.basalt.node.exec;

import java.util.Arrays;

/**
 * An insertion-ordered set of fixed-length byte keys stored in one flat array, mapping each key to
 * its insertion index: the per-height write sets of execution (balances, replay ids) without a
 * {@code byte[]} or boxed key per transaction. Open addressing with linear probing; grows by
 * doubling; {@link #clear} costs the table size, not a reallocation.
 */
final class FlatKeyIndex {
    private final int keyLength;
    private byte[] keys;
    private int[] table;
    private int size;

    FlatKeyIndex(final int keyLength, final int initialCapacity) {
        this.keyLength = keyLength;
        final int capacity = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        this.keys = new byte[capacity * keyLength];
        this.table = new int[capacity * 2];
    }

    int size() {
        return size;
    }

    /** The array holding key {@code index} at {@link #keyOffset}. */
    byte[] keys() {
        return keys;
    }

    int keyOffset(final int index) {
        return index * keyLength;
    }

    /** Index of the key at {@code src[offset..]}, or -1. */
    int find(final byte[] src, final int offset) {
        final int mask = table.length - 1;
        int slot = hash(src, offset) & mask;
        while (true) {
            final int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            if (Arrays.equals(keys, (entry - 1) * keyLength, entry * keyLength, src, offset, offset + keyLength)) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Adds a key that is not present; returns its index. */
    int add(final byte[] src, final int offset) {
        assert find(src, offset) < 0 : "key already present";
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        if ((size + 1) * keyLength > keys.length) {
            keys = Arrays.copyOf(keys, keys.length * 2);
        }
        System.arraycopy(src, offset, keys, size * keyLength, keyLength);
        insert(size);
        return size++;
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(table, 0);
            size = 0;
        }
    }

    private void insert(final int index) {
        final int mask = table.length - 1;
        int slot = hash(keys, index * keyLength) & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = index + 1;
    }

    private void grow() {
        table = new int[table.length * 2];
        for (int i = 0; i < size; i++) {
            insert(i);
        }
    }

    private int hash(final byte[] src, final int offset) {
        int h = 0x9E3779B9;
        for (int i = 0; i < keyLength; i++) {
            h = (h ^ src[offset + i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
