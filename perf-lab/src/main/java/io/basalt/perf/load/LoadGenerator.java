package io.basalt.perf.load;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.FinalityListener;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import io.basalt.node.runtime.ValidatorNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The open-loop load generator: starts a local cluster in this JVM, funds sender accounts from the
 * faucets, and offers pre-signed transactions at fixed rates, measuring throughput and the time
 * from each transaction's intended send time to its finality events. {@code scripts/load} runs it;
 * docs/benchmarks.md records results. Three modes:
 * <ul>
 *   <li>default ({@code --shards 1}): 1 shard × n validators, same-shard Transfers, one rate or a
 *       {@code --sweep}; latency to COMMITTED;</li>
 *   <li>{@code --shards S} (S ≥ 2): S shards × n validators, one fixed rate of a mix of same-shard
 *       transfers, cross-shard transfers and cross-shard swaps, each measured to its own events
 *       ({@link Series}) side by side ({@link MultiShard}, {@link MixedReport});</li>
 *   <li>{@code --scale} / {@code --shards-sweep 1,2,4}: for each shard count a fresh cluster driven
 *       with same-shard transfers at a fixed high rate: committed tx/s per core ({@link ScaleReport}).</li>
 * </ul>
 *
 * <p>Single-shard runs also calibrate first ({@link Calibration}), break each window down by node
 * stage ({@link StageBreakdown}), save the run as JSON and compare it with the previous one of the
 * same mode ({@link RunRecord}, {@link RunHistory}); {@code --client aeron|http} runs the cluster in
 * a child JVM ({@link ChildCluster}) and drives it through the SDK ({@link ClientRun}). See
 * docs/perf-lab.md.
 *
 * <p>What it measures and what it leaves out (with the default {@code --client inproc}):
 * transactions enter through {@code NodeApi.submit} in this process (decode, Ed25519 verification and admission on the submitter's thread), so the HTTP
 * and Aeron client gateways' costs are not included; the generator shares the machine's cores with
 * the validators (it only paces and submits: every transaction is signed before the clock starts).
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Open-loop load against an in-process local cluster: committed tx/s and submit → COMMITTED "
        + "(and, with --shards ≥ 2, → SETTLED) latency; --scale: committed tx/s per core by shard count.")
public final class LoadGenerator implements Callable<Integer> {
    /** Every sender gets this much of asset 0: ample for fees and amounts of any run. */
    static final long SENDER_FUNDS = 1_000_000_000_000L;
    /** Expiry of transaction i = signing time + its intended send offset + this (the protocol allows 60 s). */
    static final long EXPIRY_HEADROOM_MS = 40_000;
    /** Signing plus the start of a step must fit well inside the headroom, or late transactions would expire. */
    static final long MAX_SIGNING_MS = 20_000;
    private static final long SETTLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    @Option(names = "--validators", description = "Validators per shard (default ${DEFAULT-VALUE}).")
    int validators = 4;

    @Option(names = "--shards", description = "Shards. 1 (default): same-shard transfers only, as always. ≥ 2: one "
        + "fixed --rate of a mix of same-shard transfers (→ COMMITTED), cross-shard transfers (→ SETTLED on the "
        + "destination and on the submitting validator) and cross-shard swaps (→ SETTLED on the submitting shard).")
    int shards = 1;

    @Option(names = "--cross-fraction", description = "With --shards ≥ 2: share of cross-shard transfers "
        + "(default ${DEFAULT-VALUE}).")
    double crossFraction = 0.4;

    @Option(names = "--swap-fraction", description = "With --shards ≥ 2: share of cross-shard swaps "
        + "(default ${DEFAULT-VALUE}); the rest are same-shard transfers.")
    double swapFraction = 0.1;

    @Option(names = "--scale", description = "Committed tx/s per core of CPU by shard count: --shards-sweep 1,2,4.")
    boolean scale;

    @Option(names = "--shards-sweep", split = ",", description = "Shard counts to compare (implies --scale), e.g. "
        + "1,2,4: a fresh cluster of each, same-shard transfers at --scale-rate.")
    List<Integer> shardsSweep;

    @Option(names = "--scale-rate", split = ",", description = "Offered tx/s in the scale sweep: one value for every "
        + "shard count or one per count (default ${DEFAULT-VALUE}; above 1 shard's saturation on 2 cores, so each is "
        + "driven at saturation).")
    List<Double> scaleRates = List.of(10000.0);

    @Option(names = "--rate", description = "Offered rate in tx/s for a single run, every kind together "
        + "(default ${DEFAULT-VALUE}).")
    double rate = 1000;

    @Option(names = "--sweep", description = "Run the rates of --rates upwards until one is not sustained, "
        + "refine, then measure at half the saturation rate.")
    boolean sweep;

    @Option(names = "--rates", split = ",", description = "Sweep rates in tx/s (default ${DEFAULT-VALUE}).")
    List<Double> rates = List.of(250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0);

    @Option(names = "--refine", description = "Bisection steps between the last sustained and the first failed rate "
        + "(default ${DEFAULT-VALUE}).")
    int refine = 2;

    @Option(names = "--max-p99-ms", description = "A step whose p99 exceeds this is not sustained (default ${DEFAULT-VALUE}).")
    double maxP99Ms = 1000;

    @Option(names = "--duration", description = "Measured seconds per step (default ${DEFAULT-VALUE}).")
    double durationSeconds = 20;

    @Option(names = "--warmup", description = "Seconds at the same rate before the measured window (default ${DEFAULT-VALUE}).")
    double warmupSeconds = 5;

    @Option(names = "--drain", description = "Seconds to wait after the window for outstanding commits (default ${DEFAULT-VALUE}).")
    double drainSeconds = 20;

    @Option(names = "--pause", description = "Seconds of rest between steps (default ${DEFAULT-VALUE}).")
    double pauseSeconds = 3;

    @Option(names = "--accounts", description = "Sender accounts K, per shard (default ${DEFAULT-VALUE}).")
    int accounts = 256;

    @Option(names = "--submitters", description = "Submitting threads (default ${DEFAULT-VALUE}).")
    int submitters = 2;

    @Option(names = "--signers", description = "Threads that pre-sign a step's transfers (default: available processors).")
    int signers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seed", description = "Seed of the sender keys and of who pays whom (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--reuse", description = "Use the cluster folder DIR (created if missing) instead of a fresh temporary one.")
    Path reuse;

    @Option(names = "--out", description = "Report folder (default ${DEFAULT-VALUE}).")
    Path out = Path.of("perf-lab", "target", "load");

    @Option(names = "--commit", description = "Code version to print in the report (scripts/load passes git's).")
    String commit = "unknown";

    @Option(names = "--client", description = "How transactions reach the validators: inproc (default: NodeApi.submit "
        + "in this JVM), aeron (the SDK's Aeron client over UDP on loopback) or http (the SDK's HTTP client, finality "
        + "over its WebSocket stream); aeron and http start the cluster in a child JVM. 1 shard only.")
    String client = "inproc";

    @Option(names = "--history", description = "Folder that keeps every run's JSON, to compare a run with the previous "
        + "one of the same mode (default ${DEFAULT-VALUE}).")
    Path history = Path.of("perf-runs");

    @Option(names = "--no-calibration", negatable = true, description = "Measure the signature ceiling and the Aeron "
        + "round-trip floor before the steps (default: on; --no-calibration skips it).")
    boolean calibrate = true;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The idle strategy LocalCluster gives its validators (ClusterFiles' generated node configs). */
    static final String CLUSTER_IDLE_STRATEGY = "backoff";

    private final Instant startedAt = Instant.now();

    private final List<String> commandLine = new ArrayList<>();

    public static void main(final String[] args) {
        final LoadGenerator generator = new LoadGenerator();
        // The command as the user typed it: without the --commit that scripts/load adds.
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--commit") && i + 1 < args.length) {
                i++;
            } else if (!args[i].startsWith("--commit=")) {
                generator.commandLine.add(args[i]);
            }
        }
        System.exit(new CommandLine(generator).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        validate();
        if (scale || shardsSweep != null) {
            return scaleSweep();
        }
        if (shards > 1) {
            return mixed();
        }
        if (!client.equals("inproc")) {
            return throughClients();
        }
        final Ed25519 ed25519 = Ed25519.fromSystemProperties();
        final KeyPair[] senders = senderKeys(ed25519);
        final Calibration calibration = calibrate(ed25519, senders, false);
        final Path dir = reuse != null ? reuse : Files.createTempDirectory("basalt-load-");
        final String loadBefore = loadAverage();
        log("cluster folder %s (load average before start: %s)", dir, loadBefore);
        final List<StepResult> results = new ArrayList<>();
        String footer = "";
        try (LocalCluster cluster = LocalCluster.start(1, validators, dir, false, false)) {
            final List<ValidatorNode> nodes = cluster.nodes();
            awaitReady(nodes);
            final Genesis genesis = nodes.getFirst().genesis();
            log("funding %d senders from the faucet", senders.length);
            Funding.fund(ed25519, KeyFiles.read(ClusterFiles.faucetKey(dir, 0)), senders, SENDER_FUNDS, nodes,
                genesis.networkId(), genesis.fee());
            final CommitTracker tracker = new CommitTracker();
            final List<AutoCloseable> subscriptions = new ArrayList<>();
            for (int v = 0; v < nodes.size(); v++) {
                final FinalityListener listener = tracker.listener(v);
                subscriptions.add(nodes.get(v).subscribe(listener));
            }
            final Stepper stepper = new Stepper(OpenLoopRun.Cluster.of(nodes), nodes.size(), ed25519, senders,
                genesis.networkId(), genesis.fee(), tracker);
            if (sweep) {
                footer = sweep(stepper, results);
            } else {
                results.add(stepper.step("fixed", rate));
            }
            for (final AutoCloseable subscription : subscriptions) {
                subscription.close();
            }
            final String header = header(nodes.getFirst().config(), ed25519, loadBefore, singleShardCluster(),
                singleShardWorkload(), SINGLE_SHARD_LATENCY);
            finish(header, footer, results, calibration, nodes.getFirst().config(), ed25519);
        } finally {
            if (reuse == null) {
                deleteTree(dir);
            }
        }
        return 0;
    }

    /** The run's mode, as saved runs are compared by it: client path, single rate or sweep, shape. */
    String mode() {
        return String.format(Locale.ROOT, "%s-%s-%dx%d", clientPath(), sweep ? "sweep" : "fixed", shards, validators);
    }

    String clientPath() {
        return client;
    }

    /** The calibration of {@link Calibration}, measured now; a part that fails is logged and left out. */
    Calibration calibrate(final Ed25519 ed25519, final KeyPair[] senders, final boolean udp) {
        if (!calibrate) {
            return new Calibration(null, null);
        }
        VerifyCalibration verify = null;
        RttCalibration rtt = null;
        try {
            verify = VerifyCalibration.measure(ed25519, senders, validators, seed);
            log("calibration: Ed25519 verify %,.0f /s on one thread (%s, %d senders); ceiling %d cores × that ÷ %d "
                    + "validators = %,.0f tx/s", verify.perSecond(), verify.provider(), senders.length, verify.cores(),
                validators, verify.ceilingTxPerSecond());
        } catch (final RuntimeException e) {
            log("calibration: Ed25519 verify rate not measured: %s", e);
        }
        try {
            rtt = RttCalibration.measure(udp, CLUSTER_IDLE_STRATEGY);
            log("calibration: Aeron %s round trip p50 %.1f µs, p99 %.1f µs, mean %.1f µs (%,d round trips)",
                rtt.channel(), rtt.p50Us(), rtt.p99Us(), rtt.meanUs(), rtt.roundTrips());
        } catch (final IOException | RuntimeException e) {
            log("calibration: Aeron round trip not measured: %s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Calibration(verify, rtt);
    }

    /**
     * Writes the report (summary.md with the calibration, floors, stage and comparison sections) and
     * the run's JSON into --out and --history, and prints the tables.
     */
    void finish(final String header, final String footer, final List<StepResult> results, final Calibration calibration,
                final NodeConfig config, final Ed25519 ed25519) throws IOException {
        final RunRecord run = new RunRecord(RunRecord.SCHEMA, mode(), startedAt.toString(), RunContext.git(),
            RunContext.machine(ed25519), RunContext.options(spec), RunContext.node(config), calibration,
            results.stream().map(s -> RunRecord.Step.of(s, calibration, maxP99Ms)).toList());
        Files.createDirectories(out);
        Path saved = null;
        try {
            saved = RunHistory.save(run, out, history);
        } catch (final IOException e) {
            log("could not save the run's JSON: %s", e.getMessage());
        }
        final RunRecord previous = RunHistory.previous(history, run.mode(), saved);
        final String sections = (footer.isEmpty() ? "" : footer + (footer.endsWith("\n") ? "" : "\n") + "\n")
            + calibration.markdown() + "\n" + RunContext.floorsTable(results, calibration) + "\n"
            + RunContext.stagesSection(results) + "\n" + RunHistory.markdown(run, previous);
        LoadReport.write(out, header, results, sections);
        System.out.print(LoadReport.markdown("", results, sections));
        log("report written to %s; run saved as %s", out.toAbsolutePath(), saved == null ? "(not saved)" : saved);
    }

    /**
     * --client aeron|http: the cluster in a child JVM (ClusterMain), driven from this one through the
     * SDK; the same steps, reports and saved run as in-process, and the RTT floor over UDP.
     */
    private int throughClients() throws Exception {
        final Ed25519 ed25519 = Ed25519.fromSystemProperties();
        final KeyPair[] senders = senderKeys(ed25519);
        final Calibration calibration = calibrate(ed25519, senders, true);
        final Path dir = Files.createTempDirectory("basalt-load-");
        final String loadBefore = loadAverage();
        final Path log = out.resolve("cluster.log");
        log("starting the cluster in a child JVM, folder %s, its log %s (load average before start: %s)", dir, log,
            loadBefore);
        final List<StepResult> results = new ArrayList<>();
        String footer = "";
        try (ChildCluster child = ChildCluster.start(dir, validators, accounts, seed, log);
             ClientRun clients = new ClientRun(client, child.endpoints())) {
            log("cluster JVM %d ready: %s", child.pid(), child.endpoints());
            final Stepper stepper = new Stepper(clients, clients.validators(), ed25519, senders, child.networkId(),
                child.fee(), clients.tracker());
            if (sweep) {
                footer = sweep(stepper, results);
            } else {
                results.add(stepper.step("fixed", rate));
            }
            final NodeConfig config = NodeConfig.read(ClusterFiles.validatorDir(dir, 0, 0).resolve("node.json"));
            final String header = header(config, ed25519, loadBefore, String.format(Locale.ROOT, "1 shard × %d "
                    + "validators in a child JVM (LocalCluster with gateways, IPC between validators), driven from "
                    + "this JVM through the SDK's %s client", validators, client.equals("aeron")
                    ? "Aeron (UDP on 127.0.0.1)" : "HTTP (WebSocket finality stream)"),
                singleShardWorkload().replace("calling NodeApi.submit round-robin over the validators (no HTTP/Aeron "
                    + "gateway)", "calling BasaltClient.submit round-robin over one client per validator"),
                CLIENT_LATENCY);
            finish(header, footer, results, calibration, config, ed25519);
        } finally {
            deleteTree(dir);
        }
        return 0;
    }

    private void validate() {
        if (validators < 1 || accounts < 2 || submitters < 1 || signers < 1 || durationSeconds <= 0 || warmupSeconds < 0
            || drainSeconds < 0 || rates.isEmpty() || shards < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "shards ≥ 1, validators ≥ 1, accounts ≥ 2, "
                + "submitters ≥ 1, signers ≥ 1, duration > 0, warmup/drain ≥ 0, some rates");
        }
        if (!List.of("inproc", "aeron", "http").contains(client)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--client is inproc, aeron or http");
        }
        if (!client.equals("inproc") && (scale || shardsSweep != null || shards != 1 || reuse != null)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                "--client aeron|http drives 1 shard in a fresh child JVM: not with --shards, --scale or --reuse");
        }
        if (scale || shardsSweep != null) {
            final List<Integer> counts = shardCounts();
            if (counts.isEmpty() || counts.stream().anyMatch(c -> c < 1) || scaleRates.isEmpty()
                || scaleRates.stream().anyMatch(r -> !(r > 0))
                || (scaleRates.size() != 1 && scaleRates.size() != counts.size())) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--shards-sweep needs shard counts ≥ 1 "
                    + "and --scale-rate one positive rate, or one per shard count");
            }
            if (sweep || shards != 1 || reuse != null) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--scale/--shards-sweep starts a fresh cluster per shard count: not with --sweep, --shards or --reuse");
            }
            return;
        }
        if (shards > 1) {
            if (sweep) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                    "--shards ≥ 2 runs one fixed --rate; --sweep is for 1 shard");
            }
            try {
                MixPlan.validate(shards, validators, crossFraction, swapFraction);
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
        }
    }

    /** The shard counts of the scale sweep: --shards-sweep, or 1, 2, 4 for --scale. */
    List<Integer> shardCounts() {
        return shardsSweep != null ? shardsSweep : List.of(1, 2, 4);
    }

    /** The offered rate for the i-th shard count of the scale sweep. */
    static double scaleRate(final List<Double> rates, final int i) {
        return rates.size() == 1 ? rates.getFirst() : rates.get(i);
    }

    private MultiShard.Settings settings() {
        return new MultiShard.Settings(warmupSeconds, durationSeconds, drainSeconds, pauseSeconds, submitters, signers,
            seed);
    }

    /** --shards S ≥ 2: one step of the mixed workload on S shards, reported per kind. */
    private int mixed() throws Exception {
        final Path dir = reuse != null ? reuse : Files.createTempDirectory("basalt-load-");
        final String loadBefore = loadAverage();
        log("cluster folder %s (load average before start: %s)", dir, loadBefore);
        try (MultiShard cluster = MultiShard.start(shards, validators, dir, accounts, swapFraction > 0, seed)) {
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final MixedResult result = cluster.step("mixed", rate, crossFraction, swapFraction, settings(), out);
            final String header = header(cluster.nodes().getFirst().config(), ed25519, loadBefore,
                multiShardCluster(shards), mixedWorkload(cluster.swapAssets()), MIXED_LATENCY);
            MixedReport.write(out, header, result);
            System.out.print(MixedReport.markdown("", result));
            log("report written to %s", out.toAbsolutePath());
        } finally {
            if (reuse == null) {
                deleteTree(dir);
            }
        }
        return 0;
    }

    /** --scale: a fresh cluster per shard count, same-shard transfers at a fixed rate, tx/s per core. */
    private int scaleSweep() throws Exception {
        final List<Integer> counts = shardCounts();
        final String loadBefore = loadAverage();
        final List<MixedResult> results = new ArrayList<>();
        String header = "";
        for (int i = 0; i < counts.size(); i++) {
            final int count = counts.get(i);
            final double offered = scaleRate(scaleRates, i);
            final Path dir = Files.createTempDirectory("basalt-load-");
            log("scale %d/%d: %d shard(s) × %d validators at %,.0f tx/s, cluster folder %s (load average %s)", i + 1,
                counts.size(), count, validators, offered, dir, loadAverage());
            try (MultiShard cluster = MultiShard.start(count, validators, dir, accounts, false, seed)) {
                final Path folder = out.resolve(ScaleReport.subfolder(count));
                final MixedResult result = cluster.step("scale-" + count, offered, 0, 0, settings(), folder);
                final Ed25519 ed25519 = Ed25519.fromSystemProperties();
                final String runHeader = header(cluster.nodes().getFirst().config(), ed25519, loadBefore,
                    multiShardCluster(count), scaleWorkload(), MIXED_LATENCY);
                MixedReport.write(folder, runHeader, result);
                if (header.isEmpty()) {
                    header = header(cluster.nodes().getFirst().config(), ed25519, loadBefore,
                        String.format(Locale.ROOT, "%s shard(s) × %d validators, one fresh cluster after another in "
                            + "this JVM (LocalCluster, IPC)", counts, validators), scaleWorkload(), MIXED_LATENCY);
                }
                results.add(result);
                log("%d shard(s): offered %,.0f tx/s, committed %,.0f tx/s, process CPU %.2f cores: %,.0f tx/s per core%s",
                    count, result.offeredPerSecond(), result.committedPerSecond(), result.cpu().processCores(),
                    result.committedPerCore(), result.sustained() ? " (kept up: not saturated)" : " (saturated)");
            } finally {
                deleteTree(dir);
            }
            System.gc();
        }
        ScaleReport.write(out, header, results, validators);
        System.out.print(ScaleReport.table(results, validators));
        System.out.println();
        System.out.print(ScaleReport.footer());
        log("report written to %s", out.toAbsolutePath());
        return 0;
    }

    /** Steps up through the rates, bisects between the last good and first bad, then measures at half saturation. */
    private String sweep(final Stepper stepper, final List<StepResult> results) throws Exception {
        double lastGood = Double.NaN;
        double firstBad = Double.NaN;
        for (final double r : rates.stream().sorted().toList()) {
            final StepResult result = stepper.step("sweep", r);
            results.add(result);
            if (result.sustained(maxP99Ms)) {
                lastGood = r;
            } else {
                firstBad = r;
                break;
            }
        }
        for (int i = 0; i < refine && !Double.isNaN(lastGood) && !Double.isNaN(firstBad)
            && firstBad - lastGood > 0.1 * lastGood; i++) {
            final double mid = Math.round((lastGood + firstBad) / 2 / 50) * 50.0;
            final StepResult result = stepper.step("refine", mid);
            results.add(result);
            if (result.sustained(maxP99Ms)) {
                lastGood = mid;
            } else {
                firstBad = mid;
            }
        }
        final StringBuilder footer = new StringBuilder();
        footer.append(String.format(Locale.ROOT, "A step is *sustained* when accepted ≥ 99%% and committed ≥ 95%% of "
            + "the offered rate, every accepted transaction commits within the drain, and p99 ≤ %.0f ms.%n%n", maxP99Ms));
        if (Double.isNaN(lastGood)) {
            footer.append("No rate was sustained: saturation is below the lowest rate tried.\n");
            return footer.toString();
        }
        final double peak = results.stream().mapToDouble(StepResult::committedPerSecond).max().orElse(0);
        footer.append(String.format(Locale.ROOT, "**Saturation**: highest sustained offered rate %,.0f tx/s%s; "
                + "peak committed rate seen %,.0f tx/s.%n",
            lastGood, Double.isNaN(firstBad) ? " (every rate tried was sustained: saturation is higher)"
                : String.format(Locale.ROOT, " (%,.0f tx/s was not)", firstBad), peak));
        final StepResult half = stepper.step("half-saturation", lastGood / 2);
        results.add(half);
        footer.append(String.format(Locale.ROOT, "**Half saturation** (%,.0f tx/s offered): committed %,.0f tx/s, "
                + "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms.%n", half.offeredPerSecond(), half.committedPerSecond(),
            half.latencyMs(50), half.latencyMs(99), half.latencyMs(99.9)));
        return footer.toString();
    }

    /** Runs steps on one cluster (in this JVM or behind clients): sign, settle, run, account. */
    final class Stepper {
        private final OpenLoopRun.Cluster cluster;
        private final int validatorCount;
        private final Ed25519 ed25519;
        private final KeyPair[] senders;
        private final int networkId;
        private final long fee;
        private final OpenLoopRun.StepTracker tracker;
        private final CpuSampler cpu = new CpuSampler();
        private final SecureRandom nonces = new SecureRandom();
        private int count;

        Stepper(final OpenLoopRun.Cluster cluster, final int validatorCount, final Ed25519 ed25519,
                final KeyPair[] senders, final int networkId, final long fee, final OpenLoopRun.StepTracker tracker) {
            this.cluster = cluster;
            this.validatorCount = validatorCount;
            this.ed25519 = ed25519;
            this.senders = senders;
            this.networkId = networkId;
            this.fee = fee;
            this.tracker = tracker;
        }

        StepResult step(final String label, final double stepRate) throws Exception {
            settle(cluster);
            Thread.sleep((long) (pauseSeconds * 1000));
            final OpenLoopSchedule schedule = OpenLoopSchedule.ofSeconds(stepRate, warmupSeconds, durationSeconds);
            final long signStartMs = System.currentTimeMillis();
            final SignedWorkload workload = SignedWorkload.sign(ed25519, senders, networkId, fee,
                schedule, signStartMs + EXPIRY_HEADROOM_MS, nonces.nextLong() >>> 2, seed + count, signers);
            final long signedMs = TimeUnit.NANOSECONDS.toMillis(workload.signingNs());
            if (System.currentTimeMillis() - signStartMs > MAX_SIGNING_MS) {
                throw new IllegalStateException("signing " + workload.size() + " transfers took " + signedMs
                    + " ms: lower the rate or the duration, or their expiry would run out");
            }
            log("step %d (%s): %,.0f tx/s for %.0f s + %.0f s warm-up, %,d transfers signed in %,d ms", count, label,
                stepRate, durationSeconds, warmupSeconds, workload.size(), signedMs);
            System.gc(); // the signing garbage, before the clock starts rather than during it
            final StepRaw raw = OpenLoopRun.run(label, cluster, validatorCount, workload, schedule, tracker, submitters,
                (long) (drainSeconds * 1e9), cpu);
            final StepResult result = LatencyAccounting.account(raw);
            saveMetrics(count, label, stepRate, cluster);
            count++;
            log("%s", LoadReport.tableRow(result).strip());
            return result;
        }
    }

    /**
     * Every validator's metrics after the step's drain, as Prometheus text (metrics-NN-LABEL-RATE.prom):
     * the evidence for where time went (pending blocks, consensus rejects, dropped sends, ring waits).
     */
    private void saveMetrics(final int index, final String label, final double stepRate, final OpenLoopRun.Cluster cluster)
        throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(String.format(Locale.ROOT, "metrics-%02d-%s-%d.prom", index, label,
            Math.round(stepRate))), String.join("", cluster.metricsTexts()));
    }

    /** Waits until no validator holds transactions in its mempool (the previous step's backlog is gone). */
    static void settle(final List<ValidatorNode> nodes) throws InterruptedException {
        settle(OpenLoopRun.Cluster.of(nodes));
    }

    static void settle(final OpenLoopRun.Cluster cluster) throws InterruptedException {
        final long deadline = System.nanoTime() + SETTLE_TIMEOUT_NS;
        while (System.nanoTime() < deadline) {
            long waiting = 0;
            for (final String text : cluster.metricsTexts()) {
                waiting += gauge(text, "basalt_mempool_transactions");
            }
            if (waiting == 0) {
                return;
            }
            Thread.sleep(200);
        }
        log("warning: mempools still not empty after %d s; continuing", TimeUnit.NANOSECONDS.toSeconds(SETTLE_TIMEOUT_NS));
    }

    static long gauge(final String metricsText, final String name) {
        for (final String line : metricsText.split("\n")) {
            if (line.startsWith(name) && (line.length() == name.length() || line.charAt(name.length()) == '{'
                || line.charAt(name.length()) == ' ')) {
                final String value = line.substring(line.lastIndexOf(' ') + 1);
                return (long) Double.parseDouble(value);
            }
        }
        return 0;
    }

    static void awaitReady(final List<ValidatorNode> nodes) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!nodes.stream().allMatch(n -> n.status().ready() && n.status().round() > 2)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster not ready within 60 s");
            }
            Thread.sleep(50);
        }
    }

    private KeyPair[] senderKeys(final Ed25519 ed25519) {
        return senderKeys(ed25519, accounts, seed);
    }

    /** The K sender keys of a seed: the generator and a child cluster JVM (which funds them) derive the same. */
    static KeyPair[] senderKeys(final Ed25519 ed25519, final int accounts, final long seed) {
        final SecureRandom random = seededRandom(seed);
        final KeyPair[] keys = new KeyPair[accounts];
        for (int i = 0; i < accounts; i++) {
            keys[i] = ed25519.generateKeyPair(random);
        }
        return keys;
    }

    static SecureRandom seededRandom(final long seed) {
        try {
            final SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA1PRNG", e);
        }
    }

    private static final String SINGLE_SHARD_LATENCY = "Latency = COMMITTED seen on the validator the transaction "
        + "was sent to − its intended send time (start + i/rate), so a late submitter or a backed-up node is charged "
        + "(coordinated-omission-safe).";

    private static final String CLIENT_LATENCY = "Latency = COMMITTED seen by the client in this JVM (the SDK's "
        + "submit future completing, from the validator's finality stream) − the transaction's intended send time "
        + "(start + i/rate), so a late submitter, a slow client path or a backed-up node is charged "
        + "(coordinated-omission-safe). CPU columns are this (client) JVM's; the cluster's CPU is in 'others'.";

    private static final String MIXED_LATENCY = "Latency = the event seen − the transaction's intended send time "
        + "(start + i/rate), so a late submitter or a backed-up node is charged (coordinated-omission-safe): "
        + "same-shard transfer → COMMITTED on the validator it was sent to; cross-shard transfer → SETTLED on the "
        + "destination shard's validator 0 (credit applied) and → SETTLED on the validator it was sent to (f+1 "
        + "destination validators acknowledged); cross-shard swap → SETTLED on the validator it was sent to (its "
        + "party, partyA, received partyB's leg). Bold rows are those; the others are steps on the way.";

    private String singleShardCluster() {
        return String.format(Locale.ROOT, "1 shard × %d validators in this JVM (LocalCluster, IPC)", validators);
    }

    private String multiShardCluster(final int shardCount) {
        return String.format(Locale.ROOT, "%d shards × %d validators in this JVM (LocalCluster, IPC; cross-shard "
            + "batches over the same media driver)", shardCount, validators);
    }

    private String singleShardWorkload() {
        return String.format(Locale.ROOT, "%d funded senders, Transfers of 1 unit between them, pre-signed; %d "
            + "submitter thread(s) calling NodeApi.submit round-robin over the validators (no HTTP/Aeron gateway); "
            + "warm-up %.0f s, window %.0f s, drain ≤ %.0f s per step", accounts, submitters, warmupSeconds,
            durationSeconds, drainSeconds);
    }

    private String mixedWorkload(final int[] swapAssets) {
        return String.format(Locale.ROOT, "one fixed offered rate of %,.0f tx/s: same-shard transfers %.0f%%, "
                + "cross-shard transfers %.0f%%, cross-shard swaps %.0f%% (kind, source shard and other shard drawn per "
                + "transaction, seeded); %d funded accounts per shard (asset 0%s); transfers of 1 unit of asset 0, swaps "
                + "of 1 unit of each party's shard's asset, submitted once to partyA's shard; pre-signed; %d submitter "
                + "thread(s) calling NodeApi.submit on a validator of the sender's shard, round-robin within it (no "
                + "HTTP/Aeron gateway); warm-up %.0f s, window %.0f s, drain ≤ %.0f s",
            rate, 100 * (1 - crossFraction - swapFraction), 100 * crossFraction, 100 * swapFraction, accounts,
            swapAssets == null ? "" : ", and the swap asset of its shard: ids " + java.util.Arrays.toString(swapAssets)
                + " by shard", submitters, warmupSeconds, durationSeconds, drainSeconds);
    }

    private String scaleWorkload() {
        return String.format(Locale.ROOT, "per shard count, same-shard Transfers only at a fixed offered rate (%s tx/s) "
                + "spread over every shard's validators; %d funded accounts per shard; pre-signed; %d submitter thread(s) "
                + "calling NodeApi.submit (no HTTP/Aeron gateway); warm-up %.0f s, window %.0f s, drain ≤ %.0f s",
            scaleRates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).collect(
                java.util.stream.Collectors.joining(" / ")), accounts, submitters, warmupSeconds, durationSeconds,
            drainSeconds);
    }

    private String header(final NodeConfig config, final Ed25519 ed25519, final String loadBefore, final String cluster,
                          final String workload, final String latency) {
        return String.format(Locale.ROOT, """
                # Load generator report

                | | |
                |---|---|
                | when | %s |
                | code | %s |
                | command | `scripts/load %s` |
                | machine | %d CPUs, %s; load average before start %s |
                | JVM | %s %s; %s |
                | cluster | %s, idleStrategy %s, minRoundIntervalMs %d, \
                idleRoundIntervalMs %d, leaderTimeoutMs %d, maxBlockTransactions %d, verifierThreads %d |
                | Ed25519 | %s |
                | workload | %s |

                %s
                """,
            Instant.now(), commit, String.join(" ", commandLine), Runtime.getRuntime().availableProcessors(), cpuModel(),
            loadBefore, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
            cluster, config.idleStrategy(), config.minRoundIntervalMs(), config.idleRoundIntervalMs(),
            config.leaderTimeoutMs(), config.maxBlockTransactions(), config.verifierThreads(),
            ed25519.providerDescription(), workload, latency);
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (final IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    static String loadAverage() {
        try {
            final String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (final IOException e) {
            return "unknown";
        }
    }

    static void deleteTree(final Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            log("could not delete %s: %s", dir, e.getMessage());
        }
    }

    static void log(final String format, final Object... args) {
        System.err.printf(Locale.ROOT, "%s load: %s%n", Instant.now(), String.format(Locale.ROOT, format, args));
    }
}
