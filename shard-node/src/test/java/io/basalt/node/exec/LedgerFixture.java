package io.basalt.node.exec;

import io.basalt.protocol.ExecResult;

import io.basalt.crypto.Shards;
import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CommittedSubDag;
import io.basalt.node.config.Genesis;
import io.basalt.protocol.TransactionEncoding;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.agrona.ExpandableArrayBuffer;

/** Builds genesis, accounts on chosen shards, transactions and real blocks for ledger tests. */
final class LedgerFixture {
    static final int NETWORK = 7;
    static final int SHARDS = 2;
    static final long FEE = 10;
    static final long T0 = 1_000_000;

    final Random random;
    final byte[][] local;   // accounts on shard 0
    final byte[] remote;    // an account on shard 1
    final Genesis genesis;
    private final TransactionEncoding encoding = new TransactionEncoding();
    private final BlockCodec codec = new BlockCodec((digest, signature) -> { });
    private long nonce;
    private long round;

    LedgerFixture(final long seed, final int accounts, final long nativeEach) {
        random = new Random(seed);
        local = new byte[accounts][];
        for (int i = 0; i < accounts; i++) {
            local[i] = accountOn(0);
        }
        remote = accountOn(1);
        final List<Genesis.Allocation> allocations = new ArrayList<>();
        for (final byte[] account : local) {
            allocations.add(new Genesis.Allocation(HexFormat.of().formatHex(account), 0, nativeEach));
        }
        allocations.add(new Genesis.Allocation(HexFormat.of().formatHex(remote), 0, nativeEach));
        final List<Genesis.Shard> shards = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            shards.add(new Genesis.Shard(s, List.of(new Genesis.Validator(0, HexFormat.of().formatHex(new byte[32]), 1,
                "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"))));
        }
        genesis = new Genesis(NETWORK, SHARDS, FEE, T0, shards, allocations);
    }

    byte[] accountOn(final int shard) {
        while (true) {
            final byte[] a = new byte[32];
            random.nextBytes(a);
            if (Shards.shardOf(a, SHARDS) == shard) {
                return a;
            }
        }
    }

    byte[] transfer(final byte[] from, final byte[] to, final int asset, final long amount, final long expiryMs) {
        return transfer(NETWORK, FEE, from, to, asset, amount, expiryMs);
    }

    byte[] transfer(final int network, final long fee, final byte[] from, final byte[] to, final int asset,
                    final long amount, final long expiryMs) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = encoding.encodeTransfer(b, 0, network, fee, ++nonce, expiryMs, from, to, asset, amount);
        return java.util.Arrays.copyOf(b.byteArray(), n);
    }

    byte[] createAsset(final byte[] issuer, final int asset, final long supply, final long expiryMs) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = encoding.encodeCreateAsset(b, 0, NETWORK, FEE, ++nonce, expiryMs, issuer, asset, supply, 2);
        return java.util.Arrays.copyOf(b.byteArray(), n);
    }

    byte[] swap(final byte[] a, final int assetA, final long amountA, final byte[] b2, final int assetB, final long amountB,
                final long expiryMs) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = encoding.encodeSwap(b, 0, NETWORK, FEE, ++nonce, expiryMs, a, assetA, amountA, b2, assetB, amountB);
        return java.util.Arrays.copyOf(b.byteArray(), n);
    }

    /** One sub-DAG of one real block holding {@code txs}. */
    CommittedSubDag subDag(final long height, final long timeMs, final byte[]... txs) {
        final Block block = codec.build(0, 0, ++round, timeMs,
            new BlockRef[] {new BlockRef(0, round - 1, new byte[32])}, txs);
        return new CommittedSubDag(height, block.ref(), timeMs, List.of(block));
    }

    /** Collects what the listener saw. */
    static final class Recorder implements ExecutionListener {
        final List<ExecResult> results = new ArrayList<>();
        final List<byte[]> digests = new ArrayList<>();

        @Override
        public void onExecuted(final byte[] txIdBuffer, final int txIdOffset, final ExecResult result, final long height,
                               final long consensusTimeMs) {
            results.add(result);
        }

        @Override
        public void onHeight(final long height, final byte[] stateDigest, final long consensusTimeMs) {
            digests.add(stateDigest.clone());
        }

        ExecResult last() {
            return results.getLast();
        }
    }
}
