package io.basalt.sim;

import io.basalt.crypto.Sha256;
import io.basalt.dag.BlockSigner;
import io.basalt.dag.SignatureScheme;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.sbe.TransferDecoder;
import io.basalt.xshard.SignatureVerifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Signatures for the simulator: a keyed SHA-256 instead of Ed25519, so a thousand seeds run in
 * minutes. Inside the simulation it is as unforgeable as the real thing: a signature is
 * SHA-256(secret || message) and only the owner's code path holds the secret; the verifier finds
 * the secret from the public key (which is SHA-256(secret)) through a table only it consults.
 *
 * <p>Keys: one per validator of every shard (global index {@code shard * n + validator}) and one
 * per client account the {@link Workload} registers. One instance per simulation: it keeps scratch
 * buffers and is not thread-safe.
 */
final class SimCrypto implements SignatureScheme {
    static final int NETWORK_ID = 7;
    /** Transfer, CreateAsset and Swap all start with networkId u32, fee u64, nonce u64. */
    private static final int NONCE_OFFSET = Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.nonceEncodingOffset();

    private final Sha256 sha256 = new Sha256();
    private final SplittableRandom random;
    private final byte[][] validatorSecrets;
    private final byte[][] validatorKeys;
    private final List<byte[]> clientSecrets = new ArrayList<>();
    private final List<byte[]> clientKeys = new ArrayList<>();
    private final byte[] strangerKey;
    private final Map<Long, byte[]> secretByKeyPrefix = new HashMap<>();
    private final byte[] scratch = new byte[64 + 1024];
    private final byte[] expected = new byte[Layout.SIGNATURE_LENGTH];
    private final byte[] mac = new byte[32];
    private final TransactionEncoding transactions = new TransactionEncoding();
    private final UnsafeBuffer txBuffer = new UnsafeBuffer(new byte[Math.max(Layout.SWAP_LENGTH, Layout.TRANSFER_LENGTH)]);

    /** Keys for one shard of {@code validators}: the single-shard simulator. */
    SimCrypto(final long seed, final int validators) {
        this(seed, 1, validators);
    }

    SimCrypto(final long seed, final int shards, final int validatorsPerShard) {
        random = new SplittableRandom(seed ^ 0x5EED_C0DEL);
        final int total = shards * validatorsPerShard;
        validatorSecrets = new byte[total][];
        validatorKeys = new byte[total][];
        for (int v = 0; v < total; v++) {
            validatorSecrets[v] = randomBytes(random);
            validatorKeys[v] = register(validatorSecrets[v]);
        }
        strangerKey = randomBytes(random);
    }

    /** The public keys of validators {@code [from, from + count)} (global indices): one committee. */
    byte[][] validatorKeys(final int from, final int count) {
        final byte[][] keys = new byte[count][];
        for (int i = 0; i < count; i++) {
            keys[i] = validatorKeys[from + i].clone();
        }
        return keys;
    }

    byte[][] validatorKeys() {
        return validatorKeys(0, validatorKeys.length);
    }

    BlockSigner signer(final int validator) {
        final byte[] secret = validatorSecrets[validator];
        return (digest, signatureOut) -> sign(secret, digest, 0, digest.length, signatureOut, 0);
    }

    /** Validator {@code validator}'s (global index) signature over a 32-byte digest: the relay's signer. */
    byte[] signDigest(final int validator, final byte[] digest) {
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        sign(validatorSecrets[validator], digest, 0, digest.length, signature, 0);
        return signature;
    }

    /** A signer that produces signatures nobody can verify: for Byzantine forgeries. */
    BlockSigner forger(final long seed) {
        final SplittableRandom forged = new SplittableRandom(seed);
        return (digest, signatureOut) -> {
            for (int i = 0; i < signatureOut.length; i++) {
                signatureOut[i] = (byte) forged.nextInt(256);
            }
        };
    }

    /** The cross-shard view of {@link #verify}: keys at offset 0. */
    SignatureVerifier crossShardVerifier() {
        return (key, message, offset, length, signature, signatureOffset) ->
            verify(key, 0, message, offset, length, signature, signatureOffset);
    }

    // ------------------------------------------------------------------------------- client accounts

    /** Registers a fresh client key pair; returns its account index. */
    int newAccount() {
        final byte[] secret = randomBytes(random);
        clientSecrets.add(secret);
        clientKeys.add(register(secret));
        return clientKeys.size() - 1;
    }

    byte[] accountKey(final int account) {
        return clientKeys.get(account);
    }

    /** A signed Transfer from client account {@code from}. */
    byte[] transfer(final int from, final byte[] to, final int assetId, final long amount, final long fee,
                    final long nonce, final long expiryMs) {
        final int length = transactions.encodeTransfer(txBuffer, 0, NETWORK_ID, fee, nonce, expiryMs,
            clientKeys.get(from), to, assetId, amount);
        return signed(length, clientSecrets.get(from), null);
    }

    /** A signed CreateAsset by client account {@code issuer}. */
    byte[] createAsset(final int issuer, final int assetId, final long supply, final long fee, final long nonce,
                       final long expiryMs) {
        final int length = transactions.encodeCreateAsset(txBuffer, 0, NETWORK_ID, fee, nonce, expiryMs,
            clientKeys.get(issuer), assetId, supply, 0);
        return signed(length, clientSecrets.get(issuer), null);
    }

    /** A Swap signed by both parties (client accounts {@code a} and {@code b}). */
    byte[] swap(final int a, final int assetA, final long amountA, final int b, final int assetB, final long amountB,
                final long fee, final long nonce, final long expiryMs) {
        final int length = transactions.encodeSwap(txBuffer, 0, NETWORK_ID, fee, nonce, expiryMs,
            clientKeys.get(a), assetA, amountA, clientKeys.get(b), assetB, amountB);
        return signed(length, clientSecrets.get(a), clientSecrets.get(b));
    }

    /** A transfer between strangers whose signature does not verify: what an INVALID validator slips into a block. */
    byte[] badlySignedTransfer(final long nonce) {
        final int length = transactions.encodeTransfer(txBuffer, 0, NETWORK_ID, 1, nonce, Long.MAX_VALUE,
            strangerKey, strangerKey, 0, 1);
        final byte[] tx = signed(length, strangerKey, null);
        tx[SignedRegion.signatureOffset(new UnsafeBuffer(tx), 0, tx.length, 0)] ^= 1;
        return tx;
    }

    private byte[] signed(final int length, final byte[] first, final byte[] second) {
        final int signedLength = SignedRegion.signedLength(txBuffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        sign(first, txBuffer.byteArray(), 0, signedLength, signature, 0);
        SignedRegion.putSignature(txBuffer, 0, length, 0, signature);
        if (second != null) {
            sign(second, txBuffer.byteArray(), 0, signedLength, signature, 0);
            SignedRegion.putSignature(txBuffer, 0, length, 1, signature);
        }
        final byte[] tx = new byte[length];
        txBuffer.getBytes(0, tx);
        return tx;
    }

    /** The client nonce of the user transaction at {@code offset}; every user template has it at one place. */
    static long nonce(final byte[] bytes, final int offset) {
        long nonce = 0;
        for (int i = 7; i >= 0; i--) {
            nonce = (nonce << 8) | (bytes[offset + NONCE_OFFSET + i] & 0xFF);
        }
        return nonce;
    }

    static long nonce(final byte[] tx) {
        return nonce(tx, 0);
    }

    // ------------------------------------------------------------------------------- the scheme

    @Override
    public boolean verify(
        final byte[] publicKey, final int keyOffset, final byte[] message, final int offset, final int length,
        final byte[] signature, final int signatureOffset) {
        final byte[] secret = secretByKeyPrefix.get(prefix(publicKey, keyOffset));
        if (secret == null) {
            return false;
        }
        sign(secret, message, offset, length, expected, 0);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != signature[signatureOffset + i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes 64 bytes at {@code outOffset}: SHA-256(secret || message), then 32 zero bytes. */
    private void sign(
        final byte[] secret, final byte[] message, final int offset, final int length,
        final byte[] out, final int outOffset) {
        final byte[] buffer = length + 32 <= scratch.length ? scratch : new byte[length + 32];
        System.arraycopy(secret, 0, buffer, 0, 32);
        System.arraycopy(message, offset, buffer, 32, length);
        sha256.digest(buffer, 0, length + 32, mac, 0);
        System.arraycopy(mac, 0, out, outOffset, 32);
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
