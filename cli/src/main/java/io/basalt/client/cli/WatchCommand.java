package io.basalt.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import io.basalt.client.sdk.Finality;
import io.basalt.crypto.Hex;
import io.basalt.protocol.TxState;
import java.io.PrintWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code basalt watch [--node URL] [--tx TXID]... [--account ADDR] [--count N] [--seconds S] [-o json]}:
 * prints finality events as they happen.
 *
 * <p>Without a filter it watches the one validator {@code --node} names, as it always did. With
 * {@code --tx} or {@code --account} it watches a validator of every shard (the network map comes
 * from {@code --node}), since a transaction or an account may live on any of them.
 *
 * <p>Finality events name a transaction, not the accounts it touches, so {@code --account} cannot
 * pick events by account. It prints the account's balance changes instead: after each COMMITTED or
 * SETTLED event it reads the account's balances again (one read at a time; events that arrive
 * meanwhile are folded into the next read) and prints every asset whose amount moved.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Print finality events (one line each) until interrupted, --count lines or --seconds;"
        + " --tx keeps only those transactions' events, --account prints that account's balance changes.")
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL",
        description = "HTTP URL of the validator to watch, or with a filter of any validator (default: ${DEFAULT-VALUE})")
    URI node;

    @Option(names = "--tx", paramLabel = "TXID", description = "print only this transaction's events (repeatable)")
    List<String> txIds;

    @Option(names = "--account", paramLabel = "ADDR",
        description = "print this account's balance changes instead of events (repeatable)")
    List<String> accounts;

    @Option(names = "--count", defaultValue = "0", paramLabel = "N", description = "stop after N lines (0: never)")
    long count;

    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S", description = "stop after S seconds (0: never)")
    long seconds;

    @Mixin
    OutputOptions output;

    private final Object printLock = new Object();
    private final CountDownLatch done = new CountDownLatch(1);
    private long printed;

    @Override
    public Integer call() throws Exception {
        if (count < 0 || seconds < 0) {
            throw new CliException("--count and --seconds must not be negative", 2);
        }
        final Set<String> txFilter = new HashSet<>();
        if (txIds != null) {
            for (final String txId : txIds) {
                txFilter.add(Hex.encode(ClientCommands.hash32(txId, "--tx", "a transaction id is 64 hex digits")));
            }
        }
        final Map<String, byte[]> accountFilter = new HashMap<>();
        if (accounts != null) {
            for (final String account : accounts) {
                final byte[] address = ClientCommands.address(account, "--account");
                accountFilter.put(Hex.encode(address), address);
            }
        }
        final PrintWriter out = spec.commandLine().getOut();
        final boolean filtered = !txFilter.isEmpty() || !accountFilter.isEmpty();
        final ExecutorService reader = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
            .name("basalt-watch-balances").unstarted(r));
        try (BasaltClient client = filtered ? ClientCommands.connect(node) : ClientCommands.connectOne(node)) {
            final BalanceWatch balances = accountFilter.isEmpty() ? null : new BalanceWatch(client, accountFilter, out);
            try (AutoCloseable ignored = client.watch(finality -> {
                if (balances != null && (finality.state() == TxState.COMMITTED || finality.state() == TxState.SETTLED)) {
                    balances.changed(reader);
                }
                if (txFilter.isEmpty() ? accountFilter.isEmpty() : txFilter.contains(finality.txId())) {
                    print(out, output.json() ? ClientCommands.json(finality).put("type", "finality").toString()
                        : ClientCommands.describe(finality));
                }
            })) {
                if (seconds > 0) {
                    done.await(seconds, TimeUnit.SECONDS);
                } else {
                    done.await();
                }
            }
            return 0;
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        } finally {
            reader.shutdownNow();
        }
    }

    /** Prints one line unless --count lines are out already; the last one releases {@link #call}. */
    private void print(final PrintWriter out, final String line) {
        synchronized (printLock) {
            if (count > 0 && printed >= count) {
                return;
            }
            out.println(line);
            out.flush();
            if (++printed == count) {
                done.countDown();
            }
        }
    }

    /** The last balances seen of each watched account, and the reads that compare against them. */
    private final class BalanceWatch {
        private final BasaltClient client;
        private final Map<String, byte[]> accounts;
        private final Map<String, Map<Integer, Long>> last = new HashMap<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final PrintWriter out;

        BalanceWatch(final BasaltClient client, final Map<String, byte[]> accounts, final PrintWriter out) {
            this.client = client;
            this.accounts = accounts;
            this.out = out;
            // The starting point: changes are counted from here.
            accounts.forEach((hex, address) -> last.put(hex, client.balances(address)));
        }

        /** Schedules one read unless one is already waiting to run: a burst of events costs one read. */
        void changed(final ExecutorService reader) {
            if (scheduled.compareAndSet(false, true)) {
                reader.execute(this::read);
            }
        }

        private void read() {
            scheduled.set(false);
            accounts.forEach((hex, address) -> {
                final Map<Integer, Long> now;
                try {
                    now = client.balances(address);
                } catch (final BasaltException e) {
                    spec.commandLine().getErr().println("basalt: cannot read the balances of " + hex + ": " + e.getMessage());
                    return;
                }
                final Map<Integer, Long> before = last.put(hex, now);
                final Set<Integer> assets = new TreeSet<>(before.keySet());
                assets.addAll(now.keySet());
                for (final int asset : assets) {
                    final long was = before.getOrDefault(asset, 0L);
                    final long is = now.getOrDefault(asset, 0L);
                    if (was != is) {
                        print(out, line(hex, asset, was, is));
                    }
                }
            });
        }

        private String line(final String account, final int asset, final long was, final long is) {
            if (output.json()) {
                final ObjectNode node = OutputOptions.object();
                node.put("type", "balance");
                node.put("account", account);
                node.put("asset", Integer.toUnsignedLong(asset));
                node.put("before", OutputOptions.unsigned(was));
                node.put("after", OutputOptions.unsigned(is));
                return node.toString();
            }
            return account + " asset " + Integer.toUnsignedString(asset) + ": " + Long.toUnsignedString(was) + " -> "
                + Long.toUnsignedString(is);
        }
    }
}
