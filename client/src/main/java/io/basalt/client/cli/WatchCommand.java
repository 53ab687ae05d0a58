package io.basalt.client.cli;

import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code basalt watch [--node URL] [--count N] [--seconds S]}: prints finality events as they happen. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Print the node's finality events (one line each) until interrupted, --count events or --seconds.")
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL", description = ClientCommands.WATCH_NODE_HELP)
    URI node;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N", description = "stop after N events (0: never)")
    long count;

    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "stop after S seconds (0: never)")
    long seconds;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final CountDownLatch done = new CountDownLatch(1);
        final long[] seen = {0};
        try (BasaltClient client = ClientCommands.connectOne(node);
             AutoCloseable ignored = client.watch(finality -> {
                 synchronized (seen) {
                     if (count > 0 && seen[0] >= count) {
                         return;
                     }
                     out.println(ClientCommands.describe(finality));
                     out.flush();
                     if (++seen[0] == count) {
                         done.countDown();
                     }
                 }
             })) {
            if (seconds > 0) {
                done.await(seconds, TimeUnit.SECONDS);
            } else {
                done.await();
            }
            return 0;
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        }
    }
}
