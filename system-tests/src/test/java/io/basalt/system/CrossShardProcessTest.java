package io.basalt.system;

import static io.basalt.system.ClusterChecks.assertLogsAgree;
import static io.basalt.system.ClusterChecks.assertPrefix;
import static io.basalt.system.ClusterChecks.assertStatusDigestsAgree;
import static io.basalt.system.ClusterChecks.awaitCommitted;
import static io.basalt.system.ClusterChecks.awaitHeight;
import static io.basalt.system.ClusterChecks.awaitProgress;
import static io.basalt.system.ClusterChecks.awaitTxStates;
import static io.basalt.system.ClusterChecks.maxExecutedHeight;
import static io.basalt.system.ClusterChecks.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.basalt.node.runtime.ClusterFiles;
import io.basalt.protocol.ExecResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process test of the cross-shard path (docs/protocol.md §8–§9, docs/cross-shard.md): 2 shards × 4
 * {@code basalt node} processes on loopback, Aeron UDP between all of them (consensus inside a shard,
 * stream 1002 of the same endpoints between shards), driven over their HTTP gateways.
 *
 * <p>Accounts on both shards are funded from each shard's own faucet; an issuer on shard 1 creates an
 * asset with an odd id (minted on shard 1 of 2) and hands it to the swap accounts there. Then an
 * open-loop load moves asset 0 back and forth: cross-shard transfers in both directions (some to
 * receive-only "sink" accounts), same-shard transfers, and six cross-shard swaps of asset 0 (partyA,
 * shard 0) against the new asset (partyB, shard 1), submitted to either shard, two of them built to
 * abort (one leg not covered on each side). During the load one validator of each shard is killed
 * with SIGKILL and restarted from its data; the load keeps going around it.
 *
 * <p>Oracles, once the load has drained:
 * <ol>
 *   <li><b>Supply</b>: per asset, the balances of every account the test knows (faucets included),
 *       summed over both shards, equal genesis minus one fee per charged transaction (every executed
 *       user transaction, failed ones too, except DUPLICATE / EXPIRED / WRONG_SHARD /
 *       INSUFFICIENT_FEE / WRONG_NETWORK), read on every validator; so do the shards' supplies in
 *       the commit logs, with nothing left in escrow. Every account holds exactly what the executed
 *       transactions say, on every validator of its shard.</li>
 *   <li><b>Exactly-once settlement</b>: every cross-shard transfer that executed is SETTLED on all
 *       four validators of the destination and on all four of the source (restarted ones included),
 *       appears exactly once among the settled outcomes of every destination log, and each sink
 *       holds exactly the sum of the transfers to it.</li>
 *   <li><b>All-or-nothing swaps</b>: each swap is SETTLED with the same outcome on all eight
 *       validators, the outcome is the planned one, and both parties' balances moved by both legs or
 *       neither.</li>
 *   <li><b>Agreement</b>: per shard, all commit logs hold the same digest at every shared height
 *       (dead validators' logs too), each /v1/status digest matches the other logs, and a restarted
 *       validator's log before the kill is a prefix of its log after.</li>
 * </ol>
 * Every user transaction executes at most once on its shard (its other copies are DUPLICATE), and
 * never on the other shard. A transaction only ACCEPTED by a validator that was then killed may
 * have vanished: those found UNKNOWN on a survivor are resubmitted there (same bytes; replay
 * protection makes that safe); any refused as EXPIRED are counted as lost and must never execute.
 *
 * <p>Sized for 2 cores shared by 8 validator JVMs and the test JVM: 20 transfers/s for ~35 s (~700
 * transfers); about 80-90 s in all, ~40 s of it starting eight JVMs.
 */
@Tag("process")
class CrossShardProcessTest {
    private static final int SHARDS = 2;
    private static final int PER_SHARD = 4;
    /** The validator of each shard that is killed and restarted (index in its shard). */
    private static final int[] VICTIM = {3, 2};
    /** Never killed: asked for statuses, used for resubmissions. */
    private static final int REFERENCE = 0;
    private static final long READY_TIMEOUT_MS = 120_000;
    private static final long COMMIT_TIMEOUT_MS = 60_000;
    private static final long SETTLE_TIMEOUT_MS = 45_000;
    private static final long FUNDING = 1_000_000;
    private static final int REGULAR_PER_SHARD = 10;
    private static final int SINKS_PER_SHARD = 3;
    private static final int RATE_PER_SECOND = 20;
    private static final long MAX_AMOUNT = 100;
    /** Odd, so shard 1 of 2 mints it (asset a is created on shard a mod shardCount). */
    private static final int ASSET = 77;
    private static final long ASSET_SUPPLY = 1_000_000;
    /** Even: shard 0's to mint, so CREATE_ASSET of it on shard 1 fails ASSET_ID_OF_OTHER_SHARD, and is charged. */
    private static final int FOREIGN_ASSET = 78;
    private static final Set<ExecResult> NOT_CHARGED = EnumSet.of(ExecResult.DUPLICATE, ExecResult.EXPIRED,
        ExecResult.WRONG_SHARD, ExecResult.INSUFFICIENT_FEE, ExecResult.WRONG_NETWORK);

    /**
     * A planned swap: partyA (shard 0) funded with {@code fundA} of asset 0 gives {@code amountA} of it;
     * partyB (shard 1) given {@code giveB} of {@link #ASSET} gives {@code amountB}. {@code resultAtSubmit}
     * is what the submit shard's execution answers at COMMITTED.
     */
    private record SwapPlan(long fundA, long amountA, long giveB, long amountB, int submitShard, boolean commits,
                            ExecResult resultAtSubmit, String what) {
    }

    private static final List<SwapPlan> SWAP_PLANS = List.of(
        new SwapPlan(FUNDING, 3_000, 1_000, 200, 0, true, ExecResult.SUCCESS, "commits, submitted to A's shard"),
        new SwapPlan(FUNDING, 4_000, 1_000, 300, 1, true, ExecResult.SUCCESS, "commits, submitted to B's shard"),
        new SwapPlan(FUNDING, 5_000, 1_000, 400, 0, true, ExecResult.SUCCESS, "commits, submitted while a validator of each shard is down"),
        new SwapPlan(FUNDING, 6_000, 10, 500, 0, false, ExecResult.SUCCESS, "aborts: B's leg not covered, A's escrow refunded"),
        new SwapPlan(1_000, 5_000, 1_000, 100, 0, false, ExecResult.INSUFFICIENT_BALANCE, "aborts: A's leg not covered, B's escrow refunded"),
        new SwapPlan(FUNDING, 2_000, 1_000, 250, 1, true, ExecResult.SUCCESS, "commits, submitted to B's shard after the restarts"));

    /** A swap of the run: its plan, its parties (book indices), and its acceptance. */
    private static final class Swap {
        final int number;
        final SwapPlan plan;
        final int a;
        final int b;
        TransferLoad.Accepted accepted;

        Swap(final int number, final SwapPlan plan, final int a, final int b) {
            this.number = number;
            this.plan = plan;
            this.a = a;
            this.b = b;
        }
    }

    /** What became of the transactions a killed validator had accepted. */
    private record AtRisk(int total, int executedBeforeCheck, int inFlight, int resubmitted, int duplicate,
                          Set<String> lost) {
    }

    private ValidatorProcesses cluster;
    private Transfers book;
    private TransferLoad load;
    private final int[] faucet = new int[SHARDS];
    private final List<List<Integer>> regular = new ArrayList<>();
    private final List<List<Integer>> sinks = new ArrayList<>();
    private final List<Swap> swaps = new ArrayList<>();
    private int issuer;
    /** Every transaction the test itself submitted (setup and swaps), in order. */
    private final List<TransferLoad.Accepted> own = new ArrayList<>();
    /** The result each own transaction must have on its shard (load transfers: SUCCESS). */
    private final Map<String, ExecResult> expectedResult = new HashMap<>();
    private int nextSubmit;

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

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void crossShardTransfersAndSwapsSettleExactlyOnceThroughAKillInEachShard(final TestInfo info) throws Exception {
        final Clock clock = new Clock();
        startNetwork();
        clock.lap("start 2 x 4 validator processes");
        setUpAccounts();
        clock.lap("fund " + (book.size() - SHARDS) + " accounts from both faucets, create asset " + ASSET
            + " on shard 1, hand it to " + swaps.size() + " swap parties");

        // ---- phase 0: load on all eight
        load = new TransferLoad(cluster, RATE_PER_SECOND, Integer.MAX_VALUE, this::randomTransfer).start();
        Thread.sleep(3_000);
        submitSwap(swaps.get(0), 0);
        submitSwap(swaps.get(1), 0);
        Thread.sleep(4_000);
        clock.lap("load on all 8; swaps 0, 1");

        // ---- phase 1: SIGKILL one validator of each shard while the load goes on
        load.phase(1);
        final List<Integer> victims = new ArrayList<>();
        final Map<Integer, NavigableMap<Long, CommitLogs.Height>> logAtKill = new TreeMap<>();
        for (int s = 0; s < SHARDS; s++) {
            final int victim = cluster.global(s, VICTIM[s]);
            victims.add(victim);
            cluster.kill(victim);
            load.target(victim, false);
            logAtKill.put(victim, CommitLogs.read(cluster.commitLog(victim)));
            if (s == 0) {
                Thread.sleep(2_000);
            }
        }
        final List<Integer> survivors = new ArrayList<>();
        for (int v = 0; v < cluster.size(); v++) {
            if (!victims.contains(v)) {
                survivors.add(v);
            }
        }
        awaitProgress(cluster, survivors, 10, 30_000);
        submitSwap(swaps.get(2), 1);
        submitSwap(swaps.get(3), 1);
        Thread.sleep(3_000);
        clock.lap("kill -9 " + victims.stream().map(cluster::name).toList() + " at heights "
            + logAtKill.values().stream().map(l -> l.isEmpty() ? 0 : l.lastKey()).toList()
            + "; the other 3 of each shard go on; swaps 2, 3");

        // ---- restart both from their data; they catch up while the load goes on
        for (final int victim : victims) {
            cluster.start(victim);
        }
        final List<String> caughtUp = new ArrayList<>();
        for (final int victim : victims) {
            final NodeHttp.Status ready = cluster.awaitReady(victim, READY_TIMEOUT_MS);
            final long others = maxExecutedHeight(cluster, survivors.stream()
                .filter(v -> cluster.shardOf(v) == cluster.shardOf(victim)).toList());
            awaitHeight(cluster, victim, others, 60_000);
            assertPrefix(logAtKill.get(victim), CommitLogs.read(cluster.commitLog(victim)), cluster.name(victim));
            caughtUp.add(cluster.name(victim) + " ready at " + ready.executedHeight() + ", caught up to " + others);
        }
        load.phase(2);
        for (final int victim : victims) {
            load.target(victim, true);
        }
        clock.lap("restart; " + String.join("; ", caughtUp));

        final AtRisk atRisk = resolveAtRisk(victims);
        // ---- phase 2: load on all eight again
        Thread.sleep(3_000);
        submitSwap(swaps.get(4), 2);
        submitSwap(swaps.get(5), 2);
        Thread.sleep(4_000);
        load.stop();
        clock.lap("load on all 8 again; swaps 4, 5");
        assertEquals(Map.of(), load.refusals(), "refused submissions");
        assertEquals(0, load.idMismatches(), "gateway txIds that differ from the signed bytes' hash");

        // ---- drain: everything accepted (and not lost) executes on its shard
        final List<TransferLoad.Accepted> all = new ArrayList<>(own);
        all.addAll(load.accepted());
        final List<TransferLoad.Accepted> mustExecute = all.stream()
            .filter(a -> !atRisk.lost().contains(a.tx().txId())).toList();
        final Map<String, NodeHttp.Tx> reported = awaitCommitted(cluster, mustExecute,
            a -> cluster.global(a.tx().shard(), REFERENCE), COMMIT_TIMEOUT_MS);
        clock.lap(mustExecute.size() + " accepted transactions executed");

        final Verified verified = verify(all, reported, atRisk, victims);
        clock.lap("verify settlement, swaps, balances, supply, logs, digests");

        final Map<String, Integer> kinds = new TreeMap<>();
        for (final TransferLoad.Accepted a : load.accepted()) {
            final int from = book.shardOf(a.tx().from());
            final int to = book.shardOf(a.tx().to());
            kinds.merge(from == to ? "same-shard on " + from : sinks.get(to).contains(a.tx().to())
                ? "cross " + from + "->" + to + " to a sink" : "cross " + from + "->" + to, 1, Integer::sum);
        }
        System.out.printf("%s:%n  load: %d transfers accepted %s; %d setup transactions%n"
                + "  executed: %d user transactions, %d fees charged; %d cross-shard transfers SETTLED exactly once on "
                + "every destination validator and every source validator%n  swaps: %d committed, %d aborted, all as planned and all-or-nothing%n"
                + "  kills: %d (SIGKILL + restart, one per shard); accepted by a victim before its kill: %d, of which "
                + "%d executed, %d in flight, %d UNKNOWN on a survivor and resubmitted (%d answered DUPLICATE), %d lost%n"
                + "  top heights %s, %s%n",
            info.getDisplayName(), load.accepted().size(), kinds, own.size() - swaps.size(), verified.executed,
            verified.fees, verified.crossShard, verified.swapsCommitted, swaps.size() - verified.swapsCommitted,
            victims.size(), atRisk.total(), atRisk.executedBeforeCheck(), atRisk.inFlight(), atRisk.resubmitted(),
            atRisk.duplicate(), atRisk.lost().size(), verified.heights, clock);
    }

    // ------------------------------------------------------------------------------------------ setup

    private void startNetwork() throws Exception {
        cluster = ValidatorProcesses.create(Path.of("target", "process-tests", "cross-shard").toAbsolutePath(), SHARDS,
            PER_SHARD);
        cluster.startAll();
        cluster.awaitAllReady(READY_TIMEOUT_MS);
        final NodeHttp.Status first = status(cluster, 0);
        for (int v = 0; v < cluster.size(); v++) {
            final NodeHttp.Status status = status(cluster, v);
            assertEquals(cluster.shardOf(v), status.shardId(), "shard of " + cluster.name(v));
            assertEquals(SHARDS, status.shardCount(), "shard count at " + cluster.name(v));
            assertEquals(first.networkId(), status.networkId(), "network id at " + cluster.name(v));
        }
        // Every validator serves the same shard map: the endpoints this test wrote into the genesis.
        final JsonNode network = cluster.http(cluster.global(1, 3)).network();
        assertEquals(SHARDS, network.get("shardCount").asInt(), "/v1/network shardCount");
        for (int s = 0; s < SHARDS; s++) {
            final JsonNode validators = network.get("shards").get(s).get("validators");
            for (int i = 0; i < PER_SHARD; i++) {
                assertEquals(cluster.http(cluster.global(s, i)).base().getAuthority(),
                    validators.get(i).get("httpEndpoint").asText(), "/v1/network endpoint of shard " + s + " validator " + i);
            }
        }
        book = new Transfers(first.networkId(), first.fee(), SHARDS);
    }

    /**
     * Funds 10 accounts per shard and the swap parties from each shard's faucet (same-shard
     * transfers), leaves 3 sinks per shard at zero, creates {@link #ASSET} on shard 1 (and tries
     * {@link #FOREIGN_ASSET} there) and hands the asset to the B parties.
     */
    private void setUpAccounts() throws Exception {
        for (int s = 0; s < SHARDS; s++) {
            faucet[s] = book.add(cluster.faucetKey(s));
            assertEquals(s, book.shardOf(faucet[s]), "the faucet of shard " + s + " lives on it");
            final List<Integer> accounts = new ArrayList<>();
            final List<Integer> receivers = new ArrayList<>();
            for (int i = 0; i < REGULAR_PER_SHARD; i++) {
                accounts.add(book.newAccount(s));
            }
            for (int i = 0; i < SINKS_PER_SHARD; i++) {
                receivers.add(book.newAccount(s));
            }
            regular.add(accounts);
            sinks.add(receivers);
        }
        issuer = book.newAccount(1);
        for (int i = 0; i < SWAP_PLANS.size(); i++) {
            swaps.add(new Swap(i, SWAP_PLANS.get(i), book.newAccount(0), book.newAccount(1)));
        }

        final List<TransferLoad.Accepted> funding = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            for (final int account : regular.get(s)) {
                funding.add(submitOwn(book.transfer(faucet[s], account, FUNDING, expiry(s)), ExecResult.SUCCESS));
            }
        }
        funding.add(submitOwn(book.transfer(faucet[1], issuer, FUNDING, expiry(1)), ExecResult.SUCCESS));
        for (final Swap swap : swaps) {
            funding.add(submitOwn(book.transfer(faucet[0], swap.a, swap.plan.fundA(), expiry(0)), ExecResult.SUCCESS));
        }
        awaitOwn(funding);

        final List<TransferLoad.Accepted> creates = List.of(
            submitOwn(book.createAsset(issuer, ASSET, ASSET_SUPPLY, expiry(1)), ExecResult.SUCCESS),
            submitOwn(book.createAsset(issuer, FOREIGN_ASSET, ASSET_SUPPLY, expiry(1)), ExecResult.ASSET_ID_OF_OTHER_SHARD));
        awaitOwn(creates);

        final List<TransferLoad.Accepted> handOut = new ArrayList<>();
        for (final Swap swap : swaps) {
            handOut.add(submitOwn(book.transfer(issuer, swap.b, ASSET, swap.plan.giveB(), expiry(1)), ExecResult.SUCCESS));
        }
        awaitOwn(handOut);
    }

    /** Waits for the test's own transactions and checks their results at once (they are the ground the rest stands on). */
    private void awaitOwn(final List<TransferLoad.Accepted> accepted) throws InterruptedException {
        final Map<String, NodeHttp.Tx> done = awaitCommitted(cluster, accepted,
            a -> cluster.global(a.tx().shard(), REFERENCE), COMMIT_TIMEOUT_MS);
        for (final TransferLoad.Accepted a : accepted) {
            assertEquals(expectedResult.get(a.tx().txId()).name(), done.get(a.tx().txId()).result(),
                "result of setup transaction " + a.tx());
        }
    }

    /** A random asset-0 transfer from a regular account of {@code shard}: 40% same shard, 40% across, 20% to a sink across. */
    private Transfers.Signed randomTransfer(final int shard, final long expiryMs) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final List<Integer> here = regular.get(shard);
        final int from = here.get(random.nextInt(here.size()));
        final int other = 1 - shard;
        final int roll = random.nextInt(10);
        int to;
        if (roll < 4) {
            do {
                to = here.get(random.nextInt(here.size()));
            } while (to == from);
        } else if (roll < 8) {
            to = regular.get(other).get(random.nextInt(REGULAR_PER_SHARD));
        } else {
            to = sinks.get(other).get(random.nextInt(SINKS_PER_SHARD));
        }
        return book.transfer(from, to, 1 + random.nextLong(MAX_AMOUNT), expiryMs);
    }

    private void submitSwap(final Swap swap, final int phase) throws InterruptedException {
        final SwapPlan p = swap.plan;
        final Transfers.Signed tx = book.swap(swap.a, 0, p.amountA(), swap.b, ASSET, p.amountB(), expiry(p.submitShard()),
            p.submitShard());
        assertEquals(0, book.shardOf(swap.a), "partyA's shard");
        assertEquals(1, book.shardOf(swap.b), "partyB's shard");
        swap.accepted = submit(tx, phase);
        expectedResult.put(tx.txId(), p.resultAtSubmit());
        own.add(swap.accepted);
    }

    private TransferLoad.Accepted submitOwn(final Transfers.Signed tx, final ExecResult expected)
        throws InterruptedException {
        final TransferLoad.Accepted accepted = submit(tx, -1);
        expectedResult.put(tx.txId(), expected);
        own.add(accepted);
        return accepted;
    }

    /**
     * Submits to a running validator of the transaction's shard, round-robin; on no answer, OVERLOADED or
     * NOT_READY tries the next (the same bytes: safe). 202 or 409 DUPLICATE is accepted.
     */
    private TransferLoad.Accepted submit(final Transfers.Signed tx, final int phase) throws InterruptedException {
        final List<Integer> validators = cluster.validators(tx.shard());
        String last = "no validator of shard " + tx.shard() + " running";
        for (int attempt = 0; attempt < 16; attempt++) {
            final int v = validators.get(nextSubmit++ % validators.size());
            if (!cluster.running(v)) {
                continue;
            }
            try {
                final NodeHttp.Submitted answer = cluster.http(v).submit(tx.bytes());
                if (answer.accepted() || answer.httpStatus() == 409) {
                    return new TransferLoad.Accepted(tx, v, System.nanoTime(), phase);
                }
                last = cluster.name(v) + " answered " + answer;
                if (!"OVERLOADED".equals(answer.code()) && !"NOT_READY".equals(answer.code())) {
                    break;
                }
            } catch (final IOException e) {
                last = cluster.name(v) + ": " + e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cannot submit " + tx + ": " + last);
    }

    /** An expiry 45 s after the consensus time of {@code shard}'s reference validator. */
    private long expiry(final int shard) throws InterruptedException {
        return status(cluster, cluster.global(shard, REFERENCE)).consensusTimeMs() + TransferLoad.EXPIRY_AFTER_MS;
    }

    /**
     * What a victim accepted before its kill may have died with it (docs/protocol.md §6: ACCEPTED is one
     * validator's word). Ask a survivor of the shard; resubmit there what it does not know.
     */
    private AtRisk resolveAtRisk(final List<Integer> victims) throws InterruptedException, IOException {
        final List<TransferLoad.Accepted> risky = new ArrayList<>();
        for (final TransferLoad.Accepted a : load.accepted()) {
            if (victims.contains(a.validator()) && a.phase() <= 1) {
                risky.add(a);
            }
        }
        for (final TransferLoad.Accepted a : own) {
            if (victims.contains(a.validator()) && a.phase() >= 0 && a.phase() <= 1) {
                risky.add(a);
            }
        }
        int executed = 0;
        int inFlight = 0;
        int resubmitted = 0;
        int duplicate = 0;
        final Set<String> lost = new HashSet<>();
        for (final TransferLoad.Accepted a : risky) {
            final NodeHttp http = cluster.http(cluster.global(a.tx().shard(), REFERENCE));
            final NodeHttp.Tx tx = http.tx(a.tx().txId());
            if (tx.executed()) {
                executed++;
            } else if ("ACCEPTED".equals(tx.state())) {
                inFlight++;
            } else {
                assertEquals("UNKNOWN", tx.state(), a + " accepted by a killed validator, on a survivor");
                final NodeHttp.Submitted answer = http.submit(a.tx().bytes());
                if (answer.accepted()) {
                    resubmitted++;
                } else if (answer.httpStatus() == 409) {
                    resubmitted++;
                    duplicate++;
                } else {
                    assertEquals("EXPIRED", answer.code(), "resubmission of " + a + ": " + answer);
                    lost.add(a.tx().txId());
                }
            }
        }
        return new AtRisk(risky.size(), executed, inFlight, resubmitted, duplicate, lost);
    }

    // ------------------------------------------------------------------------------------------ oracles

    private static final class Verified {
        int executed;
        long fees;
        int crossShard;
        int swapsCommitted;
        List<Long> heights = List.of();
    }

    /** One execution of a transaction in a log: height and result. */
    private record Execution(long height, ExecResult result) {
    }

    /**
     * @param reported what the reference validator of each transaction's shard answered once it executed
     */
    private Verified verify(final List<TransferLoad.Accepted> all, final Map<String, NodeHttp.Tx> reported,
                            final AtRisk atRisk, final List<Integer> victims) throws IOException, InterruptedException {
        final Verified out = new Verified();
        final Map<String, Transfers.Signed> known = new LinkedHashMap<>();
        for (final TransferLoad.Accepted a : all) {
            known.putIfAbsent(a.tx().txId(), a.tx());
        }
        final Map<String, Swap> swapById = new HashMap<>();
        for (final Swap swap : swaps) {
            swapById.put(swap.accepted.tx().txId(), swap);
        }

        // Swaps settle on both shards, with one outcome, on all eight validators.
        final Map<String, String> swapOutcome = new HashMap<>();
        for (int v = 0; v < cluster.size(); v++) {
            final Map<String, NodeHttp.Tx> settled = awaitTxStates(cluster, swapById.keySet(), v, NodeHttp.Tx::settled,
                "SETTLED", SETTLE_TIMEOUT_MS);
            for (final var e : settled.entrySet()) {
                final String previous = swapOutcome.putIfAbsent(e.getKey(), e.getValue().result());
                assertEquals(previous == null ? e.getValue().result() : previous, e.getValue().result(),
                    "outcome of swap " + swapById.get(e.getKey()).number + " on " + cluster.name(v));
            }
        }

        // Every cross-shard transfer that executed (SUCCESS at its source) is SETTLED on each destination validator.
        final Map<String, NodeHttp.Tx> settledOnDest = new HashMap<>();
        final Set<String> crossShardReported = new HashSet<>();
        for (final var e : reported.entrySet()) {
            final Transfers.Signed tx = known.get(e.getKey());
            if (!swapById.containsKey(tx.txId()) && tx.to() >= 0 && book.shardOf(tx.to()) != tx.shard()
                && "SUCCESS".equals(e.getValue().result())) {
                crossShardReported.add(tx.txId());
            }
        }
        for (int d = 0; d < SHARDS; d++) {
            final int dest = d;
            final List<String> ids = crossShardReported.stream().filter(id -> book.shardOf(known.get(id).to()) == dest)
                .toList();
            for (final int v : cluster.validators(d)) {
                final Map<String, NodeHttp.Tx> answers = awaitTxStates(cluster, ids, v, NodeHttp.Tx::settled, "SETTLED",
                    SETTLE_TIMEOUT_MS);
                for (final String id : ids) {
                    assertEquals("SUCCESS", answers.get(id).result(), "settlement of " + id + " on " + cluster.name(v));
                    final NodeHttp.Tx previous = settledOnDest.putIfAbsent(id, answers.get(id));
                    assertEquals(previous == null ? answers.get(id) : previous, answers.get(id), "settlement of " + id
                        + " on " + cluster.name(v) + " vs another validator of shard " + d);
                }
            }
        }

        // Executions by id, from the reference log of each shard, checked against every other log of it.
        final Map<Integer, NavigableMap<Long, CommitLogs.Height>> logs = awaitLogsAtTop();
        final Map<String, Execution> executions = new HashMap<>();
        final Map<Integer, Map<String, Long>> settledAt = new HashMap<>();
        for (int s = 0; s < SHARDS; s++) {
            Map<String, Execution> first = null;
            Map<String, Long> firstSettled = null;
            for (final int v : cluster.validators(s)) {
                final Map<String, Execution> here = executionsOnce(logs.get(v), known, s, v);
                final Map<String, Long> settledHere = settledOnce(logs.get(v), v);
                if (first == null) {
                    first = here;
                    firstSettled = settledHere;
                } else {
                    assertEquals(first, here, "executions in the log of " + cluster.name(v) + " vs "
                        + cluster.name(cluster.global(s, 0)));
                    assertEquals(firstSettled, settledHere, "settled outcomes in the log of " + cluster.name(v));
                }
            }
            executions.putAll(first);
            settledAt.put(s, firstSettled);
        }
        for (final Transfers.Signed tx : known.values()) {
            final boolean lost = atRisk.lost().contains(tx.txId());
            assertEquals(!lost, executions.containsKey(tx.txId()), (lost ? "lost " : "accepted ") + tx + " executed?");
        }
        for (final var e : executions.entrySet()) {
            assertEquals(expectedResult.getOrDefault(e.getKey(), ExecResult.SUCCESS), e.getValue().result(),
                "result of " + known.get(e.getKey()));
        }
        out.executed = executions.size();

        // What the API says about each executed transaction, on every validator of its shard.
        for (int s = 0; s < SHARDS; s++) {
            final int shard = s;
            final List<String> ids = executions.keySet().stream()
                .filter(id -> known.get(id).shard() == shard && !swapById.containsKey(id)).toList();
            for (final int v : cluster.validators(s)) {
                final Map<String, NodeHttp.Tx> answers = awaitTxStates(cluster, ids, v, NodeHttp.Tx::executed,
                    "COMMITTED or SETTLED", 20_000);
                for (final String id : ids) {
                    assertEquals(executions.get(id).result().name(), answers.get(id).result(), "result of " + id + " on "
                        + cluster.name(v));
                    assertEquals(executions.get(id).height(), answers.get(id).height(), "height of " + id + " on "
                        + cluster.name(v));
                }
            }
        }

        // (3) swaps: planned outcome, both shards agree in the logs, both parties moved by both legs or neither.
        for (final Swap swap : swaps) {
            final String id = swap.accepted.tx().txId();
            final String expected = swap.plan.commits() ? "SUCCESS" : "SWAP_ABORTED";
            assertEquals(expected, swapOutcome.get(id), "swap " + swap.number + " (" + swap.plan.what() + ")");
            for (int s = 0; s < SHARDS; s++) {
                assertTrue(settledAt.get(s).containsKey(id), "swap " + swap.number + " settled in the logs of shard " + s);
            }
            final boolean moved = swap.plan.commits();
            final long fee = charged(executions, swap) ? book.fee() : 0;
            assertBalances(swap.a, Map.of(0, swap.plan.fundA() - fee - (moved ? swap.plan.amountA() : 0),
                ASSET, moved ? swap.plan.amountB() : 0L), "partyA of swap " + swap.number);
            assertBalances(swap.b, Map.of(0, moved ? swap.plan.amountA() : 0L,
                ASSET, swap.plan.giveB() - (moved ? swap.plan.amountB() : 0)), "partyB of swap " + swap.number);
            out.swapsCommitted += moved ? 1 : 0;
        }

        // (2) cross-shard transfers: SETTLED on every destination validator, once in every destination log.
        final List<Transfers.Signed> crossShard = new ArrayList<>();
        for (final var e : executions.entrySet()) {
            final Transfers.Signed tx = known.get(e.getKey());
            if (!swapById.containsKey(tx.txId()) && tx.to() >= 0 && book.shardOf(tx.to()) != tx.shard()
                && e.getValue().result() == ExecResult.SUCCESS) {
                crossShard.add(tx);
            }
        }
        assertEquals(crossShardReported, new HashSet<>(crossShard.stream().map(Transfers.Signed::txId).toList()),
            "cross-shard transfers that executed: the API vs the logs");
        for (final Transfers.Signed tx : crossShard) {
            final int dest = book.shardOf(tx.to());
            assertTrue(settledAt.get(dest).containsKey(tx.txId()), "cross-shard transfer " + tx
                + " is not among the settled outcomes of shard " + dest);
            assertEquals(settledAt.get(dest).get(tx.txId()), settledOnDest.get(tx.txId()).height(), "settled height of "
                + tx + ": the logs of shard " + dest + " vs its validators' API");
        }
        // Settled outcomes are exactly the cross-shard transfers and the swaps: nothing credited that did not execute.
        for (int s = 0; s < SHARDS; s++) {
            final int shard = s;
            final Set<String> expected = new HashSet<>(swapById.keySet());
            crossShard.stream().filter(tx -> book.shardOf(tx.to()) == shard).forEach(tx -> expected.add(tx.txId()));
            assertEquals(expected, settledAt.get(s).keySet(), "settled outcomes in the logs of shard " + s);
        }
        // The source's validators say SETTLED once f+1 of the destination acknowledged, a restarted one
        // too: the acknowledgement watermark is kept in its ledger and its commit log says which batch
        // carried each transfer.
        for (int s = 0; s < SHARDS; s++) {
            final int source = s;
            final List<String> ids = crossShard.stream().filter(tx -> tx.shard() == source).map(Transfers.Signed::txId)
                .toList();
            for (final int v : cluster.validators(s)) {
                awaitTxStates(cluster, ids, v, NodeHttp.Tx::settled,
                    "SETTLED at the source" + (victims.contains(v) ? " (restarted)" : ""), SETTLE_TIMEOUT_MS);
            }
        }
        out.crossShard = crossShard.size();

        // Expected balances of every account, from genesis and the executions.
        final Map<Integer, Map<Integer, Long>> expected = new HashMap<>();
        for (int s = 0; s < SHARDS; s++) {
            add(expected, faucet[s], 0, ClusterFiles.FAUCET_AMOUNT);
        }
        long fees = 0;
        for (final var e : executions.entrySet()) {
            final Transfers.Signed tx = known.get(e.getKey());
            if (swapById.containsKey(tx.txId())) {
                continue; // below
            }
            if (!NOT_CHARGED.contains(e.getValue().result())) {
                add(expected, tx.from(), 0, -book.fee());
                fees++;
            }
            if (e.getValue().result() == ExecResult.SUCCESS) {
                if (tx.to() < 0) {
                    add(expected, tx.from(), tx.asset(), tx.amount());
                } else {
                    add(expected, tx.from(), tx.asset(), -tx.amount());
                    add(expected, tx.to(), tx.asset(), tx.amount());
                }
            }
        }
        for (final Swap swap : swaps) {
            if (charged(executions, swap)) {
                add(expected, swap.a, 0, -book.fee());
                fees++;
            }
            if (swap.plan.commits()) {
                add(expected, swap.a, 0, -swap.plan.amountA());
                add(expected, swap.b, 0, swap.plan.amountA());
                add(expected, swap.b, ASSET, -swap.plan.amountB());
                add(expected, swap.a, ASSET, swap.plan.amountB());
            }
        }
        out.fees = fees;

        // Balances of every known account on every validator of its shard: exactly as computed.
        final Map<Integer, Map<Integer, Map<Integer, Long>>> actual = new HashMap<>();
        for (int account = 0; account < book.size(); account++) {
            final Map<Integer, Long> want = new TreeMap<>(expected.getOrDefault(account, Map.of()));
            want.values().removeIf(amount -> amount == 0);
            for (final int v : cluster.validators(book.shardOf(account))) {
                final Map<Integer, Long> have = cluster.http(v).balances(book.account(account));
                assertEquals(want, have, "balances of account " + account + " on " + cluster.name(v));
                actual.computeIfAbsent(v, k -> new HashMap<>()).put(account, have);
            }
        }
        // (2) sinks hold exactly the sum of the cross-shard transfers to them.
        for (int s = 0; s < SHARDS; s++) {
            for (final int sink : sinks.get(s)) {
                final long sum = crossShard.stream().filter(tx -> tx.to() == sink).mapToLong(Transfers.Signed::amount).sum();
                for (final int v : cluster.validators(s)) {
                    assertEquals(sum, actual.get(v).get(sink).getOrDefault(0, 0L), "sink " + sink + " on " + cluster.name(v));
                }
            }
        }
        // (1) supply per asset across both shards, pairing the shards' validators one by one.
        final Map<Integer, Long> supply = Map.of(0, SHARDS * ClusterFiles.FAUCET_AMOUNT - fees * book.fee(),
            ASSET, ASSET_SUPPLY, FOREIGN_ASSET, 0L);
        for (int i = 0; i < PER_SHARD; i++) {
            final Map<Integer, Long> sums = new TreeMap<>();
            final List<String> read = new ArrayList<>();
            for (int s = 0; s < SHARDS; s++) {
                final int v = cluster.global(s, i);
                read.add(cluster.name(v));
                for (final var balances : actual.get(v).values()) {
                    balances.forEach((asset, amount) -> sums.merge(asset, amount, Long::sum));
                }
            }
            for (final var e : supply.entrySet()) {
                assertEquals(e.getValue(), sums.getOrDefault(e.getKey(), 0L), "asset " + e.getKey()
                    + " held by the known accounts, read on " + read + ", after " + fees + " fees");
            }
        }
        // ... and the shards' own supply books in the commit logs: the same totals, nothing left in escrow.
        for (int i = 0; i < PER_SHARD; i++) {
            final Map<Integer, Long> sums = new TreeMap<>();
            for (int s = 0; s < SHARDS; s++) {
                final int v = cluster.global(s, i);
                final Map<Integer, CommitLogs.AssetSupply> last = lastSupplies(logs.get(v));
                sums.merge(0, last.containsKey(0) ? last.get(0).supply() : ClusterFiles.FAUCET_AMOUNT, Long::sum);
                for (final CommitLogs.AssetSupply a : last.values()) {
                    assertEquals(0, a.escrowed(), "asset " + a.assetId() + " escrowed at the end on " + cluster.name(v));
                    if (a.assetId() != 0) {
                        sums.merge(a.assetId(), a.supply(), Long::sum);
                    }
                }
            }
            for (final var e : supply.entrySet()) {
                assertEquals(e.getValue(), sums.getOrDefault(e.getKey(), 0L), "supply of asset " + e.getKey()
                    + " summed over the shards' commit logs (validators " + i + ")");
            }
        }

        // (4) agreement: every shared height of every pair in a shard, and the live status digests.
        assertLogsAgree(cluster);
        assertStatusDigestsAgree(cluster, cluster.runningValidators(), 15_000);
        final List<Long> heights = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            heights.add(maxExecutedHeight(cluster, cluster.validators(s)));
        }
        out.heights = heights;
        return out;
    }

    /** Waits until every validator of each shard executed the shard's current top height; returns the logs. */
    private Map<Integer, NavigableMap<Long, CommitLogs.Height>> awaitLogsAtTop() throws IOException, InterruptedException {
        for (int s = 0; s < SHARDS; s++) {
            final long top = maxExecutedHeight(cluster, cluster.validators(s));
            for (final int v : cluster.validators(s)) {
                awaitHeight(cluster, v, top, 30_000);
            }
        }
        return ClusterChecks.readLogs(cluster);
    }

    /**
     * The executions of the known transactions in one log of {@code shard}: each at most once (any other
     * copy DUPLICATE), none of a transaction submitted to the other shard.
     */
    private Map<String, Execution> executionsOnce(final NavigableMap<Long, CommitLogs.Height> log,
                                                  final Map<String, Transfers.Signed> known, final int shard, final int v) {
        final Map<String, Execution> out = new HashMap<>();
        for (final CommitLogs.Height height : log.values()) {
            for (final CommitLogs.TxResult r : height.transactions()) {
                final Transfers.Signed tx = known.get(r.txId());
                if (tx == null) {
                    continue; // a certified batch
                }
                assertEquals(shard, tx.shard(), tx + " executed on shard " + shard + " (" + cluster.name(v) + ")");
                final ExecResult result = ExecResult.fromCode(r.result());
                if (result == ExecResult.DUPLICATE) {
                    continue;
                }
                final Execution previous = out.put(r.txId(), new Execution(height.height(), result));
                if (previous != null) {
                    fail(cluster.name(v) + " executed " + tx + " twice: " + previous + " and at height " + height.height()
                        + " " + result);
                }
            }
        }
        return out;
    }

    /** Settled outcomes of one log by id, with their height: each id settles at most once. */
    private Map<String, Long> settledOnce(final NavigableMap<Long, CommitLogs.Height> log, final int v) {
        final Map<String, Long> out = new HashMap<>();
        for (final CommitLogs.Height height : log.values()) {
            for (final CommitLogs.TxResult r : height.settled()) {
                final Long previous = out.put(r.txId(), height.height());
                if (previous != null) {
                    fail(cluster.name(v) + " settled " + r.txId() + " twice, at heights " + previous + " and " + height.height());
                }
            }
        }
        return out;
    }

    /**
     * Whether partyA paid the fee: on A's shard the swap's own execution says so when it was submitted
     * there; one submitted to B's shard is charged on A's when A's shard orders it from B's vote, which
     * this test plans only for swaps that commit (and checks that they did).
     */
    private boolean charged(final Map<String, Execution> executions, final Swap swap) {
        final Execution execution = executions.get(swap.accepted.tx().txId());
        if (swap.plan.submitShard() == 0) {
            return execution != null && !NOT_CHARGED.contains(execution.result());
        }
        assertTrue(swap.plan.commits(), "a swap submitted to B's shard is planned to commit");
        return true;
    }

    private void assertBalances(final int account, final Map<Integer, Long> expected, final String what)
        throws IOException, InterruptedException {
        final Map<Integer, Long> want = new TreeMap<>(expected);
        want.values().removeIf(amount -> amount == 0);
        for (final int v : cluster.validators(book.shardOf(account))) {
            assertEquals(want, cluster.http(v).balances(book.account(account)), what + " on " + cluster.name(v));
        }
    }

    private static void add(final Map<Integer, Map<Integer, Long>> balances, final int account, final int asset,
                            final long delta) {
        balances.computeIfAbsent(account, k -> new HashMap<>()).merge(asset, delta, Long::sum);
    }

    /** Each asset's last supply image in a log (the shard's supply book after its last height). */
    private static Map<Integer, CommitLogs.AssetSupply> lastSupplies(final NavigableMap<Long, CommitLogs.Height> log) {
        final Map<Integer, CommitLogs.AssetSupply> last = new TreeMap<>();
        for (final CommitLogs.Height height : log.values()) {
            for (final CommitLogs.AssetSupply a : height.assets()) {
                last.put(a.assetId(), a);
            }
        }
        return last;
    }

    /** Wall time per step, printed with the result. */
    private static final class Clock {
        private final long startNs = System.nanoTime();
        private long lapNs = startNs;
        private final StringBuilder laps = new StringBuilder();

        void lap(final String what) {
            final long now = System.nanoTime();
            laps.append(String.format("%n  %-110s %6.1f s", what, (now - lapNs) / 1e9));
            lapNs = now;
        }

        @Override
        public String toString() {
            return String.format("total %.1f s%s", (System.nanoTime() - startNs) / 1e9, laps);
        }
    }
}
