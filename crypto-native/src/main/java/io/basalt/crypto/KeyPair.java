package io.basalt.crypto;

/**
 * An Ed25519 key pair: the 32-byte secret seed (RFC 8032's "private key") and the 32-byte public key derived from
 * it. Created only through {@link Ed25519} or {@link KeyFiles}, so the public key always matches the seed.
 * <p>
 * The seed never leaves this package and never appears in {@link #toString()}.
 */
public final class KeyPair
{
    private final byte[] seed;
    private final byte[] publicKey;

    KeyPair(final byte[] seed, final byte[] publicKey)
    {
        assert seed.length == Ed25519.SEED_BYTES && publicKey.length == Ed25519.PUBLIC_KEY_BYTES;
        this.seed = seed.clone();
        this.publicKey = publicKey.clone();
    }

    /** A copy of the public key, which is also the account address. */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    public void copyPublicKeyTo(final byte[] target, final int offset)
    {
        System.arraycopy(publicKey, 0, target, offset, Ed25519.PUBLIC_KEY_BYTES);
    }

    public String publicKeyHex()
    {
        return Hex.encode(publicKey);
    }

    /** The internal seed array, not a copy: package code must not leak or modify it. */
    byte[] seed()
    {
        return seed;
    }

    /** The internal public key array, not a copy. */
    byte[] publicKeyUnsafe()
    {
        return publicKey;
    }

    @Override
    public String toString()
    {
        return "KeyPair[publicKey=" + publicKeyHex() + "]";
    }
}
