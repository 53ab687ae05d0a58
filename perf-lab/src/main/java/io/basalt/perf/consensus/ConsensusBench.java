package io.basalt.perf.consensus;

import io.basalt.node.net.ConsensusTransport;
import io.basalt.protocol.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The consensus-only benchmark (docs/consensus-only.md): one shard of n real consensus cores on Aeron
 * IPC ordering opaque, unsigned payloads of a given size, so that Basalt's ordering can be compared
 * with other consensus systems' "consensus-only" numbers. {@code scripts/consensus-bench} runs it.
 *
 * <p>Each step runs on a fresh cluster in this JVM (the JIT stays warm), so a saturated step leaves no
 * backlog behind for the next.
 */
@Command(name = "consensus-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Consensus-only ordering throughput and submit → commit latency of opaque payloads: "
        + "1 shard × n validators, real ConsensusCores over Aeron IPC, Ed25519 block signatures, no execution.")
public final class ConsensusBench implements Callable<Integer> {
    @Option(names = "--rate", description = "Offered payloads/s, all validators together (default ${DEFAULT-VALUE}).")
    double rate = 100_000;

    @Option(names = "--sweep", description = "Run --rates upwards until one is not sustained, bisect --refine times, "
        + "then measure at half the highest sustained rate.")
    boolean sweep;

    @Option(names = "--rates", split = ",", description = "Sweep rates in payloads/s (default ${DEFAULT-VALUE}).")
    List<Double> rates = List.of(25_000.0, 50_000.0, 100_000.0, 150_000.0, 200_000.0, 250_000.0, 300_000.0, 400_000.0);

    @Option(names = "--refine", description = "Bisection steps between the last sustained and the first failed rate "
        + "(default ${DEFAULT-VALUE}).")
    int refine = 1;

    @Option(names = "--payload-bytes", description = "Opaque bytes per payload, 8..4096 (default ${DEFAULT-VALUE}); "
        + "the encoded OpaquePayload adds 10 bytes, its entry in a block 2 more.")
    int payloadBytes = 100;

    @Option(names = "--duration", description = "Measured seconds per step (default ${DEFAULT-VALUE}).")
    double durationSeconds = 10;

    @Option(names = "--warmup", description = "Seconds at the step's rate before the window (default ${DEFAULT-VALUE}).")
    double warmupSeconds = 3;

    @Option(names = "--drain", description = "Most seconds to wait after the window for its payloads to commit "
        + "(default ${DEFAULT-VALUE}).")
    double drainSeconds = 2;

    @Option(names = "--max-p99-ms", description = "A step whose p99 exceeds this is not sustained (default ${DEFAULT-VALUE}).")
    double maxP99Ms = 250;

    @Option(names = "--validators", description = "Validators in the shard, at least 4 (default ${DEFAULT-VALUE}).")
    int validators = 4;

    @Option(names = "--block-size", description = "Most payloads per block (the node's maxBlockTransactions; at most "
        + "4096; default ${DEFAULT-VALUE}). The block byte limit is the core's 512 KiB or a transport message, "
        + "whichever is smaller.")
    int blockSize = 1_000;

    @Option(names = "--idle", description = "Agent idle strategy: backoff (default), sleeping or busy (a core per "
        + "thread only; also switches the media driver to dedicated busy threads).")
    String idle = "backoff";

    @Option(names = "--leader-timeout-ms", description = "Consensus leader timeout (default ${DEFAULT-VALUE}, as the node).")
    long leaderTimeoutMs = 50;

    @Option(names = "--min-round-interval-ms", description = "Least time between own proposals while there is work "
        + "(default ${DEFAULT-VALUE}, as the node).")
    long minRoundIntervalMs = io.basalt.node.config.NodeConfig.DEFAULT_MIN_ROUND_INTERVAL_MS;

    @Option(names = "--term-length", description = "Aeron term length of the consensus streams in bytes; a message "
        + "is at most a term / 8 (default ${DEFAULT-VALUE}).")
    int termLength = ConsensusTransport.DEFAULT_TERM_LENGTH;

    @Option(names = "--commit", hidden = true, description = "The version measured, for the report.")
    String commit = "unknown";

    public static void main(final String[] args) {
        System.exit(new CommandLine(new ConsensusBench()).execute(args));
    }

    @Override
    public Integer call() {
        final ConsensusOnlyCluster.Options options = new ConsensusOnlyCluster.Options(validators, payloadBytes, blockSize,
            idle, leaderTimeoutMs * 1_000_000L, minRoundIntervalMs * 1_000_000L, 50_000_000L, termLength, false);
        printHeader(options);
        if (!sweep) {
            final StepResult result = step(options, rate);
            return result.sustained() ? 0 : 2;
        }
        runSweep(options);
        return 0;
    }

    private void runSweep(final ConsensusOnlyCluster.Options options) {
        final List<StepResult> results = new ArrayList<>();
        double lastGood = 0;
        double firstBad = Double.NaN;
        for (final double r : rates) {
            final StepResult result = step(options, r);
            results.add(result);
            if (!result.sustained()) {
                firstBad = r;
                break;
            }
            lastGood = r;
        }
        for (int i = 0; i < refine && !Double.isNaN(firstBad) && lastGood > 0; i++) {
            final double middle = Math.rint((lastGood + firstBad) / 2);
            final StepResult result = step(options, middle);
            results.add(result);
            if (result.sustained()) {
                lastGood = middle;
            } else {
                firstBad = middle;
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "highest sustained rate: %,.0f payloads/s%s%n", lastGood,
            Double.isNaN(firstBad) ? " (every rate of --rates was sustained)" : String.format(Locale.ROOT,
                " (%,.0f/s was not)", firstBad));
        if (lastGood > 0) {
            System.out.println("at half of it:");
            results.add(step(options, lastGood / 2));
        }
        System.out.println();
        System.out.println("summary:");
        for (final StepResult result : results) {
            System.out.println("  " + result.summaryLine());
        }
    }

    private StepResult step(final ConsensusOnlyCluster.Options options, final double stepRate) {
        try (ConsensusOnlyCluster cluster = ConsensusOnlyCluster.start(options)) {
            final StepResult result = new StepRunner(cluster).run(stepRate, seconds(warmupSeconds), seconds(durationSeconds),
                seconds(drainSeconds), maxP99Ms);
            System.out.println(result.summaryLine());
            System.out.print(result.details());
            System.out.flush();
            return result;
        }
    }

    private void printHeader(final ConsensusOnlyCluster.Options options) {
        final int encoded = Payloads.encodedLength(payloadBytes);
        final String provider;
        final String config;
        try (ConsensusOnlyCluster probe = ConsensusOnlyCluster.start(options)) {
            provider = probe.cryptoProvider();
            config = String.format(Locale.ROOT, "block limits %,d payloads / %,d bytes, leader timeout %d ms, "
                    + "min round interval %d ms", probe.coreConfig().maxBlockTransactions(),
                probe.coreConfig().maxBlockPayloadBytes(), leaderTimeoutMs, minRoundIntervalMs);
        }
        System.out.printf(Locale.ROOT, "consensus-only: 1 shard x %d validators, Aeron IPC (one embedded media driver), "
                + "idle %s, Ed25519 %s; commit %s%n", validators, idle, provider, commit);
        System.out.printf(Locale.ROOT, "payload %d bytes (OpaquePayload %d bytes, %d in a block); %s; %d CPUs; "
                + "warm-up %.0f s, window %.0f s per step%n", payloadBytes, encoded, encoded + Layout.TX_LENGTH_PREFIX,
            config, Runtime.getRuntime().availableProcessors(), warmupSeconds, durationSeconds);
        System.out.println();
    }

    private static long seconds(final double s) {
        return (long) (s * 1e9);
    }
}
