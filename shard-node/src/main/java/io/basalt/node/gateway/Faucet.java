package io.basalt.node.gateway;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.security.SecureRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Signs Transfers of the native asset from the faucet account of a local or test network. The HTTP
 * gateway submits them like any client transaction, so the faucet gets no privilege in the ledger.
 */
final class Faucet {
    /** Most of asset 0 one request may ask for. */
    static final long MAX_AMOUNT_PER_REQUEST = 1_000_000_000L;
    /** Expiry of a faucet transfer, after the node's consensus time; protocol allows at most 60 s. */
    static final long EXPIRY_AFTER_MS = 30_000;

    private final Ed25519 ed25519;
    private final KeyPair key;
    private final int networkId;
    private final long fee;
    private final SecureRandom random = new SecureRandom();

    Faucet(final Ed25519 ed25519, final KeyPair key, final int networkId, final long fee) {
        this.ed25519 = ed25519;
        this.key = key;
        this.networkId = networkId;
        this.fee = fee;
    }

    byte[] address() {
        return key.publicKey();
    }

    /** A signed Transfer of {@code amount} of asset 0 to {@code to}; synchronized for the shared encoder state. */
    synchronized byte[] transfer(final byte[] to, final long amount, final long consensusTimeMs) {
        final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = new TransactionEncoding().encodeTransfer(buffer, 0, networkId, fee, random.nextLong(),
            consensusTimeMs + EXPIRY_AFTER_MS, key.publicKey(), to, 0, amount);
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(key, tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return tx;
    }
}
