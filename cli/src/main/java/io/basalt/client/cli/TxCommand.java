package io.basalt.client.cli;

import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import io.basalt.client.sdk.Finality;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code basalt tx status TXID [--node URL] [-o json]}. */
@Command(name = "tx", mixinStandardHelpOptions = true, description = "Inspect transactions.", subcommands = TxCommand.Status.class)
final class TxCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("tx needs a subcommand: status (see basalt tx --help)", 2);
    }

    /** Prints "TXID STATE [RESULT at height H]"; exit 0 whatever the state, so scripts can poll. */
    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print what the network knows about a transaction (each shard is asked until one knows it).")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TXID", description = "transaction id (64 hex digits)")
        String txId;

        @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL", description = ClientCommands.NODE_HELP)
        URI node;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            final byte[] id = ClientCommands.hash32(txId, "TXID", "a transaction id is 64 hex digits");
            try (BasaltClient client = ClientCommands.connect(node)) {
                final Finality status = client.txStatus(id);
                if (output.json()) {
                    OutputOptions.print(spec.commandLine().getOut(), ClientCommands.json(status));
                } else {
                    spec.commandLine().getOut().println(ClientCommands.describe(status));
                    spec.commandLine().getOut().flush();
                }
                return 0;
            } catch (final BasaltException e) {
                throw ClientCommands.failure(e);
            }
        }
    }
}
