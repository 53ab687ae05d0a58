package io.basalt.node.gateway;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.node.config.Genesis;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/** Signed transactions and a one-shard genesis for gateway tests. */
final class TestTransactions {
    static final Ed25519 ED25519 = Ed25519.fromSystemProperties();

    private TestTransactions() {
    }

    static KeyPair key(final int seed) {
        final byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        bytes[31] = 1;
        return ED25519.keyPairFromSeed(bytes);
    }

    static byte[] transfer(final KeyPair from, final byte[] to, final long amount, final long nonce) {
        final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = new TransactionEncoding().encodeTransfer(buffer, 0, FakeNode.NETWORK_ID, 10, nonce,
            1_700_000_030_000L, from.publicKey(), to, 0, amount);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ED25519.sign(from, tx, 0, SignedRegion.signedLength(buffer, 0, length), signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return tx;
    }

    static Genesis genesis() {
        final List<Genesis.Validator> validators = List.of(
            new Genesis.Validator(0, key(100).publicKeyHex(), 1, "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"));
        return new Genesis(FakeNode.NETWORK_ID, 1, 10, 1_700_000_000_000L,
            List.of(new Genesis.Shard(0, validators)), List.of());
    }
}
