package io.basalt.sim;

import io.basalt.crypto.Sha256;
import io.basalt.dag.BlockSigner;
import io.basalt.dag.SignatureScheme;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.sbe.TransferDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Signatures for the simulator: a keyed SHA-256 instead of Ed25519, so a thousand seeds run in
 * minutes. Inside the simulation it is as unforgeable as the real thing: a signature is
 * SHA-256(secret || message) and only the owner's code path holds the secret; the verifier finds
 * the secret from the public key (which is SHA-256(secret)) through a table only it consults.
 */
final class SimCrypto implements SignatureScheme {
    private static final int NETWORK_ID = 7;
    private static final int NONCE_OFFSET = Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.nonceEncodingOffset();

    private final Sha256 sha256 = new Sha256();
    private final byte[][] validatorSecrets;
    private final byte[][] validatorKeys;
    private final byte[] clientSecret;
    private final byte[] clientKey;
    private final byte[] recipient;
    private final Map<Long, byte[]> secretByKeyPrefix = new HashMap<>();
    private final byte[] scratch = new byte[64 + 1024];
    private final byte[] expected = new byte[32];
    private final TransactionEncoding transactions = new TransactionEncoding();
    private final UnsafeBuffer txBuffer = new UnsafeBuffer(new byte[Layout.TRANSFER_LENGTH]);

    SimCrypto(final long seed, final int validators) {
        final SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_C0DEL);
        validatorSecrets = new byte[validators][];
        validatorKeys = new byte[validators][];
        for (int v = 0; v < validators; v++) {
            validatorSecrets[v] = randomBytes(random);
            validatorKeys[v] = register(validatorSecrets[v]);
        }
        clientSecret = randomBytes(random);
        clientKey = register(clientSecret);
        recipient = randomBytes(random);
    }

    byte[][] validatorKeys() {
        return validatorKeys.clone();
    }

    BlockSigner signer(final int validator) {
        final byte[] secret = validatorSecrets[validator];
        return (digest, signatureOut) -> sign(secret, digest, 0, digest.length, signatureOut, 0);
    }

    /** A signer that produces signatures nobody can verify: for Byzantine forgeries. */
    BlockSigner forger(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        return (digest, signatureOut) -> {
            for (int i = 0; i < signatureOut.length; i++) {
                signatureOut[i] = (byte) random.nextInt(256);
            }
        };
    }

    /** A signed client Transfer whose nonce identifies it in the checkers. */
    byte[] transaction(final long nonce, final boolean validSignature) {
        final int length = transactions.encodeTransfer(txBuffer, 0, NETWORK_ID, 1, nonce, Long.MAX_VALUE,
            clientKey, recipient, 0, 1 + nonce);
        final int signed = SignedRegion.signedLength(txBuffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        sign(clientSecret, txBuffer.byteArray(), 0, signed, signature, 0);
        if (!validSignature) {
            signature[0] ^= 1;
        }
        SignedRegion.putSignature(txBuffer, 0, length, 0, signature);
        final byte[] tx = new byte[length];
        txBuffer.getBytes(0, tx);
        return tx;
    }

    static long nonce(final byte[] tx) {
        long nonce = 0;
        for (int i = 7; i >= 0; i--) {
            nonce = (nonce << 8) | (tx[NONCE_OFFSET + i] & 0xFF);
        }
        return nonce;
    }

    @Override
    public boolean verify(
        final byte[] publicKey, final int keyOffset, final byte[] message, final int offset, final int length,
        final byte[] signature, final int signatureOffset) {
        final byte[] secret = secretByKeyPrefix.get(prefix(publicKey, keyOffset));
        if (secret == null) {
            return false;
        }
        final byte[] mac = new byte[Layout.SIGNATURE_LENGTH];
        sign(secret, message, offset, length, mac, 0);
        for (int i = 0; i < mac.length; i++) {
            if (mac[i] != signature[signatureOffset + i]) {
                return false;
            }
        }
        return true;
    }

    private void sign(
        final byte[] secret, final byte[] message, final int offset, final int length,
        final byte[] out, final int outOffset) {
        final byte[] buffer = length + 32 <= scratch.length ? scratch : new byte[length + 32];
        System.arraycopy(secret, 0, buffer, 0, 32);
        System.arraycopy(message, offset, buffer, 32, length);
        sha256.digest(buffer, 0, length + 32, expected, 0);
        System.arraycopy(expected, 0, out, outOffset, 32);
        java.util.Arrays.fill(out, outOffset + 32, outOffset + 64, (byte) 0);
    }

    private byte[] register(final byte[] secret) {
        final byte[] key = new byte[32];
        sha256.digest(secret, 0, secret.length, key, 0);
        secretByKeyPrefix.put(prefix(key, 0), secret);
        return key;
    }

    private static long prefix(final byte[] key, final int offset) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (key[offset + i] & 0xFF);
        }
        return p;
    }

    private static byte[] randomBytes(final SplittableRandom random) {
        final byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
