package io.basalt.client.sdk;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Sha256;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes, hashes and signs user transactions for one network (docs/protocol.md §2): transfer, create-asset and
 * swap (two signatures, {@link Swap}). The signature covers
 * the signed prefix ({@link SignedRegion#signedLength}) and the id is its SHA-256.
 *
 * <p>Nonces are random by default, so that many transactions from one account can be in flight in
 * any order (replay protection is by id, not by sequence). Expiry is a consensus time; the network
 * refuses one more than 60 s ahead, so build transactions shortly before sending them, e.g. with
 * {@code expiryMs = status.consensusTimeMs() + DEFAULT_EXPIRY_MS}. Thread-safe.
 */
public final class TransactionBuilder {
    /** A sensible expiry after the node's consensus time: well inside the protocol's 60 s. */
    public static final long DEFAULT_EXPIRY_MS = 30_000;

    /** A signed transaction: its SBE bytes and its id. */
    public record Signed(byte[] bytes, byte[] txId) {
        public String txIdHex() {
            return Hex.encode(txId);
        }

        public String hex() {
            return Hex.encode(bytes);
        }
    }

    private final Ed25519 ed25519;
    private final int networkId;
    private final long fee;
    private final LongSupplier nonces;

    public TransactionBuilder(final Ed25519 ed25519, final int networkId, final long fee) {
        this(ed25519, networkId, fee, new SecureRandom()::nextLong);
    }

    /** With a nonce source of your own, e.g. a counter for reproducible tests. */
    public TransactionBuilder(final Ed25519 ed25519, final int networkId, final long fee, final LongSupplier nonces) {
        this.ed25519 = Objects.requireNonNull(ed25519, "ed25519");
        this.networkId = networkId;
        this.fee = fee;
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    /** A builder for the network a node reports. */
    public static TransactionBuilder forNetwork(final Ed25519 ed25519, final NetworkStatus status) {
        return new TransactionBuilder(ed25519, status.networkId(), status.fee());
    }

    public Signed transfer(final KeyPair from, final byte[] to, final int assetId, final long amount, final long expiryMs) {
        return transfer(from, to, assetId, amount, nonces.getAsLong(), expiryMs);
    }

    public Signed transfer(final KeyPair from, final byte[] to, final int assetId, final long amount,
                           final long nonce, final long expiryMs) {
        final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
        final int length = new TransactionEncoding().encodeTransfer(new UnsafeBuffer(tx), 0, networkId, fee, nonce,
            expiryMs, from.publicKey(), to, assetId, amount);
        return sign(tx, length, from);
    }

    public Signed createAsset(final KeyPair issuer, final int assetId, final long supply, final int decimals,
                              final long expiryMs) {
        return createAsset(issuer, assetId, supply, decimals, nonces.getAsLong(), expiryMs);
    }

    public Signed createAsset(final KeyPair issuer, final int assetId, final long supply, final int decimals,
                              final long nonce, final long expiryMs) {
        final byte[] tx = new byte[Layout.CREATE_ASSET_LENGTH];
        final int length = new TransactionEncoding().encodeCreateAsset(new UnsafeBuffer(tx), 0, networkId, fee, nonce,
            expiryMs, issuer.publicKey(), assetId, supply, decimals);
        return sign(tx, length, issuer);
    }

    /**
     * An unsigned swap: {@code partyA} gives {@code amountA} of {@code assetA} to {@code partyB}, who gives
     * {@code amountB} of {@code assetB} back; A pays the fee. Each party signs it with {@link Swap#sign}, usually
     * each on its own machine.
     */
    public Swap swap(final byte[] partyA, final int assetA, final long amountA,
                     final byte[] partyB, final int assetB, final long amountB, final long expiryMs) {
        return swap(partyA, assetA, amountA, partyB, assetB, amountB, nonces.getAsLong(), expiryMs);
    }

    public Swap swap(final byte[] partyA, final int assetA, final long amountA,
                     final byte[] partyB, final int assetB, final long amountB, final long nonce, final long expiryMs) {
        final byte[] tx = new byte[Layout.SWAP_LENGTH];
        final int length = new TransactionEncoding().encodeSwap(new UnsafeBuffer(tx), 0, networkId, fee, nonce, expiryMs,
            partyA, assetA, amountA, partyB, assetB, amountB);
        assert length == tx.length : "encoded length " + length + " != buffer " + tx.length;
        return new Swap(tx);
    }

    /** A swap signed by both parties at once, for a process that holds both keys. */
    public Signed swap(final KeyPair partyA, final int assetA, final long amountA,
                       final KeyPair partyB, final int assetB, final long amountB, final long expiryMs) {
        return swap(partyA.publicKey(), assetA, amountA, partyB.publicKey(), assetB, amountB, expiryMs)
            .sign(ed25519, partyA, Swap.Party.A)
            .sign(ed25519, partyB, Swap.Party.B)
            .signed();
    }

    private Signed sign(final byte[] tx, final int length, final KeyPair signer) {
        assert length == tx.length : "encoded length " + length + " != buffer " + tx.length;
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(signer, tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return new Signed(tx, txId(tx));
    }

    /**
     * The id of a transaction's bytes: SHA-256 of its signed prefix.
     *
     * @throws IllegalArgumentException if the bytes are not a valid user transaction.
     */
    public static byte[] txId(final byte[] tx) {
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final var error = MessageValidator.validateUserTransaction(buffer, 0, tx.length);
        if (!error.isOk()) {
            throw new IllegalArgumentException("not a valid transaction: " + error.name() + " (" + error.message() + ")");
        }
        final byte[] id = new byte[Sha256.DIGEST_BYTES];
        new Sha256().digest(tx, 0, SignedRegion.signedLength(buffer, 0, tx.length), id, 0);
        return id;
    }
}
