package io.basalt.client.sdk;

import io.basalt.crypto.Sha256;
import io.basalt.crypto.Shards;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.TransactionSender;
import io.basalt.protocol.TxState;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;

/** What the SDK needs to know of a transaction to wait for its settlement. */
final class CrossShard {
    private static final long POLL_NS = 2_000_000L;
    private static final int TRANSFER_TO = Layout.MESSAGE_HEADER_LENGTH + TransferDecoder.toEncodingOffset();
    private static final int SWAP_PARTY_B = Layout.MESSAGE_HEADER_LENGTH + SwapDecoder.partyBEncodingOffset();

    private CrossShard() {
    }

    /** Whether the transaction moves money to another shard: a transfer across shards, a cross-shard swap. */
    static boolean isCrossShard(final byte[] tx, final int shardCount) {
        final UnsafeBuffer view = new UnsafeBuffer(tx);
        if (shardCount < 2 || !MessageValidator.validateUserTransaction(view, 0, tx.length).isOk()) {
            return false;
        }
        final int template = Templates.templateId(view, 0);
        final int otherOffset = template == Templates.TRANSFER ? TRANSFER_TO : template == Templates.SWAP ? SWAP_PARTY_B : -1;
        if (otherOffset < 0) {
            return false;
        }
        final byte[] other = new byte[Layout.KEY_LENGTH];
        view.getBytes(otherOffset, other);
        return Shards.shardOf(TransactionSender.of(tx), shardCount) != Shards.shardOf(other, shardCount);
    }

    static byte[] txId(final byte[] tx) {
        final byte[] id = new byte[32];
        final UnsafeBuffer view = new UnsafeBuffer(tx);
        if (MessageValidator.validateUserTransaction(view, 0, tx.length).isOk()) {
            new Sha256().digest(tx, 0, SignedRegion.signedLength(view, 0, tx.length), id, 0);
        }
        return id;
    }

    /** Polls the transaction's status until SETTLED or the deadline. */
    static Finality pollSettled(final BasaltClient client, final byte[] txId, final long deadlineNs) {
        while (true) {
            final Finality status = client.txStatus(txId);
            if (status.state() == TxState.SETTLED) {
                return status;
            }
            if (System.nanoTime() - deadlineNs > 0) {
                throw new BasaltException("TIMEOUT", "transaction " + status.txId() + " was not SETTLED in time (last seen "
                    + status.state() + ")", 0);
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
