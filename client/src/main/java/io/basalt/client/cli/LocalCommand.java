package io.basalt.client.cli;

import io.basalt.node.runtime.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt local}: S shards × n validators in this JVM, on one media driver, with HTTP gateways
 * from 127.0.0.1:8080 and a funded faucet per shard. Keeps its data folder across runs; Ctrl-C stops
 * it cleanly (the shutdown hook closes gateways, validators and the driver in that order).
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Run a local cluster in this process (1 shard x 4 validators by default) until Ctrl-C.")
final class LocalCommand implements Runnable {
    @Option(names = "--shards", defaultValue = "1", description = "shards (default: ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--validators", defaultValue = "4", description = "validators per shard (default: ${DEFAULT-VALUE})")
    int validators;

    @Option(names = "--data", description = "data folder (default: ~/.basalt/local)")
    Path data;

    @Option(names = "--reset", description = "wipe the data folder first: new keys, new genesis, empty state")
    boolean reset;

    @Override
    public void run() {
        if (shards < 1 || validators < 1) {
            throw new CliException("--shards and --validators must be at least 1", 2);
        }
        final Path dir = data != null ? data : LocalCluster.defaultDir();
        final LocalCluster cluster;
        try {
            cluster = LocalCluster.start(shards, validators, dir, reset, true);
        } catch (final IOException | RuntimeException e) {
            throw new CliException("cannot start the local cluster: " + e.getMessage(), 5);
        }
        System.out.print(cluster.describe());
        System.out.println("running; Ctrl-C to stop (data is kept; --reset wipes it)");
        awaitShutdown(cluster);
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
