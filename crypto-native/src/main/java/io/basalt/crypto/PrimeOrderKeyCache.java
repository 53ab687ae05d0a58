package io.basalt.crypto;

import java.util.Arrays;

/**
 * Per-thread memory of public keys already proven to lie in the prime-order subgroup. That proof costs a scalar
 * multiplication by L (about half a verify), but keys repeat: validators sign every block, accounts send many
 * transactions. Direct-mapped and fixed-size, so it allocates nothing after construction; a hit compares all 32
 * bytes, so a collision can only cost a recomputation, never a wrong answer.
 */
final class PrimeOrderKeyCache
{
    static final int ENTRIES = 1024;
    private static final int KEY_BYTES = Ed25519.PUBLIC_KEY_BYTES;

    private final byte[] keys = new byte[ENTRIES * KEY_BYTES];
    private final boolean[] occupied = new boolean[ENTRIES];

    boolean contains(final byte[] key, final int offset)
    {
        final int slot = slot(key, offset);
        final int at = slot * KEY_BYTES;
        return occupied[slot] && Arrays.equals(keys, at, at + KEY_BYTES, key, offset, offset + KEY_BYTES);
    }

    void add(final byte[] key, final int offset)
    {
        final int slot = slot(key, offset);
        System.arraycopy(key, offset, keys, slot * KEY_BYTES, KEY_BYTES);
        occupied[slot] = true;
    }

    /** Key bytes are uniformly distributed (a field element), so two of them index the table well enough. */
    private static int slot(final byte[] key, final int offset)
    {
        return ((key[offset] & 0xFF) | (key[offset + 1] & 0xFF) << 8) & (ENTRIES - 1);
    }
}
