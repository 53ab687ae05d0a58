package io.basalt.node.gateway;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.node.config.Genesis;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/** Signed transactions and one- or multi-shard geneses for gateway tests. */
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

    /** The first test key (by seed, from {@code from}) whose account lives on {@code shard} of {@code shards}. */
    static KeyPair keyOnShard(final int shard, final int shards, final int from) {
        for (int seed = from; seed < from + 1_000; seed++) {
            final KeyPair key = key(seed);
            if (Shards.shardOf(key.publicKey(), shards) == shard) {
                return key;
            }
        }
        throw new IllegalStateException("no test key on shard " + shard);
    }

    static byte[] createAsset(final KeyPair issuer, final int assetId, final long nonce) {
        final byte[] tx = new byte[Layout.CREATE_ASSET_LENGTH];
        final int length = new TransactionEncoding().encodeCreateAsset(new UnsafeBuffer(tx), 0, FakeNode.NETWORK_ID, 10, nonce,
            1_700_000_030_000L, issuer.publicKey(), assetId, 1_000, 2);
        return sign(tx, length, issuer);
    }

    /** A swap signed by both parties: signature 0 by partyA, 1 by partyB. */
    static byte[] swap(final KeyPair partyA, final KeyPair partyB, final long nonce) {
        final byte[] tx = new byte[Layout.SWAP_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = new TransactionEncoding().encodeSwap(buffer, 0, FakeNode.NETWORK_ID, 10, nonce,
            1_700_000_030_000L, partyA.publicKey(), 0, 5, partyB.publicKey(), 9, 7);
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ED25519.sign(partyA, tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        ED25519.sign(partyB, tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 1, signature);
        return tx;
    }

    private static byte[] sign(final byte[] tx, final int length, final KeyPair signer) {
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ED25519.sign(signer, tx, 0, SignedRegion.signedLength(buffer, 0, length), signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        return tx;
    }

    static Genesis genesis() {
        return genesis(1);
    }

    /**
     * A genesis of {@code shards} shards of two validators each; validator v of shard s listens on
     * HTTP port 18000 + 10s + v and Aeron client port 19000 + 10s + 2v (nothing binds them).
     */
    static Genesis genesis(final int shards) {
        final List<Genesis.Shard> list = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            final List<Genesis.Validator> validators = new ArrayList<>();
            for (int v = 0; v < 2; v++) {
                validators.add(new Genesis.Validator(v, key(100 + 10 * s + v).publicKeyHex(), 1 + v, "127.0.0.1:0",
                    "127.0.0.1:" + (18_000 + 10 * s + v), "127.0.0.1:" + (19_000 + 10 * s + 2 * v)));
            }
            list.add(new Genesis.Shard(s, validators));
        }
        return new Genesis(FakeNode.NETWORK_ID, shards, 10, 1_700_000_000_000L, list, List.of());
    }
}
