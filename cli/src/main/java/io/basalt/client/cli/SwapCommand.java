package io.basalt.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.NetworkStatus;
import io.basalt.client.sdk.Swap;
import io.basalt.client.sdk.TransactionBuilder;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code basalt swap}: an atomic swap between two accounts, on one shard or across two
 * (docs/protocol.md §9). A swap needs both parties' signatures over the same bytes, so there are two ways to make one:
 *
 * <pre>
 *   both keys here:   basalt swap execute --key a.key --counterparty-key b.key --give 100 --get 5 --get-asset 42
 *
 *   two people:       A: basalt swap propose --key a.key --counterparty B_ADDR --give 100 --get 5 --get-asset 42 --out s.json
 *                        (sends s.json to B: it holds no secret, only A's signature)
 *                     B: basalt swap show s.json
 *                     B: basalt swap accept s.json --key b.key --wait
 * </pre>
 *
 * Terms are from A's side: A gives {@code --give} of {@code --give-asset}, and gets {@code --get} of
 * {@code --get-asset} from B. A pays the fee. The network refuses a transaction that expires more
 * than 60 s after its consensus time, so B must accept within {@code --expires-in} of the proposal.
 */
@Command(name = "swap", mixinStandardHelpOptions = true,
    description = "Atomic swaps between two accounts (same shard or across shards), signed by both parties.",
    subcommands = {SwapCommand.Execute.class, SwapCommand.Propose.class, SwapCommand.Accept.class, SwapCommand.Show.class})
final class SwapCommand implements Runnable {
    /** Expiry of a proposal after A's shard's consensus time: the time B has to accept. */
    static final Duration DEFAULT_PROPOSAL_EXPIRY = Duration.ofSeconds(50);
    /** The protocol refuses expiries more than 60 s ahead; keep a margin for the shards' clocks. */
    static final Duration MAX_PROPOSAL_EXPIRY = Duration.ofSeconds(58);

    @Override
    public void run() {
        throw new CliException("swap needs a subcommand: execute, propose, accept or show (see basalt swap --help)", 2);
    }

    /** What A gives and gets. */
    static final class Terms {
        @Option(names = "--give", required = true, paramLabel = "N", description = "amount A gives B (smallest unit)")
        long give;

        @Option(names = "--give-asset", defaultValue = "0", paramLabel = "ID",
            description = "asset A gives (default: ${DEFAULT-VALUE}, the native asset)")
        int giveAsset;

        @Option(names = "--get", required = true, paramLabel = "N", description = "amount B gives A (smallest unit)")
        long get;

        @Option(names = "--get-asset", defaultValue = "0", paramLabel = "ID",
            description = "asset B gives (default: ${DEFAULT-VALUE}, the native asset)")
        int getAsset;

        void check() {
            if (give <= 0 || get <= 0) {
                throw new CliException("--give and --get must be positive", 2);
            }
        }

        /** An unsigned swap from A to B on the network {@code status} describes. */
        SwapTx build(final Ed25519 ed25519, final NetworkStatus status, final byte[] partyA, final byte[] partyB,
                     final long expiryMs) {
            if (Arrays.equals(partyA, partyB)) {
                throw new CliException("a swap needs two different accounts", 2);
            }
            return new SwapTx(TransactionBuilder.forNetwork(ed25519, status)
                .swap(partyA, giveAsset, give, partyB, getAsset, get, expiryMs));
        }
    }

    /** {@code basalt swap execute}: both key files are at hand; sign as both and submit. */
    @Command(name = "execute", mixinStandardHelpOptions = true,
        description = "Sign a swap with both parties' key files and submit it; prints its id (and outcome with --wait).")
    static final class Execute implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "key file of party A (pays the fee)")
        Path key;

        @Option(names = "--counterparty-key", required = true, paramLabel = "FILE", description = "key file of party B")
        Path counterpartyKey;

        @Mixin
        Terms terms;

        @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL",
            description = ClientCommands.NODE_HELP)
        URI node;

        @Mixin
        WaitOptions wait;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            terms.check();
            final KeyPair a = ClientCommands.readKey(key);
            final KeyPair b = ClientCommands.readKey(counterpartyKey);
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            try (BasaltClient client = ClientCommands.connect(node)) {
                final NetworkStatus status = SubmitSupport.statusFor(client, a.publicKey());
                final SwapTx swap = terms.build(ed25519, status, a.publicKey(), b.publicKey(),
                    status.consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS);
                swap.sign(ed25519, a, Swap.Party.A);
                swap.sign(ed25519, b, Swap.Party.B);
                return SubmitSupport.submitSigned(client, spec.commandLine().getOut(), output, wait, swap.bytes(),
                    swap.txIdHex());
            }
        }
    }

    /** {@code basalt swap propose}: A signs and writes a swap file for B. */
    @Command(name = "propose", mixinStandardHelpOptions = true,
        description = "Sign a swap as party A and write it to a file for party B to accept.")
    static final class Propose implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "key file of party A (pays the fee)")
        Path key;

        @Option(names = "--counterparty", required = true, paramLabel = "ADDR", description = "address of party B (64 hex digits)")
        String counterparty;

        @Mixin
        Terms terms;

        @Option(names = "--expires-in", defaultValue = "50s", paramLabel = "DURATION", converter = WaitOptions.DurationConverter.class,
            description = "time B has to accept, at most 58s: the network refuses expiries over 60 s ahead (default: ${DEFAULT-VALUE})")
        Duration expiresIn;

        @Option(names = "--out", defaultValue = "swap.json", paramLabel = "FILE", description = "swap file to write (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--force", description = "replace an existing file")
        boolean force;

        @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL",
            description = ClientCommands.NODE_HELP)
        URI node;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            terms.check();
            if (expiresIn.compareTo(MAX_PROPOSAL_EXPIRY) > 0) {
                throw new CliException("--expires-in is at most " + MAX_PROPOSAL_EXPIRY.toSeconds()
                    + "s: the network refuses a transaction that expires more than 60 s ahead", 2);
            }
            final byte[] partyB = ClientCommands.address(counterparty, "--counterparty");
            final KeyPair a = ClientCommands.readKey(key);
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final SwapTx swap;
            try (BasaltClient client = ClientCommands.connect(node)) {
                final NetworkStatus status = SubmitSupport.statusFor(client, a.publicKey());
                swap = terms.build(ed25519, status, a.publicKey(), partyB, status.consensusTimeMs() + expiresIn.toMillis());
            }
            swap.sign(ed25519, a, Swap.Party.A);
            swap.write(out, ed25519, force);
            final PrintWriter print = spec.commandLine().getOut();
            if (output.json()) {
                final ObjectNode json = swap.json(ed25519);
                json.put("file", out.toAbsolutePath().toString());
                OutputOptions.print(print, json);
                return 0;
            }
            print.print(swap.describe(ed25519));
            print.println("wrote " + out.toAbsolutePath() + "; party B accepts it within "
                + ClientCommands.human(expiresIn) + " with: basalt swap accept " + out + " --key B.key --wait");
            print.flush();
            return 0;
        }
    }

    /** {@code basalt swap accept FILE --key B}: B checks A's signature, signs, submits. */
    @Command(name = "accept", mixinStandardHelpOptions = true,
        description = "Sign a proposed swap file as party B and submit it; prints its id (and outcome with --wait).")
    static final class Accept implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "swap file written by basalt swap propose")
        Path file;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "key file of party B")
        Path key;

        @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL",
            description = ClientCommands.NODE_HELP)
        URI node;

        @Mixin
        WaitOptions wait;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            final SwapTx swap = SwapTx.read(file);
            final KeyPair b = ClientCommands.readKey(key);
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            if (!swap.signedBy(ed25519, Swap.Party.A)) {
                throw new CliException(file + " does not carry a valid signature of party A; ask A for a new proposal", 2);
            }
            try (BasaltClient client = ClientCommands.connect(node)) {
                final NetworkStatus status = SubmitSupport.statusFor(client, swap.partyA());
                if (status.networkId() != swap.networkId()) {
                    throw new CliException("the swap is for network " + Integer.toUnsignedString(swap.networkId())
                        + " but " + node + " serves network " + Integer.toUnsignedString(status.networkId()), 2);
                }
                if (status.consensusTimeMs() >= swap.expiryMs()) {
                    throw new CliException("the swap expired " + (status.consensusTimeMs() - swap.expiryMs())
                        + " ms ago (consensus time); ask A for a new proposal", ClientCommands.EXIT_TX_FAILED);
                }
                swap.sign(ed25519, b, Swap.Party.B);
                if (!output.json()) {
                    spec.commandLine().getOut().print(swap.describe(ed25519));
                }
                return SubmitSupport.submitSigned(client, spec.commandLine().getOut(), output, wait, swap.bytes(),
                    swap.txIdHex());
            }
        }
    }

    /** {@code basalt swap show FILE}: the terms and who has signed, decoded from the bytes. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a swap file's terms and signatures.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "swap file")
        Path file;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() {
            final SwapTx swap = SwapTx.read(file);
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.print(out, swap.json(ed25519));
            } else {
                out.print(swap.describe(ed25519));
                out.flush();
            }
            return 0;
        }
    }
}
