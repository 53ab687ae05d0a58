package io.basalt.node.runtime;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.util.Arrays;
import org.agrona.ExpandableArrayBuffer;

/** Builds signed transfers for tests. */
final class Transfers {
    private final Ed25519 ed25519;
    private final int networkId;
    private final long fee;
    private final TransactionEncoding encoding = new TransactionEncoding();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);

    Transfers(final Ed25519 ed25519, final int networkId, final long fee) {
        this.ed25519 = ed25519;
        this.networkId = networkId;
        this.fee = fee;
    }

    byte[] transfer(final KeyPair from, final byte[] to, final long amount, final long nonce, final long expiryMs) {
        final int length = encoding.encodeTransfer(buffer, 0, networkId, fee, nonce, expiryMs, from.publicKey(), to, 0, amount);
        final byte[] tx = Arrays.copyOf(buffer.byteArray(), length);
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = ed25519.sign(from, Arrays.copyOf(tx, signed));
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return Arrays.copyOf(buffer.byteArray(), length);
    }
}
