package io.basalt.perf.load;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Sha256;
import io.basalt.node.api.NodeApi;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.protocol.TxState;
import io.basalt.node.api.TxStatus;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Funds the sender accounts from the shard's faucet before any step (and creates the assets that
 * swaps trade), and waits until every validator of the shard has executed every funding
 * transaction: admission checks the fee against the executed state of the validator it runs on, so
 * a sender is usable only once all of them know its balance.
 */
final class Funding {
    /** Faucet transfers expire this long after the validator's consensus time (the protocol allows 60 s). */
    private static final long EXPIRY_AFTER_MS = 30_000;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private Funding() {
    }

    static void fund(final Ed25519 ed25519, final KeyPair faucet, final KeyPair[] accounts, final long amount,
                     final List<? extends NodeApi> validators, final int networkId, final long fee)
        throws InterruptedException {
        fund(ed25519, faucet, accounts, 0, amount, validators, networkId, fee);
    }

    /**
     * Pays {@code amount} of {@code assetId} from {@code faucet} to every account; the faucet and the
     * accounts live on the shard of {@code validators}, and the faucet pays the fees in asset 0.
     */
    static void fund(final Ed25519 ed25519, final KeyPair faucet, final KeyPair[] accounts, final int assetId,
                     final long amount, final List<? extends NodeApi> validators, final int networkId, final long fee)
        throws InterruptedException {
        final NodeApi entry = validators.getFirst();
        final long expiryMs = entry.status().consensusTimeMs() + EXPIRY_AFTER_MS;
        final long nonceBase = new SecureRandom().nextLong() >>> 1;
        final TransactionEncoding encoding = new TransactionEncoding();
        final Sha256 sha256 = new Sha256();
        final byte[][] ids = new byte[accounts.length][Layout.HASH_LENGTH];
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        for (int i = 0; i < accounts.length; i++) {
            final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
            final UnsafeBuffer buffer = new UnsafeBuffer(tx);
            final int length = encoding.encodeTransfer(buffer, 0, networkId, fee, nonceBase + i, expiryMs,
                faucet.publicKey(), accounts[i].publicKey(), assetId, amount);
            final int signed = SignedRegion.signedLength(buffer, 0, length);
            final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
            ed25519.sign(faucet, tx, 0, signed, signature, 0);
            SignedRegion.putSignature(buffer, 0, length, 0, signature);
            sha256.digest(tx, 0, signed, ids[i], 0);
            submitUntilAccepted(entry, tx, deadline);
        }
        for (final NodeApi validator : validators) {
            for (final byte[] id : ids) {
                awaitCommitted(validator, id, deadline);
            }
        }
    }

    /**
     * Creates asset {@code assetId} with {@code supply} minted to {@code issuer} (an account of the
     * asset's home shard, {@code assetId mod shardCount}, which pays the fee) and waits until every
     * validator of that shard has executed it.
     */
    static void createAsset(final Ed25519 ed25519, final KeyPair issuer, final int assetId, final long supply,
                            final List<? extends NodeApi> validators, final int networkId, final long fee)
        throws InterruptedException {
        final NodeApi entry = validators.getFirst();
        final long expiryMs = entry.status().consensusTimeMs() + EXPIRY_AFTER_MS;
        final byte[] tx = new byte[Layout.CREATE_ASSET_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = new TransactionEncoding().encodeCreateAsset(buffer, 0, networkId, fee,
            new SecureRandom().nextLong() >>> 1, expiryMs, issuer.publicKey(), assetId, supply, 0);
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ed25519.sign(issuer, tx, 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, 0, signature);
        final byte[] id = new byte[Layout.HASH_LENGTH];
        new Sha256().digest(tx, 0, signed, id, 0);
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        submitUntilAccepted(entry, tx, deadline);
        for (final NodeApi validator : validators) {
            awaitCommitted(validator, id, deadline);
        }
    }

    private static void submitUntilAccepted(final NodeApi node, final byte[] tx, final long deadline)
        throws InterruptedException {
        while (true) {
            final SubmitResult result = node.submit(tx);
            if (result.accepted()) {
                return;
            }
            if ((result.code() != RejectCode.OVERLOADED && result.code() != RejectCode.NOT_READY)
                || System.nanoTime() > deadline) {
                throw new IllegalStateException("set-up transaction refused: " + result.code());
            }
            Thread.sleep(10);
        }
    }

    private static void awaitCommitted(final NodeApi node, final byte[] id, final long deadline)
        throws InterruptedException {
        while (true) {
            final TxStatus status = node.txStatus(id);
            if (status.state() == TxState.COMMITTED) {
                if (status.result() != 0) {
                    throw new IllegalStateException("set-up transaction failed in execution: "
                        + io.basalt.protocol.ExecResult.fromCode(status.result()));
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("set-up transactions not committed on every validator within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
