package io.basalt.dag;

/**
 * Signs a block digest with this validator's key. A block's signature covers the 32-byte SHA-256
 * digest of its signed bytes rather than the bytes themselves, so signing a block of a few
 * hundred kilobytes costs the same as signing an empty one.
 */
@FunctionalInterface
public interface BlockSigner {
    void signDigest(byte[] digest, byte[] signatureOut);
}
