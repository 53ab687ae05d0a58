package io.basalt.exec;

import io.basalt.crypto.Shards;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.Templates;

/**
 * The guard clauses every user transaction passes before it may change anything, in order.
 * Admission's pre-check ({@link #check} against the last applied state) and execution (against
 * the height's write set) run this one list, so a transaction admission accepts is one execution
 * would not refuse for these reasons at that state.
 *
 * <ol>
 *   <li>networkId differs: WRONG_NETWORK;</li>
 *   <li>expiry not after the consensus time: EXPIRED; more than 60 s after it: EXPIRY_TOO_FAR;</li>
 *   <li>the id is in the replay set and not yet expired: DUPLICATE, a no-op;</li>
 *   <li>no party lives on this shard: WRONG_SHARD. The sender must live here, except for a
 *       cross-shard swap, which either party's shard may order;</li>
 *   <li>where the fee payer (the sender) lives here: the {@code fee} field below the genesis fee or
 *       the payer's asset-0 balance below it: INSUFFICIENT_FEE.</li>
 * </ol>
 * None of them charges a fee: a fee can only be taken from an account of this shard that can pay it.
 */
public enum Guard {
    PASS(ExecResult.SUCCESS, RejectCode.NONE),
    WRONG_NETWORK(ExecResult.WRONG_NETWORK, RejectCode.WRONG_NETWORK),
    EXPIRED(ExecResult.EXPIRED, RejectCode.EXPIRED),
    EXPIRY_TOO_FAR(ExecResult.EXPIRED, RejectCode.EXPIRY_TOO_FAR),
    DUPLICATE(ExecResult.DUPLICATE, RejectCode.DUPLICATE),
    WRONG_SHARD(ExecResult.WRONG_SHARD, RejectCode.WRONG_SHARD),
    INSUFFICIENT_FEE(ExecResult.INSUFFICIENT_FEE, RejectCode.INSUFFICIENT_FEE_BALANCE);

    private final ExecResult execResult;
    private final RejectCode rejectCode;

    Guard(final ExecResult execResult, final RejectCode rejectCode) {
        this.execResult = execResult;
        this.rejectCode = rejectCode;
    }

    public ExecResult execResult() {
        return execResult;
    }

    public RejectCode rejectCode() {
        return rejectCode;
    }

    /** Reads balances and the replay set; implemented by the state and by a height's write set. */
    public interface Reads {
        long balance(byte[] account, int assetId);

        long replayExpiry(byte[] txId);
    }

    /** Runs the guards on a wrapped transaction at consensus time {@code nowMs}. */
    public static Guard check(final ExecConfig config, final TxView tx, final Reads reads, final long nowMs) {
        if (tx.networkId != Integer.toUnsignedLong(config.networkId())) {
            return WRONG_NETWORK;
        }
        if (Long.compareUnsigned(tx.expiryMs, nowMs) <= 0) {
            return EXPIRED;
        }
        if (Long.compareUnsigned(tx.expiryMs, nowMs + ExecConfig.MAX_EXPIRY_AHEAD_MS) > 0) {
            return EXPIRY_TOO_FAR;
        }
        final long seen = reads.replayExpiry(tx.id);
        if (seen != StateView.ABSENT && seen > nowMs) {
            return DUPLICATE;
        }
        final boolean senderHere = shardOf(config, tx.sender) == config.shardId();
        if (!senderHere && !(isCrossShardSwap(config, tx) && shardOf(config, tx.other) == config.shardId())) {
            return WRONG_SHARD;
        }
        if (senderHere && (Long.compareUnsigned(tx.fee, config.fee()) < 0 || reads.balance(tx.sender, 0) < config.fee())) {
            return INSUFFICIENT_FEE;
        }
        return PASS;
    }

    static boolean isCrossShardSwap(final ExecConfig config, final TxView tx) {
        return tx.template == Templates.SWAP && shardOf(config, tx.sender) != shardOf(config, tx.other);
    }

    static int shardOf(final ExecConfig config, final byte[] account) {
        return Shards.shardOf(account, config.shardCount());
    }
}
