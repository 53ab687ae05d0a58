package io.basalt.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import io.basalt.crypto.Hex;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code basalt balance ADDR [--node URL] [-o json]}: one line per asset, "asset ID: AMOUNT", as a validator of
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

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        final byte[] account = ClientCommands.address(address, "ADDR");
        try (BasaltClient client = ClientCommands.connect(node)) {
            final Map<Integer, Long> balances = client.balances(account);
            final PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.print(out, json(account, client.network().shardOf(account), balances));
                return 0;
            }
            if (balances.isEmpty()) {
                out.println("no balances");
            }
            final TreeMap<Long, Long> sorted = new TreeMap<>();
            balances.forEach((asset, amount) -> sorted.put(Integer.toUnsignedLong(asset), amount));
            sorted.forEach((asset, amount) -> out.println("asset " + asset + ": " + Long.toUnsignedString(amount)));
            out.flush();
            return 0;
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        }
    }

    /** {"account": hex, "shard": S, "balances": {"ASSET": amount, ...}}, assets in ascending order. */
    static ObjectNode json(final byte[] account, final int shard, final Map<Integer, Long> balances) {
        final ObjectNode node = OutputOptions.object();
        node.put("account", Hex.encode(account));
        node.put("shard", shard);
        final ObjectNode byAsset = node.putObject("balances");
        final TreeMap<Long, Long> sorted = new TreeMap<>();
        balances.forEach((asset, amount) -> sorted.put(Integer.toUnsignedLong(asset), amount));
        sorted.forEach((asset, amount) -> byAsset.put(Long.toString(asset), OutputOptions.unsigned(amount)));
        return node;
    }
}
