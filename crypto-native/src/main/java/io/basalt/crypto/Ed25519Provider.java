package io.basalt.crypto;

/**
 * One Ed25519 implementation behind the {@link Ed25519} facade. Only the facade calls it, and only after its strict
 * checks passed; a provider on its own does not implement the consensus rule.
 * <p>
 * Implementations are thread-safe and allocate nothing per call on their own account (the Bouncy Castle library
 * itself allocates small temporaries inside its verify).
 * <p>
 * Not sealed: the libsodium implementation is compiled only for Java 22+ ({@link LibsodiumProviders}), so the Java 21
 * base cannot name it in a {@code permits} clause. Package-private, it has no other implementations.
 */
interface Ed25519Provider
{
    /** The backend this provider wraps. */
    Ed25519.Backend backend();

    /** Human-readable library and version, for the start-up log line. */
    String description();

    /** Derives the 32-byte public key from the 32-byte seed (RFC 8032 §5.1.5). */
    void publicKeyFromSeed(byte[] seed, int seedOffset, byte[] publicKey, int publicKeyOffset);

    /** Detached RFC 8032 signature; {@code publicKey} must be the one derived from {@code seed}. */
    void sign(byte[] seed, byte[] publicKey, byte[] message, int offset, int length,
        byte[] signature, int signatureOffset);

    /**
     * Whether the cofactorless equation [S]B = R + [k]A holds exactly. Precondition (checked by the facade): S < L;
     * A and R canonical and not of small order; A in the prime-order subgroup.
     */
    boolean verifyCofactorless(byte[] publicKey, int publicKeyOffset, byte[] message, int offset, int length,
        byte[] signature, int signatureOffset);

    /** Whether the 32 bytes encode a canonical point, not of small order, in the prime-order subgroup. */
    boolean isPrimeOrderPoint(byte[] point, int offset);
}
