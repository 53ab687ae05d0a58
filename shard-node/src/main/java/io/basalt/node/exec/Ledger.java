package io.basalt.node.exec;

import io.basalt.dag.CommittedSubDag;
import java.util.Map;

/**
 * A shard's state and its execution: balances per (account, asset), issued assets, replay
 * protection, fees, and the commit log that makes it all durable.
 *
 * <p>{@link #apply} is called by one thread only (the execution agent), in height order; reads may
 * come from any thread and see a consistent state of some height. Money invariants (no overflow,
 * supply per asset conserved except fees burned and assets minted) are checked on every apply,
 * always, and a violation stops the node rather than continue with wrong balances.
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
     * Read-only admission checks for a transaction whose signatures already verified: network,
     * shard of the sender, expiry window against the current consensus time, already executed,
     * and whether the sender can pay the fee. Thread-safe; the answer may be stale by a few heights.
     */
    io.basalt.node.api.RejectCode precheck(byte[] tx, int offset, int length);

    /** The result of an executed transaction id, or null when unknown (or expired from memory). */
    TxRecord executed(byte[] txId);

    /** Where and how a transaction was executed. */
    record TxRecord(ExecResult result, long height, long consensusTimeMs) {
    }

    @Override
    void close();
}
