package io.basalt.client.cli;

import picocli.CommandLine.Command;

/**
 * {@code basalt local}: a local cluster in one JVM. The validator node lands with the node issue;
 * until then this command says so plainly instead of pretending to start something.
 */
@Command(name = "local", description = "Start a local cluster (1 shard x 4 validators by default).")
final class LocalCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException(
            "the local cluster needs the validator node (shard-node), which is not built yet; "
                + "run scripts/test or scripts/sim meanwhile", 3);
    }
}
