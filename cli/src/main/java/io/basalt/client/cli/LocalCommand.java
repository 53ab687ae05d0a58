package io.basalt.client.cli;

import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code basalt local}: S shards × n validators in this JVM (2 × 4 by default), on one media driver,
 * with HTTP gateways from 127.0.0.1:8080, Aeron client endpoints from 127.0.0.1:9000 and a funded
 * faucet per shard. Keeps its data folder across runs; Ctrl-C stops it cleanly (the shutdown hook
 * closes gateways, validators and the driver in that order).
 *
 * <p>Without {@code --shards} or {@code --validators}, a folder that already holds a cluster keeps
 * its shape, so that a cluster made before the default changed still starts with its data.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Run a local cluster in this process (" + LocalCluster.DEFAULT_SHARDS + " shards x "
        + LocalCluster.DEFAULT_VALIDATORS + " validators by default) until Ctrl-C.")
final class LocalCommand implements Runnable {
    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @Option(names = "--shards", description = "shards (default: " + LocalCluster.DEFAULT_SHARDS
        + ", or the existing cluster's)")
    Integer shards;

    @Option(names = "--validators", description = "validators per shard (default: " + LocalCluster.DEFAULT_VALIDATORS
        + ", or the existing cluster's)")
    Integer validators;

    @Option(names = "--data", description = "data folder (default: ~/.basalt/local)")
    Path data;

    @Option(names = "--reset", description = "wipe the data folder first: new keys, new genesis, empty state")
    boolean reset;

    /** Shards × validators per shard of the cluster to start. */
    record Shape(int shards, int validators) {
    }

    @Override
    public void run() {
        logging.apply();
        if ((shards != null && shards < 1) || (validators != null && validators < 1)) {
            throw new CliException("--shards and --validators must be at least 1", 2);
        }
        final Path dir = data != null ? data : LocalCluster.defaultDir();
        final LocalCluster cluster;
        try {
            final Shape shape = shape(dir);
            cluster = LocalCluster.start(shape.shards(), shape.validators(), dir, reset, true);
        } catch (final IOException | RuntimeException e) {
            throw new CliException("cannot start the local cluster: " + e.getMessage(), 5);
        }
        System.out.print(cluster.describe());
        System.out.println("running; Ctrl-C to stop (data is kept; --reset wipes it)");
        awaitShutdown(cluster);
    }

    /** What was asked for; what is not comes from the cluster in {@code dir} (unless reset) or the defaults. */
    Shape shape(final Path dir) throws IOException {
        final ClusterFiles.Layout existing = reset ? null : ClusterFiles.read(dir);
        final int existingShards = existing == null ? LocalCluster.DEFAULT_SHARDS : existing.genesis().shardCount();
        final int existingValidators = existing == null ? LocalCluster.DEFAULT_VALIDATORS
            : existing.genesis().shards().getFirst().validators().size();
        return new Shape(shards != null ? shards : existingShards, validators != null ? validators : existingValidators);
    }

    /** Blocks until the JVM is asked to stop, then closes {@code resource} from the shutdown hook. */
    static void awaitShutdown(final AutoCloseable resource) {
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (final Exception e) {
                System.err.println("basalt: error while stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "basalt-shutdown"));
        try {
            stopped.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
