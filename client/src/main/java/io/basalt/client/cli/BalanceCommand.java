package io.basalt.client.cli;

import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code basalt balance ADDR [--node URL]}: one line per asset, "asset ID: AMOUNT", as a validator of
 * the account's shard knows them (found through --node's network map), or "no balances".
 */
@Command(name = "balance", mixinStandardHelpOptions = true,
    description = "Print an account's balances, asked of a validator of the account's shard.")
final class BalanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ADDR", description = "account address (64 hex digits)")
    String address;

    @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL", description = ClientCommands.NODE_HELP)
    URI node;

    @Override
    public Integer call() {
        final byte[] account = ClientCommands.address(address, "ADDR");
        try (BasaltClient client = ClientCommands.connect(node)) {
            final Map<Integer, Long> balances = client.balances(account);
            final PrintWriter out = spec.commandLine().getOut();
            if (balances.isEmpty()) {
                out.println("no balances");
            }
            for (final Map.Entry<Integer, Long> e : new TreeMap<>(balances).entrySet()) {
                out.println("asset " + Integer.toUnsignedString(e.getKey()) + ": " + Long.toUnsignedString(e.getValue()));
            }
            out.flush();
            return 0;
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        }
    }
}
