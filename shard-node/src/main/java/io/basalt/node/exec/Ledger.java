package io.basalt.node.exec;

import io.basalt.dag.CommittedSubDag;
import io.basalt.exec.TxView;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import java.util.Map;
import java.util.SortedMap;

/**
 * A shard's state and its execution: balances per (account, asset), issued assets, replay
 * protection, fees, swap escrows, the cross-shard streams, and the commit log that makes it all
 * durable. The rules themselves are the {@code execution} module's; a ledger stores what they decide.
 *
 * <p>{@link #apply} is called by one thread only (the execution agent), in height order; reads may
 * come from any thread and see a consistent state of some height. Money invariants (no overflow,
 * supply per asset conserved except fees burned, assets minted and cross-shard transfers) are
 * checked on every apply, always, and a violation stops the node rather than continue with wrong
 * balances.
 */
public interface Ledger extends AutoCloseable {
    /**
     * Executes a committed sub-DAG: every transaction of every block in order, each exactly once
     * across the ledger's life (a repeat of an id seen before its expiry is DUPLICATE, not charged).
     * Durable when it returns (commit log written before the state changes).
     */
    void apply(CommittedSubDag subDag, ExecutionListener listener);

    /** The last height applied; 0 for a fresh ledger. */
    long appliedHeight();

    /** Digest of the state after {@link #appliedHeight}: equal on every honest validator. */
    byte[] stateDigest();

    long consensusTimeMs();

    /** Non-zero balances of an account, by asset id. */
    Map<Integer, Long> balances(byte[] account);

    /**
     * Read-only admission checks for a transaction whose signatures already verified: the guard
     * list of the execution rules (network, expiry window, already executed, shard, fee) against
     * the current state. Thread-safe; the answer may be stale by a few heights.
     */
    RejectCode precheck(byte[] tx, int offset, int length);

    /** As {@link #precheck(byte[], int, int)} for a transaction the caller has already decoded. */
    RejectCode precheck(TxView tx);

    /** The result of an executed transaction id, or null when unknown (or expired from memory). */
    TxRecord executed(byte[] txId);

    /** The SETTLED outcome of a cross-shard transaction on this shard (credit applied, swap decided), or null. */
    TxRecord settled(byte[] txId);

    /** The next batch number expected from {@code sourceShard} (1 before the first). Thread-safe. */
    long inboundNext(int sourceShard);

    /** The number the next batch to {@code destShard} will get (1 before the first). Thread-safe. */
    long outboundNext(int destShard);

    /** Up to {@code max} stored batch prefixes to {@code destShard} from {@code fromSeq} on, by seq. Thread-safe. */
    SortedMap<Long, byte[]> outbox(int destShard, long fromSeq, int max);

    /**
     * The destination acknowledged (f+1 of its validators) every batch up to {@code throughSeq}: the
     * stored batches are dropped and the watermark is kept, so that a restarted validator still
     * knows which of its transfers settled.
     */
    void pruneOutbox(int destShard, long throughSeq);

    /**
     * Whether {@code txId} is a transfer this shard sent to another shard (a receipt in one of its
     * batches, not a swap's payout) and the destination acknowledged that batch. Thread-safe; like
     * {@link #executed}, it knows the transfers of the commit log and those applied since start.
     */
    boolean transferSettled(byte[] txId);

    /** Whether {@code txId} is a transfer this shard sent to another shard (settled or not). */
    boolean transferSent(byte[] txId);

    /** Where and how a transaction was executed (or settled). */
    record TxRecord(ExecResult result, long height, long consensusTimeMs) {
    }

    @Override
    void close();
}
