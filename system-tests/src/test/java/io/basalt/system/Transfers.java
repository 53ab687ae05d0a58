package io.basalt.system;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
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
 * Signs transactions for one network, directly with the protocol's encoder and Ed25519 (the way a
 * client without the SDK would), and holds the test's accounts, each known by an index.
 *
 * <p>With one shard (the first constructor) index 0 is the faucet and 1..accounts are random
 * accounts. With several, the test adds accounts with {@link #add} and {@link #newAccount}, each on
 * the shard it names; {@link #shardOf} is the shard every transaction of that sender goes to.
 */
final class Transfers {
    /**
     * One signed transaction and its id (SHA-256 of the signed prefix, as the node computes it).
     * {@code shard} is where it is submitted (the sender's shard, or for a swap either party's);
     * {@code from}/{@code to} are account indices ({@code to} -1 for a CREATE_ASSET), {@code amount}
     * of {@code asset} (a CREATE_ASSET's supply, a swap's leg A).
     */
    record Signed(byte[] bytes, String txId, int shard, int from, int to, int asset, long amount) {
    }

    /** Index of the faucet in {@link #account} in a one-shard book; user accounts are 1..accounts. */
    static final int FAUCET = 0;

    private final Ed25519 ed25519 = Ed25519.fromSystemProperties();
    private final SecureRandom random = new SecureRandom();
    private final int networkId;
    private final long fee;
    private final int shardCount;
    private final List<KeyPair> keys = new ArrayList<>();

    /** One shard: the faucet (index 0) and {@code accounts} fresh accounts. */
    Transfers(final int networkId, final long fee, final KeyPair faucet, final int accounts) {
        this(networkId, fee, 1);
        keys.add(faucet);
        for (int i = 0; i < accounts; i++) {
            keys.add(ed25519.generateKeyPair(random));
        }
    }

    /** An empty book for a network of {@code shardCount} shards. */
    Transfers(final int networkId, final long fee, final int shardCount) {
        this.networkId = networkId;
        this.fee = fee;
        this.shardCount = shardCount;
    }

    long fee() {
        return fee;
    }

    /** Number of user accounts of a one-shard book (the faucet not counted). */
    int accounts() {
        return keys.size() - 1;
    }

    /** Every account of the book: indices 0..size-1. */
    int size() {
        return keys.size();
    }

    byte[] account(final int index) {
        return keys.get(index).publicKey();
    }

    String hex(final int index) {
        return HexFormat.of().formatHex(account(index));
    }

    /** The shard an account lives on (docs/protocol.md §1). */
    int shardOf(final int index) {
        return Shards.shardOf(account(index), shardCount);
    }

    /** Adds a key (a faucet's); returns its index. */
    synchronized int add(final KeyPair key) {
        keys.add(key);
        return keys.size() - 1;
    }

    /** A fresh account that lives on {@code shard}; returns its index. */
    int newAccount(final int shard) {
        for (int attempt = 0; attempt < 10_000 * shardCount; attempt++) {
            final KeyPair key = ed25519.generateKeyPair(random);
            if (Shards.shardOf(key.publicKey(), shardCount) == shard) {
                return add(key);
            }
        }
        throw new IllegalStateException("no key found on shard " + shard);
    }

    /** A Transfer of {@code amount} of asset 0 between accounts (by index), with a random nonce. */
    Signed transfer(final int from, final int to, final long amount, final long expiryMs) {
        return transfer(from, to, 0, amount, expiryMs);
    }

    /** A Transfer of {@code amount} of {@code asset}, to an account of any shard, with a random nonce. */
    Signed transfer(final int from, final int to, final int asset, final long amount, final long expiryMs) {
        final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = new TransactionEncoding().encodeTransfer(buffer, 0, networkId, fee, nonce(), expiryMs,
            account(from), account(to), asset, amount);
        return new Signed(tx, sign(buffer, length, keys.get(from)), shardOf(from), from, to, asset, amount);
    }

    /** A CreateAsset minting {@code supply} of {@code asset} to {@code issuer}. */
    Signed createAsset(final int issuer, final int asset, final long supply, final long expiryMs) {
        final byte[] tx = new byte[Layout.CREATE_ASSET_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = new TransactionEncoding().encodeCreateAsset(buffer, 0, networkId, fee, nonce(), expiryMs,
            account(issuer), asset, supply, 0);
        return new Signed(tx, sign(buffer, length, keys.get(issuer)), shardOf(issuer), issuer, -1, asset, supply);
    }

    /**
     * A Swap signed by both parties: {@code a} gives {@code amountA} of {@code assetA} to {@code b},
     * {@code b} gives {@code amountB} of {@code assetB} to {@code a}; partyA pays the fee. It goes to
     * {@code submitShard} (either party's).
     */
    Signed swap(final int a, final int assetA, final long amountA, final int b, final int assetB, final long amountB,
                final long expiryMs, final int submitShard) {
        final byte[] tx = new byte[Layout.SWAP_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = new TransactionEncoding().encodeSwap(buffer, 0, networkId, fee, nonce(), expiryMs,
            account(a), assetA, amountA, account(b), assetB, amountB);
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(keys.get(a), tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        ed25519.sign(keys.get(b), tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 1, signature);
        return new Signed(tx, HexFormat.of().formatHex(sha256(tx, signed)), submitShard, a, b, assetA, amountA);
    }

    /** A transfer between two distinct random user accounts of a one-shard book, of 1..maxAmount. */
    Signed randomTransfer(final long maxAmount, final long expiryMs) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final int from = 1 + random.nextInt(accounts());
        int to = 1 + random.nextInt(accounts() - 1);
        if (to >= from) {
            to++;
        }
        return transfer(from, to, 1 + random.nextLong(maxAmount), expiryMs);
    }

    /** Signs the transaction in {@code buffer} with its one signer; returns its id. */
    private String sign(final UnsafeBuffer buffer, final int length, final KeyPair key) {
        final byte[] tx = buffer.byteArray();
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(key, tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return HexFormat.of().formatHex(sha256(tx, signed));
    }

    private static long nonce() {
        return ThreadLocalRandom.current().nextLong();
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
