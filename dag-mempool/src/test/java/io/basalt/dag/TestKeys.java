package io.basalt.dag;

/**
 * A toy signature for core tests: the "signature" of a digest is the digest XOR the signer's key,
 * padded with the key. Enough to tell a right signer from a wrong one; not cryptography.
 */
final class TestKeys implements SignatureScheme {
    static byte[] key(final int validator) {
        final byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) (validator * 31 + 7));
        return key;
    }

    static BlockSigner signer(final int validator) {
        final byte[] key = key(validator);
        return (digest, out) -> {
            for (int i = 0; i < 32; i++) {
                out[i] = (byte) (digest[i] ^ key[i]);
                out[32 + i] = key[i];
            }
        };
    }

    static Committee committee(final int n) {
        final byte[][] keys = new byte[n][];
        for (int v = 0; v < n; v++) {
            keys[v] = key(v);
        }
        return Committee.ofEqualStake(0, keys);
    }

    @Override
    public boolean verify(final byte[] publicKey, final int keyOffset, final byte[] message, final int offset,
        final int length, final byte[] signature, final int signatureOffset) {
        if (length != 32) {
            return true; // transactions in these tests are not signed
        }
        for (int i = 0; i < 32; i++) {
            if (signature[signatureOffset + i] != (byte) (message[offset + i] ^ publicKey[keyOffset + i])
                || signature[signatureOffset + 32 + i] != publicKey[keyOffset + i]) {
                return false;
            }
        }
        return true;
    }
}
