package io.basalt.system;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Signs native-asset Transfers for one network, directly with the protocol's encoder and Ed25519
 * (the way a client without the SDK would), and holds the test's accounts.
 */
final class Transfers {
    /** One signed transaction and its id (SHA-256 of the signed prefix, as the node computes it). */
    record Signed(byte[] bytes, String txId, int from, int to, long amount) {
    }

    /** Index of the faucet in {@link #account}; user accounts are 1..accounts. */
    static final int FAUCET = 0;

    private final Ed25519 ed25519 = Ed25519.fromSystemProperties();
    private final int networkId;
    private final long fee;
    private final List<KeyPair> keys = new ArrayList<>();

    Transfers(final int networkId, final long fee, final KeyPair faucet, final int accounts) {
        this.networkId = networkId;
        this.fee = fee;
        keys.add(faucet);
        final SecureRandom random = new SecureRandom();
        for (int i = 0; i < accounts; i++) {
            keys.add(ed25519.generateKeyPair(random));
        }
    }

    long fee() {
        return fee;
    }

    /** Number of user accounts (the faucet not counted). */
    int accounts() {
        return keys.size() - 1;
    }

    byte[] account(final int index) {
        return keys.get(index).publicKey();
    }

    /** A Transfer of {@code amount} of asset 0 between accounts (by index), with a random nonce. */
    Signed transfer(final int from, final int to, final long amount, final long expiryMs) {
        final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final KeyPair key = keys.get(from);
        final int length = new TransactionEncoding().encodeTransfer(buffer, 0, networkId, fee,
            ThreadLocalRandom.current().nextLong(), expiryMs, key.publicKey(), account(to), 0, amount);
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(key, tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return new Signed(tx, HexFormat.of().formatHex(sha256(tx, signed)), from, to, amount);
    }

    /** A transfer between two distinct random user accounts of 1..maxAmount. */
    Signed randomTransfer(final long maxAmount, final long expiryMs) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final int from = 1 + random.nextInt(accounts());
        int to = 1 + random.nextInt(accounts() - 1);
        if (to >= from) {
            to++;
        }
        return transfer(from, to, 1 + random.nextLong(maxAmount), expiryMs);
    }

    private static byte[] sha256(final byte[] bytes, final int length) {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return sha.digest();
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
