package io.basalt.crypto;

/**
 * One X25519 implementation behind the {@link PeerKeyAgreement} facade. Only the facade calls it, and only after its
 * strict check of the peer's Ed25519 key passed, so both providers see the same inputs and must give the same bytes.
 * Not sealed for the reason {@link Ed25519Provider} gives.
 */
interface X25519Provider
{
    Ed25519.Backend backend();

    /**
     * X25519 between the Montgomery forms of two Ed25519 keys: the own scalar from {@code seed} (with
     * {@code publicKey} its Ed25519 public key) and the peer's point from {@code peerPublicKey}. Writes 32 bytes to
     * {@code out}; false when the provider refuses the peer key or the result is all zeros.
     */
    boolean sharedSecret(byte[] seed, byte[] publicKey, byte[] peerPublicKey, byte[] out);
}
