package io.basalt.crypto;

/** Maps account addresses to shards (docs/protocol.md §1). */
public final class Shards
{
    public static final int ADDRESS_BYTES = 32;

    private Shards()
    {
    }

    /**
     * {@code Long.remainderUnsigned(first 8 bytes of SHA-256(address) read big-endian, shardCount)}. Hashing first
     * keeps the mapping uniform even for vanity addresses that share leading bytes.
     *
     * @param address    the 32-byte Ed25519 public key of the account.
     * @param shardCount number of shards, at least 1.
     */
    public static int shardOf(final byte[] address, final int shardCount)
    {
        if (shardCount < 1)
        {
            throw new IllegalArgumentException("shardCount must be >= 1: " + shardCount);
        }
        if (address.length != ADDRESS_BYTES)
        {
            throw new IllegalArgumentException("address must be " + ADDRESS_BYTES + " bytes: " + address.length);
        }
        final long prefix = Sha256.perThread().digestLeadingLong(address, 0, ADDRESS_BYTES);
        return (int)Long.remainderUnsigned(prefix, shardCount);
    }
}
