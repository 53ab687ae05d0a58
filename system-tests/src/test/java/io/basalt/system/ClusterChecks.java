package io.basalt.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.basalt.node.runtime.ClusterFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The oracles of the process tests: commitment of accepted transactions (asked over HTTP), agreement
 * of state digests at every height (commit logs, tied to what /v1/status reports), money conservation
 * and progress of heights. Every wait is bounded.
 */
final class ClusterChecks {
    static final int RESULT_SUCCESS = 0;
    static final int RESULT_DUPLICATE = 4;
    private static final int MAX_QUERIES_IN_FLIGHT = 16;
    private static final long POLL_MS = 200;

    private ClusterChecks() {
    }

    /**
     * Polls {@code GET /v1/transactions/{id}} (at the validator {@code askWhom} names) until every
     * transaction is COMMITTED (or already SETTLED, for a cross-shard one); returns the answers by
     * id, or fails after {@code timeoutMs} naming what is still missing.
     */
    static Map<String, NodeHttp.Tx> awaitCommitted(final ValidatorProcesses cluster,
                                                   final Collection<TransferLoad.Accepted> transactions,
                                                   final ToIntFunction<TransferLoad.Accepted> askWhom,
                                                   final long timeoutMs) throws InterruptedException {
        final Map<String, NodeHttp.Tx> committed = new ConcurrentHashMap<>();
        final Map<String, String> lastSeen = new ConcurrentHashMap<>();
        final Semaphore slots = new Semaphore(MAX_QUERIES_IN_FLIGHT);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<TransferLoad.Accepted> pending = new ArrayList<>(transactions);
        while (!pending.isEmpty()) {
            for (final TransferLoad.Accepted accepted : pending) {
                slots.acquire();
                final String txId = accepted.tx().txId();
                cluster.http(askWhom.applyAsInt(accepted)).txAsync(txId).whenComplete((tx, error) -> {
                    slots.release();
                    if (tx != null && tx.executed()) {
                        committed.put(txId, tx);
                    } else {
                        lastSeen.put(txId, tx != null ? tx.state() : String.valueOf(error));
                    }
                });
            }
            slots.acquire(MAX_QUERIES_IN_FLIGHT);
            slots.release(MAX_QUERIES_IN_FLIGHT);
            pending = pending.stream().filter(a -> !committed.containsKey(a.tx().txId())).toList();
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                final Map<String, Integer> states = new TreeMap<>();
                pending.forEach(a -> states.merge(lastSeen.getOrDefault(a.tx().txId(), "?"), 1, Integer::sum));
                fail(pending.size() + " of " + transactions.size() + " accepted transactions not COMMITTED after "
                    + timeoutMs + " ms; last states " + states + ", e.g. " + pending.getFirst());
            }
            Thread.sleep(POLL_MS);
        }
        return committed;
    }

    /**
     * Polls {@code GET /v1/transactions/{id}} at validator {@code v} until {@code done} holds for every
     * id (e.g. SETTLED); returns the answers by id, or fails after {@code timeoutMs} with the states
     * last seen.
     */
    static Map<String, NodeHttp.Tx> awaitTxStates(final ValidatorProcesses cluster, final Collection<String> txIds,
                                                  final int v, final Predicate<NodeHttp.Tx> done, final String what,
                                                  final long timeoutMs) throws InterruptedException {
        final Map<String, NodeHttp.Tx> reached = new ConcurrentHashMap<>();
        final Map<String, String> lastSeen = new ConcurrentHashMap<>();
        final Semaphore slots = new Semaphore(MAX_QUERIES_IN_FLIGHT);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<String> pending = new ArrayList<>(txIds);
        while (!pending.isEmpty()) {
            for (final String txId : pending) {
                slots.acquire();
                cluster.http(v).txAsync(txId).whenComplete((tx, error) -> {
                    slots.release();
                    if (tx != null && done.test(tx)) {
                        reached.put(txId, tx);
                    } else {
                        lastSeen.put(txId, tx != null ? tx.state() + "/" + tx.result() : String.valueOf(error));
                    }
                });
            }
            slots.acquire(MAX_QUERIES_IN_FLIGHT);
            slots.release(MAX_QUERIES_IN_FLIGHT);
            pending = pending.stream().filter(id -> !reached.containsKey(id)).toList();
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                final Map<String, Integer> states = new TreeMap<>();
                pending.forEach(id -> states.merge(lastSeen.getOrDefault(id, "?"), 1, Integer::sum));
                fail(pending.size() + " of " + txIds.size() + " transactions not " + what + " on " + cluster.name(v)
                    + " after " + timeoutMs + " ms; last states " + states + ", e.g. " + pending.getFirst());
            }
            Thread.sleep(POLL_MS);
        }
        return reached;
    }

    /** Waits until each listed validator's committed and executed heights rose by at least {@code delta}. */
    static void awaitProgress(final ValidatorProcesses cluster, final List<Integer> validators, final long delta,
                              final long timeoutMs) throws InterruptedException {
        final Map<Integer, Long> from = new HashMap<>();
        for (final int v : validators) {
            from.put(v, status(cluster, v).executedHeight());
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final int v : validators) {
            while (true) {
                final NodeHttp.Status status = cluster.http(v).statusOrNull();
                if (status != null && status.executedHeight() >= from.get(v) + delta) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("validator " + v + " did not advance " + delta + " heights from " + from.get(v) + " in "
                        + timeoutMs + " ms; now " + status);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Waits until validator {@code v} has executed at least {@code height}; returns its status then. */
    static NodeHttp.Status awaitHeight(final ValidatorProcesses cluster, final int v, final long height,
                                       final long timeoutMs) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        NodeHttp.Status status = null;
        while (System.nanoTime() < deadline) {
            status = cluster.http(v).statusOrNull();
            if (status != null && status.executedHeight() >= height) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("validator " + v + " did not reach executed height " + height + " in " + timeoutMs
            + " ms; last status " + status);
    }

    static NodeHttp.Status status(final ValidatorProcesses cluster, final int v) throws InterruptedException {
        final NodeHttp.Status status = cluster.http(v).statusOrNull();
        if (status == null) {
            throw new AssertionError("validator " + v + " does not answer /v1/status\n" + cluster.tail(v, 40));
        }
        return status;
    }

    static long maxExecutedHeight(final ValidatorProcesses cluster, final List<Integer> validators)
        throws InterruptedException {
        long max = 0;
        for (final int v : validators) {
            max = Math.max(max, status(cluster, v).executedHeight());
        }
        return max;
    }

    /** Every validator's commit log (running or not), by validator index. */
    static Map<Integer, NavigableMap<Long, CommitLogs.Height>> readLogs(final ValidatorProcesses cluster)
        throws IOException {
        final Map<Integer, NavigableMap<Long, CommitLogs.Height>> logs = new TreeMap<>();
        for (int v = 0; v < cluster.size(); v++) {
            logs.put(v, CommitLogs.read(cluster.commitLog(v)));
        }
        return logs;
    }

    /**
     * No fork: wherever two validators of one shard both hold a height in their commit logs, the state
     * digests after it are equal (the digest chains over every record, so equal digests mean equal
     * histories up to there). Also checks each log starts at height 1. Returns the logs read.
     */
    static Map<Integer, NavigableMap<Long, CommitLogs.Height>> assertLogsAgree(final ValidatorProcesses cluster)
        throws IOException {
        final Map<Integer, NavigableMap<Long, CommitLogs.Height>> logs = readLogs(cluster);
        for (final var entry : logs.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                assertEquals(1L, entry.getValue().firstKey(), "first height in the log of " + cluster.name(entry.getKey()));
            }
        }
        for (int a = 0; a < cluster.size(); a++) {
            for (int b = a + 1; b < cluster.size(); b++) {
                if (cluster.shardOf(a) != cluster.shardOf(b)) {
                    continue; // shards have histories of their own
                }
                final NavigableMap<Long, CommitLogs.Height> left = logs.get(a);
                final NavigableMap<Long, CommitLogs.Height> right = logs.get(b);
                final long common = Math.min(left.isEmpty() ? 0 : left.lastKey(), right.isEmpty() ? 0 : right.lastKey());
                for (long h = 1; h <= common; h++) {
                    if (!left.get(h).stateDigest().equals(right.get(h).stateDigest())) {
                        fail("FORK: " + cluster.name(a) + " and " + cluster.name(b) + " differ at height " + h + ": "
                            + left.get(h) + " vs " + right.get(h));
                    }
                }
            }
        }
        return logs;
    }

    /**
     * The digest /v1/status reports is the one every validator of its shard has at that height: for
     * each listed (running) validator, read its status (height h, digest d), then wait (bounded) until
     * every other listed validator of its shard holds h in its commit log and check its digest there is d. Status only reports the
     * latest height and heights keep moving while consensus runs idle rounds, so comparing two status
     * answers would rarely meet at one height; the logs give each validator's digest at every height.
     */
    static void assertStatusDigestsAgree(final ValidatorProcesses cluster, final List<Integer> validators,
                                         final long timeoutMs) throws IOException, InterruptedException {
        for (final int v : validators) {
            final NodeHttp.Status status = status(cluster, v);
            for (final int other : validators) {
                if (cluster.shardOf(other) != cluster.shardOf(v)) {
                    continue;
                }
                awaitHeight(cluster, other, status.executedHeight(), timeoutMs);
                final CommitLogs.Height there = CommitLogs.read(cluster.commitLog(other)).get(status.executedHeight());
                assertTrue(there != null, cluster.name(other) + " reports height >= " + status.executedHeight()
                    + " but its commit log lacks it");
                assertEquals(status.stateDigest(), there.stateDigest(), "state digest at height "
                    + status.executedHeight() + ": /v1/status of " + cluster.name(v) + " vs the log of " + cluster.name(other));
            }
        }
    }

    /**
     * Every accepted transaction executed exactly once with SUCCESS in this log (a copy sent twice may
     * appear again as DUPLICATE), at the height its validator reported, and nothing else failed.
     * Returns the number of SUCCESS results in the whole log (each was charged the fee).
     */
    static long assertExecutedOnce(final NavigableMap<Long, CommitLogs.Height> log,
                                   final Map<String, NodeHttp.Tx> reported, final int validator) {
        final Map<String, Long> successHeight = new HashMap<>();
        long successes = 0;
        for (final CommitLogs.Height height : log.values()) {
            for (final CommitLogs.TxResult tx : height.transactions()) {
                if (tx.result() == RESULT_SUCCESS) {
                    successes++;
                    final Long previous = successHeight.put(tx.txId(), height.height());
                    assertTrue(previous == null, "validator " + validator + " executed " + tx.txId()
                        + " successfully twice, at heights " + previous + " and " + height.height());
                } else {
                    assertEquals(RESULT_DUPLICATE, tx.result(), "validator " + validator + ": " + tx.txId()
                        + " at height " + height.height() + " failed with result code " + tx.result());
                }
            }
        }
        for (final var entry : reported.entrySet()) {
            assertEquals(entry.getValue().height(), successHeight.get(entry.getKey()), "height of " + entry.getKey()
                + " in the log of validator " + validator + " vs what the API reported");
            assertEquals("SUCCESS", entry.getValue().result(), "result of " + entry.getKey());
        }
        return successes;
    }

    /**
     * Money is conserved on validator {@code v}: the faucet and the test's accounts (the only holders
     * of asset 0) hold the faucet's genesis amount minus one fee per successful transaction in
     * {@code v}'s log. Call when no transaction is in flight, after v executed all of them.
     */
    static void assertMoneyConserved(final ValidatorProcesses cluster, final Transfers transfers, final int v)
        throws IOException, InterruptedException {
        long sum = 0;
        for (int account = 0; account <= transfers.accounts(); account++) {
            sum += cluster.http(v).balance(transfers.account(account), 0);
        }
        final NavigableMap<Long, CommitLogs.Height> log = CommitLogs.read(cluster.commitLog(v));
        final long successes = log.values().stream()
            .flatMap(h -> h.transactions().stream())
            .filter(tx -> tx.result() == RESULT_SUCCESS)
            .count();
        assertEquals(ClusterFiles.FAUCET_AMOUNT - transfers.fee() * successes, sum,
            "asset 0 held on validator " + v + " after " + successes + " successful transactions");
    }

    /**
     * Nothing committed is lost: the log a validator had when it was killed is a prefix of its log
     * after the restart (same record, same digest, at every height).
     */
    static void assertPrefix(final NavigableMap<Long, CommitLogs.Height> before,
                             final NavigableMap<Long, CommitLogs.Height> after, final String validator) {
        assertTrue(after.size() >= before.size(), validator + " log shrank from " + before.size() + " to "
            + after.size() + " heights");
        for (final CommitLogs.Height height : before.values()) {
            assertEquals(height, after.get(height.height()), validator + " height " + height.height()
                + " after the restart");
        }
    }
}
