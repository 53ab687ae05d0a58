package io.basalt.dag;

/**
 * Verifies one signature. The node passes Ed25519 (crypto-native's strict facade); the simulator
 * a cheap keyed hash with the same unforgeability inside the simulation.
 */
@FunctionalInterface
public interface SignatureScheme {
    boolean verify(
        byte[] publicKey, int keyOffset,
        byte[] message, int offset, int length,
        byte[] signature, int signatureOffset);
}
