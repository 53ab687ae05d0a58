package io.basalt.perf;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.sbe.TransferDecoder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Realistic, reproducible inputs: signed Transfers exactly as a client sends them. Every
 * benchmark that needs transactions takes them from here, so they all measure the same bytes.
 *
 * <pre>
 *   0        8                                              112   116            180
 *   | header | root block: networkId fee nonce expiryMs     | sig | signature    |
 *   |        |   from[32] to[32] assetId amount (104 bytes) | hdr | (64 bytes)   |
 *   &lt;------------- signed bytes (SIGNED_LENGTH) -----------&gt;
 * </pre>
 */
final class TransferFixtures {
    static final int NETWORK_ID = 1;
    /** Length of an encoded Transfer: 180 bytes. */
    static final int TRANSFER_LENGTH = Layout.TRANSFER_LENGTH;
    /** The bytes a Transfer's signature covers, and whose SHA-256 is its id: 112 bytes. */
    static final int SIGNED_LENGTH = Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.BLOCK_LENGTH;
    /** Where the sender's public key (the {@code from} field) sits in an encoded Transfer. */
    static final int FROM_OFFSET = Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.fromEncodingOffset();
    /** Where the 64-byte signature sits: after the signed bytes and the signatures group header. */
    static final int SIGNATURE_OFFSET = SIGNED_LENGTH + Layout.GROUP_HEADER_LENGTH;
    static final long FEE = 10;
    static final long EXPIRY_MS = 1_900_000_000_000L;

    private TransferFixtures() {
    }

    /** A deterministic random source: the same seed gives the same keys and transfers on every run. */
    static SecureRandom random(final long seed) {
        try {
            final SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed); // before the first nextBytes: replaces, rather than adds to, the seed
            return random;
        } catch (final NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK provides SHA1PRNG", ex);
        }
    }

    static KeyPair[] keyPairs(final Ed25519 ed25519, final int count, final SecureRandom random) {
        final KeyPair[] keyPairs = new KeyPair[count];
        for (int i = 0; i < count; i++) {
            keyPairs[i] = ed25519.generateKeyPair(random);
        }
        return keyPairs;
    }

    /**
     * {@code count} signed Transfers; transfer i is sent by {@code senders[i % senders.length]} with
     * nonce i to a random recipient, so every one has a distinct id.
     */
    static byte[][] signedTransfers(
        final Ed25519 ed25519, final KeyPair[] senders, final int count, final SecureRandom random) {
        final TransactionEncoding encoding = new TransactionEncoding();
        final byte[][] transfers = new byte[count][];
        final byte[] to = new byte[Layout.KEY_LENGTH];
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        for (int i = 0; i < count; i++) {
            final KeyPair sender = senders[i % senders.length];
            random.nextBytes(to);
            final byte[] tx = new byte[TRANSFER_LENGTH];
            final UnsafeBuffer buffer = new UnsafeBuffer(tx);
            final int length = encoding.encodeTransfer(buffer, 0, NETWORK_ID, FEE, i, EXPIRY_MS,
                sender.publicKey(), to, 0, 1 + (i & 0xFFFF));
            if (length != TRANSFER_LENGTH || SignedRegion.signedLength(buffer, 0, length) != SIGNED_LENGTH) {
                throw new IllegalStateException("Transfer layout changed: update TransferFixtures");
            }
            ed25519.sign(sender, tx, 0, SIGNED_LENGTH, signature, 0);
            SignedRegion.putSignature(buffer, 0, length, 0, signature);
            transfers[i] = tx;
        }
        return transfers;
    }

    /**
     * The share of checks that find their key in the facade's per-thread prime-order key cache when
     * the keys are checked over and over in the given order, computed by replaying that order
     * against a model of {@code io.basalt.crypto.PrimeOrderKeyCache} (1,024 direct-mapped slots,
     * indexed by the low 10 bits of the key's first two bytes). Printed by the benchmarks so a
     * reader knows which mix they measured; update the model if the cache changes.
     */
    static double expectedKeyCacheHitRate(final byte[][] keysInOrder, final int keyOffset) {
        final int slots = 1024;
        final byte[][] cached = new byte[slots][];
        long hits = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (final byte[] key : keysInOrder) {
                final int slot = ((key[keyOffset] & 0xFF) | (key[keyOffset + 1] & 0xFF) << 8) & (slots - 1);
                final boolean hit = cached[slot] != null && java.util.Arrays.equals(
                    cached[slot], 0, 32, key, keyOffset, keyOffset + 32);
                if (pass == 1 && hit) {
                    hits++;
                }
                cached[slot] = java.util.Arrays.copyOfRange(key, keyOffset, keyOffset + 32);
            }
        }
        return (double) hits / keysInOrder.length;
    }
}
