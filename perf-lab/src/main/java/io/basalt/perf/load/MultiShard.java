package io.basalt.perf.load;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.node.config.Genesis;
import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import io.basalt.node.runtime.ValidatorNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A local cluster of S shards × n validators in this JVM, set up for the multi-shard workload, and
 * the steps run on it:
 * <pre>
 *   start    LocalCluster.start(S, n) ── every validator ready
 *   set-up   per shard s: K accounts living on s (seeded keys), each paid asset 0 by shard s's faucet;
 *            with swaps: the faucet creates asset a_s (a_s mod S = s, so minted on s) and pays each
 *            account some; every validator of s has executed all of it before the next step
 *   step     MixPlan ── MixedWorkload.sign (before the clock) ── OpenLoopRun.send, submitting
 *            to validator plan.submitNodes()[i] ── MixedTracker (one listener per validator) ──
 *            MixedAccounting ──▶ MixedResult
 * </pre>
 */
final class MultiShard implements AutoCloseable {
    /** Every account gets this much of asset 0: ample for fees and amounts of any run. */
    static final long ACCOUNT_FUNDS = LoadGenerator.SENDER_FUNDS;
    /** Supply of each shard's swap asset; each account of the shard gets an equal part of half of it. */
    static final long SWAP_ASSET_SUPPLY = 1_000_000_000_000_000L;

    /** The step's timing and threads (the generator's options). */
    record Settings(double warmupSeconds, double durationSeconds, double drainSeconds, double pauseSeconds,
                    int submitters, int signers, long seed) {
    }

    private final LocalCluster cluster;
    private final List<ValidatorNode> nodes;
    private final Genesis genesis;
    private final Ed25519 ed25519;
    private final int shards;
    private final int validators;
    private final KeyPair[][] accounts;
    private final int[] swapAssets;
    private final MixedTracker tracker = new MixedTracker();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final CpuSampler cpu = new CpuSampler();
    private final SecureRandom nonces = new SecureRandom();
    private int count;

    private MultiShard(final LocalCluster cluster, final Ed25519 ed25519, final int shards, final int validators,
                       final KeyPair[][] accounts, final int[] swapAssets) {
        this.cluster = cluster;
        this.nodes = cluster.nodes();
        this.genesis = nodes.getFirst().genesis();
        this.ed25519 = ed25519;
        this.shards = shards;
        this.validators = validators;
        this.accounts = accounts;
        this.swapAssets = swapAssets;
        for (int g = 0; g < nodes.size(); g++) {
            subscriptions.add(nodes.get(g).subscribe(tracker.listener(g)));
        }
    }

    /** Starts the cluster in {@code dir} and sets it up; closes it again if the set-up fails. */
    static MultiShard start(final int shards, final int validators, final Path dir, final int accountsPerShard,
                            final boolean swaps, final long seed) throws Exception {
        final LocalCluster cluster = LocalCluster.start(shards, validators, dir, false, false);
        try {
            final List<ValidatorNode> nodes = cluster.nodes();
            if (nodes.size() != shards * validators) {
                throw new IllegalStateException("expected " + shards * validators + " validators, got " + nodes.size());
            }
            LoadGenerator.awaitReady(nodes);
            final Genesis genesis = nodes.getFirst().genesis();
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final KeyPair[][] accounts = accountKeys(ed25519, shards, accountsPerShard, seed);
            final int[] swapAssets = swaps ? swapAssetIds(shards, new SecureRandom()) : null;
            for (int s = 0; s < shards; s++) {
                final List<ValidatorNode> shardNodes = nodes.subList(s * validators, (s + 1) * validators);
                final KeyPair faucet = KeyFiles.read(ClusterFiles.faucetKey(dir, s));
                LoadGenerator.log("shard %d: funding %d accounts with asset 0 from its faucet", s, accountsPerShard);
                Funding.fund(ed25519, faucet, accounts[s], ACCOUNT_FUNDS, shardNodes, genesis.networkId(), genesis.fee());
                if (swaps) {
                    LoadGenerator.log("shard %d: creating swap asset %d and funding its accounts with it", s,
                        swapAssets[s]);
                    Funding.createAsset(ed25519, faucet, swapAssets[s], SWAP_ASSET_SUPPLY, shardNodes,
                        genesis.networkId(), genesis.fee());
                    Funding.fund(ed25519, faucet, accounts[s], swapAssets[s], SWAP_ASSET_SUPPLY / 2 / accountsPerShard,
                        shardNodes, genesis.networkId(), genesis.fee());
                }
            }
            return new MultiShard(cluster, ed25519, shards, validators, accounts, swapAssets);
        } catch (final Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * {@code perShard} keys for each shard, each living on its shard: seeded, so a run with the
     * same seed uses the same accounts.
     */
    static KeyPair[][] accountKeys(final Ed25519 ed25519, final int shards, final int perShard, final long seed) {
        final SecureRandom random = LoadGenerator.seededRandom(seed);
        final KeyPair[][] keys = new KeyPair[shards][perShard];
        final int[] filled = new int[shards];
        int missing = shards * perShard;
        for (long attempt = 0; missing > 0; attempt++) {
            if (attempt > 1000L * shards * perShard) {
                throw new IllegalStateException("could not find keys on every shard");
            }
            final KeyPair key = ed25519.generateKeyPair(random);
            final int s = Shards.shardOf(key.publicKey(), shards);
            if (filled[s] < perShard) {
                keys[s][filled[s]++] = key;
                missing--;
            }
        }
        return keys;
    }

    /** One fresh asset id per shard, homed there (id mod shards = shard), never 0: new on every run. */
    static int[] swapAssetIds(final int shards, final java.util.random.RandomGenerator random) {
        final int base = random.nextInt(1, 1 << 20);
        final int[] ids = new int[shards];
        for (int s = 0; s < shards; s++) {
            ids[s] = base * shards + s;
        }
        return ids;
    }

    List<ValidatorNode> nodes() {
        return nodes;
    }

    int[] swapAssets() {
        return swapAssets == null ? null : swapAssets.clone();
    }

    /**
     * One open-loop step at {@code rate} tx/s of the mix ({@code crossFraction} cross-shard transfers,
     * {@code swapFraction} swaps, the rest same-shard transfers). Validators' metrics after the drain go
     * to {@code metricsDir}.
     */
    MixedResult step(final String label, final double rate, final double crossFraction, final double swapFraction,
                     final Settings settings, final Path metricsDir) throws Exception {
        if (swapFraction > 0 && swapAssets == null) {
            throw new IllegalStateException("this cluster was set up without swap assets");
        }
        LoadGenerator.settle(nodes);
        Thread.sleep((long) (settings.pauseSeconds() * 1000));
        final OpenLoopSchedule schedule = OpenLoopSchedule.ofSeconds(rate, settings.warmupSeconds(),
            settings.durationSeconds());
        final MixPlan plan = MixPlan.plan(schedule.total(), shards, validators, crossFraction, swapFraction,
            settings.seed() + count);
        final long signStartMs = System.currentTimeMillis();
        final MixedWorkload workload = MixedWorkload.sign(ed25519, accounts, swapAssets, genesis.networkId(),
            genesis.fee(), plan, schedule, signStartMs + LoadGenerator.EXPIRY_HEADROOM_MS, nonces.nextLong() >>> 2,
            settings.seed() + count, settings.signers());
        final long signedMs = TimeUnit.NANOSECONDS.toMillis(workload.signingNs());
        if (System.currentTimeMillis() - signStartMs > LoadGenerator.MAX_SIGNING_MS) {
            throw new IllegalStateException("signing " + workload.size() + " transactions took " + signedMs
                + " ms: lower the rate or the duration, or their expiry would run out");
        }
        final long[] kinds = plan.counts();
        LoadGenerator.log("step %d (%s): %d shard(s), %,.0f tx/s for %.0f s + %.0f s warm-up; %,d transactions "
                + "(%,d same-shard, %,d cross-shard transfers, %,d swaps) signed in %,d ms", count, label, shards, rate,
            settings.durationSeconds(), settings.warmupSeconds(), workload.size(), kinds[0], kinds[1], kinds[2], signedMs);
        System.gc(); // the signing garbage, before the clock starts rather than during it
        final OpenLoopRun.Tracking tracking = new OpenLoopRun.Tracking() {
            @Override
            public void begin(final long startNs) {
                tracker.begin(workload, startNs);
            }

            @Override
            public long done() {
                return tracker.done();
            }
        };
        final OpenLoopRun.Sent sent = OpenLoopRun.send(nodes, workload, schedule, tracking, settings.submitters(),
            (long) (settings.drainSeconds() * 1e9), cpu);
        final MixedTracker.Recorded recorded = tracker.end();
        final MixedResult result = MixedAccounting.account(new MixedRaw(label, shards, schedule, plan, sent.submitNs(),
            sent.codes(), recorded.timesNs(), recorded.results(), sent.cpu(), sent.progress()));
        saveMetrics(metricsDir, label, rate);
        count++;
        return result;
    }

    /** Every validator's metrics after the step's drain, as Prometheus text (metrics-NN-LABEL-RATE.prom). */
    private void saveMetrics(final Path dir, final String label, final double rate) throws IOException {
        Files.createDirectories(dir);
        final StringBuilder text = new StringBuilder();
        for (final ValidatorNode node : nodes) {
            text.append(node.metricsText());
        }
        Files.writeString(dir.resolve(String.format(Locale.ROOT, "metrics-%02d-%s-%d.prom", count, label,
            Math.round(rate))), text);
    }

    @Override
    public void close() {
        for (final AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (final Exception e) {
                LoadGenerator.log("closing a subscription: %s", e);
            }
        }
        cluster.close();
    }

    @Override
    public String toString() {
        return shards + " shard(s) × " + validators + " validators, swap assets " + Arrays.toString(swapAssets);
    }
}
