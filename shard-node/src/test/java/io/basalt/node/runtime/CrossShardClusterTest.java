package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Sha256;
import io.basalt.crypto.Shards;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.SubmitResult;
import io.basalt.node.api.TxStatus;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.TxState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two shards of four validators in one JVM (the {@code basalt local} set-up, over IPC, with the
 * real Chronicle ledgers): a transfer from shard 0 to an account of shard 1 debits on 0, credits
 * exactly once on 1, and goes COMMITTED then SETTLED; a swap whose parties live on different
 * shards delivers both legs; money is conserved across the shards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class CrossShardClusterTest {
    @TempDir
    static Path dir;

    private final Ed25519 ed25519 = Ed25519.fromSystemProperties();
    private final TransactionEncoding encoding = new TransactionEncoding();
    private LocalCluster cluster;
    private KeyPair faucet0;
    private KeyPair faucet1;
    private long nonce;
    private final ConcurrentLinkedQueue<FinalityEvent> events0 = new ConcurrentLinkedQueue<>();

    @BeforeAll
    void start() throws Exception {
        cluster = LocalCluster.start(2, 4, dir.resolve("cluster"), true, false);
        faucet0 = KeyFiles.read(ClusterFiles.faucetKey(cluster.dir(), 0));
        faucet1 = KeyFiles.read(ClusterFiles.faucetKey(cluster.dir(), 1));
        cluster.nodes().get(0).subscribe(events0::add);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void transferAcrossShardsSettlesExactlyOnce() throws Exception {
        final byte[] to = accountOn(1);
        final long fee = genesisFee();
        final long before0 = totalNative(0);
        final long before1 = totalNative(1);
        final byte[] tx = transfer(faucet0, to, 0, 1_000);
        final ValidatorNode source = node(0, 1);
        assertEquals(RejectCode.NONE, source.submit(tx).code());
        final byte[] id = id(tx);
        waitFor(() -> node(1, 0).balances(to).getOrDefault(0, 0L) == 1_000, "credit on shard 1");
        for (int v = 0; v < 4; v++) {
            final int index = v;
            // The maps are written before the height's outcomes are published: wait for both.
            waitFor(() -> node(1, index).balances(to).getOrDefault(0, 0L) == 1_000
                && node(1, index).txStatus(id).state() == TxState.SETTLED, "credit and SETTLED on validator 1/" + v);
        }
        waitFor(() -> source.txStatus(id).state() == TxState.SETTLED, "SETTLED at the source");
        waitFor(() -> events0.stream().anyMatch(e -> Arrays.equals(e.txId(), id) && e.level() == TxState.SETTLED),
            "SETTLED on the source's finality stream");
        // Resubmitting the same bytes is a no-op everywhere: still exactly one credit.
        final SubmitResult again = source.submit(tx);
        assertTrue(again.code() == RejectCode.DUPLICATE, "resubmission is refused as a duplicate: " + again.code());
        // A copy with a broken signature, sent to the source and to the destination (issue 10 item 1).
        final byte[] forged = tx.clone();
        forged[forged.length - 1] ^= 1;
        assertEquals(RejectCode.BAD_SIGNATURE, node(0, 0).submit(forged).code());
        assertEquals(RejectCode.BAD_SIGNATURE, node(1, 0).submit(forged).code());
        Thread.sleep(200);
        assertEquals(1_000, node(1, 2).balances(to).get(0));
        waitFor(() -> totalNative(0) == before0 - 1_000 - fee && totalNative(1) == before1 + 1_000, "supply moved");
        // The source's stream told one story, and it is the one status tells.
        final var forId = events0.stream().filter(e -> Arrays.equals(e.txId(), id)).toList();
        final String story = forId.stream().map(e -> e.level() + "/" + e.result()).toList().toString();
        assertTrue(forId.stream().noneMatch(e -> e.level() == TxState.REJECTED), story);
        assertEquals(1, forId.stream().filter(e -> e.level() == TxState.COMMITTED).count(), story);
        final var settled = forId.stream().filter(e -> e.level() == TxState.SETTLED).toList();
        assertEquals(1, settled.size(), story);
        assertEquals(TxState.SETTLED, forId.getLast().level(), story);
        assertEquals(TxState.SETTLED, cluster.nodes().get(0).txStatus(id).state());
        assertEquals(cluster.nodes().get(0).txStatus(id).result(), settled.getFirst().result(), story);
        assertEquals(TxState.SETTLED, node(1, 0).txStatus(id).state(), "the forgery did not touch the destination's status");
    }

    @Test
    void swapAcrossShardsDeliversBothLegs() throws Exception {
        final long fee = genesisFee();
        final KeyPair alice = keyOn(0);
        final KeyPair bob = keyOn(1);
        submitAndWait(node(0, 0), transfer(faucet0, alice.publicKey(), 0, 10_000));
        submitAndWait(node(1, 0), transfer(faucet1, bob.publicKey(), 0, 10_000));
        // Bob pays one fee to mint, on his own shard, an asset of its residue class (id mod 2 == 1).
        submitAndWait(node(1, 0), createAsset(bob, 777, 500));
        final byte[] swap = swap(alice, 0, 2_000, bob, 777, 300);
        assertEquals(RejectCode.NONE, node(1, 3).submit(swap).code(), "a swap may be sent to either party's shard");
        waitFor(() -> node(0, 2).balances(alice.publicKey()).getOrDefault(777, 0L) == 300, "Alice got Bob's leg");
        waitFor(() -> node(1, 2).balances(bob.publicKey()).getOrDefault(0, 0L) == 10_000 - fee + 2_000,
            "Bob got Alice's leg");
        // Every validator of each shard ends in the same state; validator 1 of each may trail by a height.
        waitFor(() -> node(0, 1).balances(alice.publicKey()).get(0) == 10_000 - 2_000 - fee, "Alice paid her leg and one fee");
        waitFor(() -> node(1, 1).balances(bob.publicKey()).getOrDefault(777, 0L) == 200L, "Bob kept 200 of his asset");
        waitFor(() -> node(0, 3).txStatus(id(swap)).state() == TxState.SETTLED, "SETTLED on Alice's shard");
        assertEquals(ExecResult.SUCCESS.code(), node(0, 3).txStatus(id(swap)).result());
    }

    // ---- helpers

    private ValidatorNode node(final int shard, final int index) {
        return cluster.nodes().get(shard * 4 + index);
    }

    private long genesisFee() {
        return cluster.nodes().getFirst().genesis().fee();
    }

    /** The shard's supply of asset 0 as its validator 0 keeps it (balances plus escrows). */
    private long totalNative(final int shard) {
        return ((io.basalt.node.exec.ChronicleLedger) node(shard, 0).ledger()).supply(0);
    }

    private void submitAndWait(final ValidatorNode node, final byte[] tx) throws InterruptedException {
        assertEquals(RejectCode.NONE, node.submit(tx).code());
        final byte[] id = id(tx);
        waitFor(() -> {
            final TxStatus status = node.txStatus(id);
            return status.state() == TxState.COMMITTED || status.state() == TxState.SETTLED;
        }, "commit of a set-up transaction");
        assertEquals(0, node.txStatus(id).result(), "set-up transaction succeeded");
    }

    private static void waitFor(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private byte[] accountOn(final int shard) {
        return keyOn(shard).publicKey();
    }

    private KeyPair keyOn(final int shard) {
        while (true) {
            final KeyPair key = ed25519.generateKeyPair(new SecureRandom());
            if (Shards.shardOf(key.publicKey(), 2) == shard) {
                return key;
            }
        }
    }

    private long expiry() {
        return cluster.nodes().getFirst().status().consensusTimeMs() + 30_000;
    }

    private int network() {
        return cluster.nodes().getFirst().genesis().networkId();
    }

    private byte[] transfer(final KeyPair from, final byte[] to, final int asset, final long amount) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = encoding.encodeTransfer(b, 0, network(), genesisFee(), ++nonce, expiry(), from.publicKey(), to,
            asset, amount);
        return signed(b, n, from);
    }

    private byte[] createAsset(final KeyPair issuer, final int asset, final long supply) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = encoding.encodeCreateAsset(b, 0, network(), genesisFee(), ++nonce, expiry(), issuer.publicKey(),
            asset, supply, 0);
        return signed(b, n, issuer);
    }

    private byte[] swap(final KeyPair a, final int assetA, final long amountA, final KeyPair b2, final int assetB,
                        final long amountB) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        final int n = encoding.encodeSwap(b, 0, network(), genesisFee(), ++nonce, expiry(), a.publicKey(), assetA, amountA,
            b2.publicKey(), assetB, amountB);
        return signed(b, n, a, b2);
    }

    private byte[] signed(final ExpandableArrayBuffer b, final int length, final KeyPair... signers) {
        final int signedLength = SignedRegion.signedLength(b, 0, length);
        final byte[] prefix = Arrays.copyOf(b.byteArray(), signedLength);
        for (int i = 0; i < signers.length; i++) {
            SignedRegion.putSignature(b, 0, length, i, ed25519.sign(signers[i], prefix));
        }
        return Arrays.copyOf(b.byteArray(), length);
    }

    private static byte[] id(final byte[] tx) {
        final byte[] id = new byte[32];
        final org.agrona.concurrent.UnsafeBuffer view = new org.agrona.concurrent.UnsafeBuffer(tx);
        new Sha256().digest(tx, 0, SignedRegion.signedLength(view, 0, tx.length), id, 0);
        return id;
    }
}
