package io.basalt.client.sdk;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A Swap transaction on its way to two signatures (docs/protocol.md §2): party A gives {@code amountA} of
 * {@code assetA} to party B, B gives {@code amountB} of {@code assetB} to A, all or nothing; A pays the fee.
 *
 * <p>Both parties sign the same signed prefix, signature 0 A's and signature 1 B's, in either order and usually on
 * different machines: A builds the swap ({@link TransactionBuilder#swap}), signs, hands the bytes to B, and B reads
 * them back with {@link #of}, checks the terms decoded from those bytes, signs and submits {@link #signed()}. Every
 * getter decodes the bytes, so what B is shown is what B signs.
 *
 * <p>Signing changes this object; it is not thread-safe.
 */
public final class Swap {
    /** Who signs: the index of each party's signature in the transaction. */
    public enum Party {
        A(0),
        B(1);

        private final int signatureIndex;

        Party(final int signatureIndex) {
            this.signatureIndex = signatureIndex;
        }

        public int signatureIndex() {
            return signatureIndex;
        }
    }

    private final byte[] bytes;
    private final SwapDecoder decoder;

    Swap(final byte[] bytes) {
        this.bytes = bytes;
        this.decoder = new SwapDecoder().wrapAndApplyHeader(new UnsafeBuffer(bytes), 0, new MessageHeaderDecoder());
    }

    /**
     * A copy of swap bytes received from the other party, signed by none, one or both.
     *
     * @throws IllegalArgumentException if the bytes are not a valid transaction, or not a swap
     */
    public static Swap of(final byte[] transaction) {
        final var error = MessageValidator.validateUserTransaction(new UnsafeBuffer(transaction), 0, transaction.length);
        if (!error.isOk()) {
            throw new IllegalArgumentException("not a valid transaction: " + error.name() + " (" + error.message() + ")");
        }
        if (Templates.templateId(new UnsafeBuffer(transaction), 0) != Templates.SWAP) {
            throw new IllegalArgumentException("the transaction is not a swap");
        }
        return new Swap(transaction.clone());
    }

    /**
     * Signs as {@code party}.
     *
     * @throws IllegalArgumentException if {@code key} is not that party's
     */
    public Swap sign(final Ed25519 ed25519, final KeyPair key, final Party party) {
        final byte[] expected = address(party);
        if (!Arrays.equals(expected, key.publicKey())) {
            throw new IllegalArgumentException("the key " + key.publicKeyHex() + " is not party " + party
                + " of this swap (" + Hex.encode(expected) + ")");
        }
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(key, bytes, 0, signedLength(), signature, 0);
        SignedRegion.putSignature(new UnsafeBuffer(bytes), 0, bytes.length, party.signatureIndex(), signature);
        return this;
    }

    /** Whether {@code party}'s signature is present and valid. */
    public boolean signedBy(final Ed25519 ed25519, final Party party) {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        buffer.getBytes(SignedRegion.signatureOffset(buffer, 0, bytes.length, party.signatureIndex()), signature);
        if (Arrays.equals(signature, new byte[Layout.SIGNATURE_LENGTH])) {
            return false;
        }
        return ed25519.verify(address(party), bytes, 0, signedLength(), signature);
    }

    /** The bytes and id to submit; a validator refuses them until both parties signed. */
    public TransactionBuilder.Signed signed() {
        return new TransactionBuilder.Signed(bytes(), txId());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The id, the same before and after signing: it hashes the signed prefix only. */
    public byte[] txId() {
        return TransactionBuilder.txId(bytes);
    }

    public String txIdHex() {
        return Hex.encode(txId());
    }

    public int networkId() {
        return (int) decoder.networkId();
    }

    public long fee() {
        return decoder.fee();
    }

    public long expiryMs() {
        return decoder.expiryMs();
    }

    /** The 32-byte address of {@code party}. */
    public byte[] address(final Party party) {
        final byte[] key = new byte[Layout.KEY_LENGTH];
        if (party == Party.A) {
            decoder.getPartyA(key, 0, key.length);
        } else {
            decoder.getPartyB(key, 0, key.length);
        }
        return key;
    }

    /** The asset {@code party} gives. */
    public int asset(final Party party) {
        return (int) (party == Party.A ? decoder.assetA() : decoder.assetB());
    }

    /** The amount {@code party} gives, unsigned. */
    public long amount(final Party party) {
        return party == Party.A ? decoder.amountA() : decoder.amountB();
    }

    private int signedLength() {
        return SignedRegion.signedLength(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
