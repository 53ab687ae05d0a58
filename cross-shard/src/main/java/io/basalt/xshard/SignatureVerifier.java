package io.basalt.xshard;

/**
 * Checks one signature of a committee member. The node passes strict Ed25519 (crypto-native), the
 * simulator its keyed-hash stand-in; this module never picks a provider itself.
 */
@FunctionalInterface
public interface SignatureVerifier {
    boolean verify(byte[] publicKey, byte[] message, int offset, int length, byte[] signature, int signatureOffset);
}
