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
 * Every Transfer of one step, signed before the step's clock starts, with its id and a lookup from
 * id to index. Signing up front keeps client-side signing (13.6 µs per Transfer with libsodium) off
 * the two cores while the cluster is measured; the submitters only pace and call {@code submit}.
 *
 * <p>Transfer i: a sender drawn at random (seeded) from the K funded accounts, 1 unit of asset 0 to
 * another of them, nonce {@code nonceBase + i}, and expiry {@code expiryBaseMs} plus its intended send
 * time, so every transaction carries the same headroom however long the step runs. Many
 * transactions of one sender are in flight at once, in any order: orderless replay protection and
 * the fee on every one of them are exercised.
 *
 * <p>The id map ({@link TxIndex}) is built once, before the step, and only read afterwards (by the
 * validators' execution threads, through {@link CommitTracker}).
 */
final class SignedWorkload {
    static final long AMOUNT = 1;

    private final byte[][] transactions;
    private final TxIndex index;
    private final long signingNs;

    private SignedWorkload(final byte[][] transactions, final byte[] ids, final long signingNs) {
        this.transactions = transactions;
        this.signingNs = signingNs;
        this.index = new TxIndex(ids);
    }

    /**
     * Signs {@code schedule.total()} Transfers on {@code threads} threads.
     *
     * @param expiryBaseMs expiry of transaction 0 (epoch ms); transaction i adds its intended send offset
     */
    static SignedWorkload sign(final Ed25519 ed25519, final KeyPair[] senders, final int networkId, final long fee,
                               final OpenLoopSchedule schedule, final long expiryBaseMs, final long nonceBase,
                               final long seed, final int threads) {
        if (senders.length < 2) {
            throw new IllegalArgumentException("need at least two sender accounts (each pays another)");
        }
        final int n = schedule.total();
        final byte[][] transactions = new byte[n][];
        final byte[] ids = new byte[n * Layout.HASH_LENGTH];
        final long startNs = System.nanoTime();
        ParallelRanges.run("load-signer", n, threads, (from, to) -> signRange(ed25519, senders, networkId,
            fee, schedule, expiryBaseMs, nonceBase, seed, from, to, transactions, ids));
        return new SignedWorkload(transactions, ids, System.nanoTime() - startNs);
    }

    private static void signRange(final Ed25519 ed25519, final KeyPair[] senders, final int networkId, final long fee,
                                  final OpenLoopSchedule schedule, final long expiryBaseMs, final long nonceBase,
                                  final long seed, final int from, final int to, final byte[][] transactions,
                                  final byte[] ids) {
        final TransactionEncoding encoding = new TransactionEncoding();
        final Sha256 sha256 = new Sha256();
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        final SplittableRandom random = new SplittableRandom(seed ^ from * 0x9E3779B97F4A7C15L);
        for (int i = from; i < to; i++) {
            final int sender = random.nextInt(senders.length);
            final int recipient = (sender + 1 + random.nextInt(senders.length - 1)) % senders.length;
            final long expiryMs = expiryBaseMs + schedule.intendedNs(i) / 1_000_000L;
            final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
            final UnsafeBuffer buffer = new UnsafeBuffer(tx);
            final int length = encoding.encodeTransfer(buffer, 0, networkId, fee, nonceBase + i, expiryMs,
                senders[sender].publicKey(), senders[recipient].publicKey(), 0, AMOUNT);
            final int signed = SignedRegion.signedLength(buffer, 0, length);
            ed25519.sign(senders[sender], tx, 0, signed, signature, 0);
            SignedRegion.putSignature(buffer, 0, length, 0, signature);
            sha256.digest(tx, 0, signed, ids, i * Layout.HASH_LENGTH);
            transactions[i] = tx;
        }
    }

    int size() {
        return transactions.length;
    }

    byte[] transaction(final int index) {
        return transactions[index];
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
