package io.basalt.client.cli;

import io.basalt.client.sdk.BasaltClient;
import io.basalt.crypto.KeyPair;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code basalt transfer --key FILE --to ADDR --amount N [--asset ID] [--node URL] [--wait] [--wait-timeout D] [-o json]}. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
    description = "Sign and submit a transfer to a validator of the sender's shard; prints its transaction id"
        + " (and its outcome with --wait).")
final class TransferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "key file of the sender")
    Path key;

    @Option(names = "--to", required = true, paramLabel = "ADDR", description = "recipient address (64 hex digits)")
    String to;

    @Option(names = "--amount", required = true, paramLabel = "N", description = "amount in the asset's smallest unit")
    long amount;

    @Option(names = "--asset", defaultValue = "0", paramLabel = "ID", description = "asset id (default: ${DEFAULT-VALUE}, the native asset)")
    int asset;

    @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL", description = ClientCommands.NODE_HELP)
    URI node;

    @Mixin
    WaitOptions wait;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (amount <= 0) {
            throw new CliException("--amount must be positive", 2);
        }
        final byte[] recipient = ClientCommands.address(to, "--to");
        final KeyPair sender = ClientCommands.readKey(key);
        try (BasaltClient client = ClientCommands.connect(node)) {
            return SubmitSupport.submit(client, spec.commandLine().getOut(), output, wait, sender.publicKey(),
                (builder, expiryMs) -> builder.transfer(sender, recipient, asset, amount, expiryMs));
        }
    }
}
