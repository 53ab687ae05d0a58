package io.basalt.perf.load;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Sha256;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every transaction of one multi-shard step, signed before the step's clock starts, following a
 * {@link MixPlan}:
 * <ul>
 *   <li>same-shard transfer: a random funded account of the source shard pays 1 unit of asset 0 to
 *       another account of that shard;</li>
 *   <li>cross-shard transfer: a random account of the source shard pays 1 unit of asset 0 to a
 *       random account of the destination shard;</li>
 *   <li>cross-shard swap: partyA (an account of the source shard, which pays the fee) gives 1 unit
 *       of the source shard's swap asset, partyB (an account of the other shard) 1 unit of its
 *       shard's; signed by both (signature 0 A's, 1 B's) and submitted once, to partyA's shard, as
 *       the SDK routes it.</li>
 * </ul>
 * Nonce {@code nonceBase + i}; expiry {@code expiryBaseMs} plus the intended send offset, as in
 * {@link SignedWorkload}.
 */
final class MixedWorkload implements OpenLoopRun.Offered {
    static final long AMOUNT = 1;

    private final MixPlan plan;
    private final byte[][] transactions;
    private final TxIndex index;
    private final long signingNs;

    private MixedWorkload(final MixPlan plan, final byte[][] transactions, final byte[] ids, final long signingNs) {
        this.plan = plan;
        this.transactions = transactions;
        this.index = new TxIndex(ids);
        this.signingNs = signingNs;
    }

    /**
     * @param accounts   funded accounts by shard (each of shard s lives on shard s, holds asset 0 and,
     *                   when the plan has swaps, {@code swapAssets[s]})
     * @param swapAssets the asset each shard's swap parties give, by shard; may be null without swaps
     */
    static MixedWorkload sign(final Ed25519 ed25519, final KeyPair[][] accounts, final int[] swapAssets,
                              final int networkId, final long fee, final MixPlan plan, final OpenLoopSchedule schedule,
                              final long expiryBaseMs, final long nonceBase, final long seed, final int threads) {
        final int n = schedule.total();
        if (plan.size() != n) {
            throw new IllegalArgumentException("plan of " + plan.size() + " transactions for a schedule of " + n);
        }
        for (final KeyPair[] shard : accounts) {
            if (shard.length < 2) {
                throw new IllegalArgumentException("need at least two accounts per shard (each pays another)");
            }
        }
        if (swapAssets == null && plan.counts()[TxKind.CROSS_SHARD_SWAP.ordinal()] > 0) {
            throw new IllegalArgumentException("swaps planned but no swap assets given");
        }
        final byte[][] transactions = new byte[n][];
        final byte[] ids = new byte[n * Layout.HASH_LENGTH];
        final long startNs = System.nanoTime();
        ParallelRanges.run("load-signer", n, threads, (from, to) -> signRange(ed25519, accounts, swapAssets,
            networkId, fee, plan, schedule, expiryBaseMs, nonceBase, seed, from, to, transactions, ids));
        return new MixedWorkload(plan, transactions, ids, System.nanoTime() - startNs);
    }

    private static void signRange(final Ed25519 ed25519, final KeyPair[][] accounts, final int[] swapAssets,
                                  final int networkId, final long fee, final MixPlan plan,
                                  final OpenLoopSchedule schedule, final long expiryBaseMs, final long nonceBase,
                                  final long seed, final int from, final int to, final byte[][] transactions,
                                  final byte[] ids) {
        final TransactionEncoding encoding = new TransactionEncoding();
        final Sha256 sha256 = new Sha256();
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        final SplittableRandom random = new SplittableRandom(seed ^ from * 0x9E3779B97F4A7C15L);
        for (int i = from; i < to; i++) {
            final KeyPair[] here = accounts[plan.sourceShards()[i]];
            final int sender = random.nextInt(here.length);
            final long expiryMs = expiryBaseMs + schedule.intendedNs(i) / 1_000_000L;
            final long nonce = nonceBase + i;
            final TxKind kind = plan.kind(i);
            final byte[] tx;
            final int length;
            final UnsafeBuffer buffer;
            if (kind == TxKind.CROSS_SHARD_SWAP) {
                final KeyPair[] there = accounts[plan.otherShards()[i]];
                final KeyPair partyB = there[random.nextInt(there.length)];
                tx = new byte[Layout.SWAP_LENGTH];
                buffer = new UnsafeBuffer(tx);
                length = encoding.encodeSwap(buffer, 0, networkId, fee, nonce, expiryMs,
                    here[sender].publicKey(), swapAssets[plan.sourceShards()[i]], AMOUNT,
                    partyB.publicKey(), swapAssets[plan.otherShards()[i]], AMOUNT);
                final int signed = SignedRegion.signedLength(buffer, 0, length);
                ed25519.sign(here[sender], tx, 0, signed, signature, 0);
                SignedRegion.putSignature(buffer, 0, length, 0, signature);
                ed25519.sign(partyB, tx, 0, signed, signature, 0);
                SignedRegion.putSignature(buffer, 0, length, 1, signature);
                sha256.digest(tx, 0, signed, ids, i * Layout.HASH_LENGTH);
            } else {
                final byte[] recipient;
                if (kind == TxKind.CROSS_SHARD_TRANSFER) {
                    final KeyPair[] there = accounts[plan.otherShards()[i]];
                    recipient = there[random.nextInt(there.length)].publicKey();
                } else {
                    recipient = here[(sender + 1 + random.nextInt(here.length - 1)) % here.length].publicKey();
                }
                tx = new byte[Layout.TRANSFER_LENGTH];
                buffer = new UnsafeBuffer(tx);
                length = encoding.encodeTransfer(buffer, 0, networkId, fee, nonce, expiryMs,
                    here[sender].publicKey(), recipient, 0, AMOUNT);
                final int signed = SignedRegion.signedLength(buffer, 0, length);
                ed25519.sign(here[sender], tx, 0, signed, signature, 0);
                SignedRegion.putSignature(buffer, 0, length, 0, signature);
                sha256.digest(tx, 0, signed, ids, i * Layout.HASH_LENGTH);
            }
            transactions[i] = tx;
        }
    }

    MixPlan plan() {
        return plan;
    }

    @Override
    public int size() {
        return transactions.length;
    }

    @Override
    public byte[] transaction(final int i) {
        return transactions[i];
    }

    @Override
    public int validator(final int i) {
        return plan.submitNodes()[i];
    }

    long signingNs() {
        return signingNs;
    }

    /** The index of the transaction with this id, or -1 when it is not one of this step's. */
    int indexOf(final byte[] txId) {
        return index.indexOf(txId);
    }

    byte[] id(final int i) {
        return index.id(i);
    }
}
