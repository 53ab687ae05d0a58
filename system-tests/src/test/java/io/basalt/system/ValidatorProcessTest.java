package io.basalt.system;

import static io.basalt.system.ClusterChecks.assertExecutedOnce;
import static io.basalt.system.ClusterChecks.assertLogsAgree;
import static io.basalt.system.ClusterChecks.assertMoneyConserved;
import static io.basalt.system.ClusterChecks.assertStatusDigestsAgree;
import static io.basalt.system.ClusterChecks.awaitCommitted;
import static io.basalt.system.ClusterChecks.awaitHeight;
import static io.basalt.system.ClusterChecks.awaitProgress;
import static io.basalt.system.ClusterChecks.maxExecutedHeight;
import static io.basalt.system.ClusterChecks.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.runtime.ClusterFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process tests (docs/architecture.md §7): four {@code basalt node} processes of one shard on loopback, talking
 * Aeron UDP, driven over their HTTP gateways, killed with SIGKILL and restarted from their data.
 *
 * <p>Oracles: every accepted transaction reaches COMMITTED (asked over HTTP); every validator's commit
 * log holds the same state digest at every height it shares with another (no fork, {@link CommitLogs});
 * the digest /v1/status reports equals every other validator's at that height; every transaction
 * executes exactly once; asset 0 held by the faucet and the accounts equals the genesis amount minus
 * the fees of the successful transactions; a restarted validator still reports what it had committed,
 * at the same heights.
 *
 * <p>Loads are sized for a 2-core machine shared by four validator JVMs and the test JVM.
 */
@Tag("process")
class ValidatorProcessTest {
    private static final int VALIDATORS = 4;
    private static final long READY_TIMEOUT_MS = 90_000;
    private static final long COMMIT_TIMEOUT_MS = 60_000;
    /** Asset 0 given to each test account before the transfers; no transfer can run one dry. */
    private static final long FUNDING = 1_000_000;

    private ValidatorProcesses cluster;
    private Transfers transfers;
    private TransferLoad load;

    /** On failure, the tail of every validator's log (after {@link #stopProcesses}; the logs are files). */
    @RegisterExtension
    final AfterEachCallback printLogsOnFailure = context -> {
        if (context.getExecutionException().isPresent() && cluster != null) {
            System.err.println("==== " + context.getDisplayName() + " failed; validator logs:\n" + cluster.tails(40));
        }
    };

    @AfterEach
    void stopProcesses() throws InterruptedException {
        try {
            if (load != null) {
                load.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /**
     * 4 validators, 50 funded accounts, 5,000 transfers between random pairs at a bounded rate,
     * round-robin over the four gateways: every one is accepted and COMMITTED, executes exactly once
     * everywhere at the height its validator reported, every account holds exactly what the transfers
     * say on all four validators, money is conserved, and the four agree on the digest at every height.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void fiveThousandTransfersCommitOnEveryValidatorWithOneStateDigest(final TestInfo info) throws Exception {
        final Clock clock = new Clock();
        final List<TransferLoad.Accepted> funding = startFundedNetwork("transfers", 50);
        clock.lap("start 4 processes and fund 50 accounts");

        final int total = 5_000;
        load = new TransferLoad(cluster, transfers, 350, total).start();
        assertTrue(load.awaitDone(60_000), "load not done: " + load.generated() + " generated");
        load.stop();
        clock.lap("submit " + total + " transfers");
        assertEquals(Map.of(), load.refusals(), "refused submissions");
        assertEquals(0, load.idMismatches(), "gateway txIds that differ from the signed bytes' hash");
        final List<TransferLoad.Accepted> accepted = load.accepted();
        assertEquals(total, accepted.size(), "accepted transfers");

        final Map<String, NodeHttp.Tx> committed = new HashMap<>(awaitCommitted(cluster, accepted,
            TransferLoad.Accepted::validator, COMMIT_TIMEOUT_MS));
        committed.putAll(awaitCommitted(cluster, funding, a -> 0, COMMIT_TIMEOUT_MS));
        clock.lap("all accepted COMMITTED");

        final List<Integer> all = List.of(0, 1, 2, 3);
        awaitAllExecuted(all, committed);
        final Map<Integer, NavigableMap<Long, CommitLogs.Height>> logs = assertLogsAgree(cluster);
        for (final int v : all) {
            assertEquals(total + funding.size(), assertExecutedOnce(logs.get(v), committed, v),
                "successful transactions in the log of validator " + v);
        }
        assertExactBalances(accepted, funding.size(), all);
        for (final int v : all) {
            assertMoneyConserved(cluster, transfers, v);
        }
        assertStatusDigestsAgree(cluster, all, 10_000);
        clock.lap("verify logs, balances, digests");
        System.out.printf("%s: %d transfers, top height %d, %s%n", info.getDisplayName(), total,
            maxExecutedHeight(cluster, all), clock);
    }

    /**
     * SIGKILL one validator while transfers flow: the other three keep committing, and what they accept
     * commits. Restarted with the same config, the victim catches up to the others' height, its digest
     * matches theirs at every height, and it still reports every transaction it had committed before
     * the kill as COMMITTED at the same height (its log before the kill is a prefix of its log after).
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void killNineOneValidatorUnderLoadThenRestartItAndItCatchesUp(final TestInfo info) throws Exception {
        final Clock clock = new Clock();
        final List<TransferLoad.Accepted> funding = startFundedNetwork("kill-one", 20);
        final int victim = 3;
        final List<Integer> survivors = List.of(0, 1, 2);
        load = new TransferLoad(cluster, transfers, 120, Integer.MAX_VALUE).start();
        Thread.sleep(3_000);

        // What the victim has committed while the load keeps running, to its gateway too.
        final List<TransferLoad.Accepted> beforeKill = load.accepted();
        final Map<String, NodeHttp.Tx> committedOnVictim = awaitCommitted(cluster, beforeKill, a -> victim, COMMIT_TIMEOUT_MS);
        clock.lap("start, fund, load; " + beforeKill.size() + " committed on the victim");

        load.phase(1);
        cluster.kill(victim);
        load.target(victim, false);
        final NavigableMap<Long, CommitLogs.Height> victimLogAtKill = CommitLogs.read(cluster.commitLog(victim));
        awaitProgress(cluster, survivors, 20, 20_000);
        // At least 2 s of load on the survivors, and until they accepted 100 (a loaded box accepts fewer a second).
        final long downUntil = System.currentTimeMillis() + 2_000;
        final long downDeadline = System.currentTimeMillis() + 30_000;
        List<TransferLoad.Accepted> whileDown = List.of();
        while (System.currentTimeMillis() < downUntil || whileDown.size() < 100 && System.currentTimeMillis() < downDeadline) {
            Thread.sleep(100);
            whileDown = load.accepted(1).stream().filter(a -> survivors.contains(a.validator())).toList();
        }
        assertTrue(whileDown.size() >= 100, "transfers accepted while the victim was down: " + whileDown.size()
            + "; refusals so far " + load.refusals() + ", generated " + load.generated() + ", generator failure "
            + load.failure());
        awaitCommitted(cluster, whileDown, TransferLoad.Accepted::validator, COMMIT_TIMEOUT_MS);
        clock.lap("kill -9 validator " + victim + " at height " + lastHeight(victimLogAtKill) + "; the other 3 commit "
            + whileDown.size() + " transfers");

        cluster.start(victim);
        final NodeHttp.Status readyAt = cluster.awaitReady(victim, READY_TIMEOUT_MS);
        final long othersHeight = maxExecutedHeight(cluster, survivors);
        awaitHeight(cluster, victim, othersHeight, 60_000);
        clock.lap("restart; ready at height " + readyAt.executedHeight() + ", caught up to height " + othersHeight);

        // Nothing committed is lost: same answers, same heights, the log before the kill is a prefix.
        final Map<String, NodeHttp.Tx> afterRestart = awaitCommitted(cluster, beforeKill, a -> victim, 10_000);
        for (final var entry : committedOnVictim.entrySet()) {
            assertEquals(entry.getValue(), afterRestart.get(entry.getKey()), "status of " + entry.getKey()
                + " on the restarted validator");
        }
        assertPrefix(victimLogAtKill, CommitLogs.read(cluster.commitLog(victim)), victim);

        load.target(victim, true);
        load.phase(2);
        Thread.sleep(2_000);
        load.stop();
        clock.lap("load again on all 4");

        final List<Integer> all = List.of(0, 1, 2, 3);
        final Map<String, NodeHttp.Tx> committed = awaitAcceptedCommitted(funding, committedOnVictim.keySet(), Set.of(victim));
        awaitAllExecuted(all, committed);
        final Map<Integer, NavigableMap<Long, CommitLogs.Height>> logs = assertLogsAgree(cluster);
        for (final int v : all) {
            assertExecutedOnce(logs.get(v), committed, v);
            assertMoneyConserved(cluster, transfers, v);
        }
        assertStatusDigestsAgree(cluster, all, 10_000);
        clock.lap("verify");
        System.out.printf("%s: %d accepted, %d committed before the kill, top height %d, %s%n", info.getDisplayName(),
            load.accepted().size(), committedOnVictim.size(), maxExecutedHeight(cluster, all), clock);
    }

    /**
     * SIGKILL two of four (below the 2f+1 = 3 quorum): on the two left, committed and executed heights
     * stop for seconds although transfers are still submitted to them, and no two logs hold different
     * digests at a height. Restart one: commits resume, the transfers accepted during the stall commit,
     * and the restarted validator lost nothing it had committed.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void killTwoOfFourNothingCommitsOrForksThenRestoreOneAndCommitsResume(final TestInfo info) throws Exception {
        final Clock clock = new Clock();
        final List<TransferLoad.Accepted> funding = startFundedNetwork("kill-two", 20);
        final int restored = 2;
        final int dead = 3;
        final List<Integer> left = List.of(0, 1);
        load = new TransferLoad(cluster, transfers, 100, Integer.MAX_VALUE).start();
        Thread.sleep(2_000);
        final List<TransferLoad.Accepted> beforeKill = load.accepted();
        final Map<String, NodeHttp.Tx> committedOnRestored = awaitCommitted(cluster, beforeKill, a -> restored,
            COMMIT_TIMEOUT_MS);
        clock.lap("start, fund, load; " + beforeKill.size() + " committed");

        load.phase(1);
        cluster.kill(restored);
        load.target(restored, false);
        cluster.kill(dead);
        load.target(dead, false);
        final NavigableMap<Long, CommitLogs.Height> restoredLogAtKill = CommitLogs.read(cluster.commitLog(restored));
        // Blocks already on the wire may still complete a certificate or two: let them land first.
        Thread.sleep(1_500);
        final Map<Integer, NodeHttp.Status> stalled = new HashMap<>();
        for (final int v : left) {
            stalled.put(v, status(cluster, v));
        }
        final long stallEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        int samples = 0;
        while (System.nanoTime() < stallEnd) {
            for (final int v : left) {
                final NodeHttp.Status now = status(cluster, v);
                assertEquals(stalled.get(v).committedHeight(), now.committedHeight(), "validator " + v
                    + " committed without a quorum");
                assertEquals(stalled.get(v).executedHeight(), now.executedHeight(), "validator " + v
                    + " executed without a quorum");
                assertEquals(stalled.get(v).stateDigest(), now.stateDigest(), "digest of validator " + v);
                samples++;
            }
            Thread.sleep(100);
        }
        final List<TransferLoad.Accepted> duringStall = load.accepted(1).stream()
            .filter(a -> left.contains(a.validator())).toList();
        assertTrue(duringStall.size() >= 50, "transfers accepted during the stall: " + duringStall.size());
        for (final TransferLoad.Accepted a : duringStall.subList(0, 20)) {
            assertEquals("ACCEPTED", cluster.http(a.validator()).tx(a.tx().txId()).state(), "state of " + a
                + " while no quorum is up");
        }
        assertLogsAgree(cluster);
        clock.lap("kill -9 two; " + samples + " status samples over 4 s at heights " + stalled.values().stream()
            .map(NodeHttp.Status::executedHeight).toList() + ", " + duringStall.size() + " accepted, none committed");

        cluster.start(restored);
        cluster.awaitReady(restored, READY_TIMEOUT_MS);
        final List<Integer> up = List.of(0, 1, restored);
        awaitProgress(cluster, up, 10, 60_000);
        clock.lap("restart validator " + restored + "; commits resume");

        final Map<String, NodeHttp.Tx> afterRestart = awaitCommitted(cluster, beforeKill, a -> restored, 10_000);
        for (final var entry : committedOnRestored.entrySet()) {
            assertEquals(entry.getValue(), afterRestart.get(entry.getKey()), "status of " + entry.getKey()
                + " on the restarted validator");
        }
        assertPrefix(restoredLogAtKill, CommitLogs.read(cluster.commitLog(restored)), restored);

        load.target(restored, true);
        load.phase(2);
        Thread.sleep(2_000);
        load.stop();
        final Map<String, NodeHttp.Tx> committed = awaitAcceptedCommitted(funding, committedOnRestored.keySet(),
            Set.of(restored, dead));
        for (final TransferLoad.Accepted a : duringStall) {
            assertTrue(committed.containsKey(a.tx().txId()), a + " accepted during the stall did not commit");
        }
        awaitAllExecuted(up, committed);
        final Map<Integer, NavigableMap<Long, CommitLogs.Height>> logs = assertLogsAgree(cluster);
        for (final int v : up) {
            assertExecutedOnce(logs.get(v), committed, v);
            assertMoneyConserved(cluster, transfers, v);
        }
        assertStatusDigestsAgree(cluster, up, 10_000);
        clock.lap("verify");
        System.out.printf("%s: %d accepted, %d accepted during the stall, top height %d, %s%n", info.getDisplayName(),
            load.accepted().size(), duringStall.size(), maxExecutedHeight(cluster, up), clock);
    }

    // ------------------------------------------------------------------------------------------------

    /** Writes and starts a 4-validator network and funds {@code accounts} accounts from the faucet. */
    private List<TransferLoad.Accepted> startFundedNetwork(final String name, final int accounts) throws Exception {
        cluster = ValidatorProcesses.create(Path.of("target", "process-tests", name).toAbsolutePath(), VALIDATORS);
        cluster.startAll();
        cluster.awaitAllReady(READY_TIMEOUT_MS);
        final NodeHttp.Status status = status(cluster, 0);
        transfers = new Transfers(status.networkId(), status.fee(), cluster.faucetKey(), accounts);
        final List<TransferLoad.Accepted> funding = new ArrayList<>();
        for (int account = 1; account <= accounts; account++) {
            final int v = account % VALIDATORS;
            final Transfers.Signed tx = transfers.transfer(Transfers.FAUCET, account, FUNDING,
                status(cluster, v).consensusTimeMs() + TransferLoad.EXPIRY_AFTER_MS);
            final NodeHttp.Submitted answer = cluster.http(v).submit(tx.bytes());
            assertTrue(answer.accepted(), "funding transfer refused: " + answer);
            funding.add(new TransferLoad.Accepted(tx, v, System.nanoTime(), -1));
        }
        awaitCommitted(cluster, funding, TransferLoad.Accepted::validator, COMMIT_TIMEOUT_MS);
        return funding;
    }

    /**
     * Every transaction accepted by a validator that stayed up commits (asked at that validator, or at
     * validator 0 if it went down). A validator that was killed may have taken to its grave what it had
     * only ACCEPTED (docs/protocol.md §6: admitted by one validator, not yet in a block others hold); those are
     * only checked to be final-or-unknown here and exactly-once by the log checks.
     */
    private Map<String, NodeHttp.Tx> awaitAcceptedCommitted(final List<TransferLoad.Accepted> funding,
                                                            final Set<String> committedBeforeKill,
                                                            final Set<Integer> killed) throws InterruptedException {
        final List<TransferLoad.Accepted> mustCommit = new ArrayList<>(funding);
        final List<TransferLoad.Accepted> atRisk = new ArrayList<>();
        for (final TransferLoad.Accepted a : load.accepted()) {
            final boolean acceptedByVictimBeforeItDied = killed.contains(a.validator()) && a.phase() <= 1
                && !committedBeforeKill.contains(a.tx().txId());
            (acceptedByVictimBeforeItDied ? atRisk : mustCommit).add(a);
        }
        final Map<String, NodeHttp.Tx> committed = new HashMap<>(awaitCommitted(cluster, mustCommit,
            a -> cluster.running(a.validator()) ? a.validator() : 0, COMMIT_TIMEOUT_MS));
        int lost = 0;
        for (final TransferLoad.Accepted a : atRisk) {
            final NodeHttp.Tx tx = txAt(0, a.tx().txId());
            if (tx.committed()) {
                committed.put(a.tx().txId(), tx);
            } else {
                assertEquals("UNKNOWN", tx.state(), a + " accepted by a killed validator");
                lost++;
            }
        }
        System.out.printf("%d accepted must commit and did; of %d accepted by a validator just before it was killed, "
            + "%d committed and %d were never proposed%n", mustCommit.size(), atRisk.size(), atRisk.size() - lost, lost);
        return committed;
    }

    private NodeHttp.Tx txAt(final int v, final String txId) throws InterruptedException {
        try {
            return cluster.http(v).tx(txId);
        } catch (final IOException e) {
            throw new AssertionError("validator " + v + " does not answer", e);
        }
    }

    /** Waits until each validator executed the highest height any listed transaction committed at. */
    private void awaitAllExecuted(final List<Integer> validators, final Map<String, NodeHttp.Tx> committed)
        throws InterruptedException {
        final long top = committed.values().stream().mapToLong(NodeHttp.Tx::height).max().orElse(0);
        for (final int v : validators) {
            awaitHeight(cluster, v, top, 30_000);
        }
    }

    /** Balances computed from the transfers (all succeed: amounts are far below the funding) on every validator. */
    private void assertExactBalances(final List<TransferLoad.Accepted> accepted, final int funded,
                                     final List<Integer> validators) throws IOException, InterruptedException {
        final long[] expected = new long[transfers.accounts() + 1];
        expected[Transfers.FAUCET] = ClusterFiles.FAUCET_AMOUNT - funded * (FUNDING + transfers.fee());
        for (int account = 1; account <= funded; account++) {
            expected[account] = FUNDING;
        }
        for (final TransferLoad.Accepted a : accepted) {
            expected[a.tx().from()] -= a.tx().amount() + transfers.fee();
            expected[a.tx().to()] += a.tx().amount();
        }
        for (final int v : validators) {
            for (int account = 0; account <= transfers.accounts(); account++) {
                assertEquals(expected[account], cluster.http(v).balance(transfers.account(account), 0),
                    "asset 0 of account " + account + " on validator " + v);
            }
        }
    }

    private static void assertPrefix(final NavigableMap<Long, CommitLogs.Height> before,
                                     final NavigableMap<Long, CommitLogs.Height> after, final int v) {
        ClusterChecks.assertPrefix(before, after, "validator " + v);
    }

    private static long lastHeight(final NavigableMap<Long, CommitLogs.Height> log) {
        return log.isEmpty() ? 0 : log.lastKey();
    }

    /** Wall time per step, printed with each test's result. */
    private static final class Clock {
        private final long startNs = System.nanoTime();
        private long lapNs = startNs;
        private final StringBuilder laps = new StringBuilder();

        void lap(final String what) {
            final long now = System.nanoTime();
            laps.append(String.format("%n  %-90s %6.1f s", what, (now - lapNs) / 1e9));
            lapNs = now;
        }

        @Override
        public String toString() {
            return String.format("total %.1f s%s", (System.nanoTime() - startNs) / 1e9, laps);
        }
    }
}
