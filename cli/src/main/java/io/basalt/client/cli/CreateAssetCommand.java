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

/** {@code basalt create-asset --key FILE --asset-id ID --supply N [--decimals D] [--node URL] [--wait] [--wait-timeout D] [-o json]}. */
@Command(name = "create-asset", mixinStandardHelpOptions = true,
    description = "Create an asset with a fixed supply minted to the key's account.")
final class CreateAssetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "key file of the issuer")
    Path key;

    @Option(names = "--asset-id", required = true, paramLabel = "ID", description = "new asset id (not 0)")
    int assetId;

    @Option(names = "--supply", required = true, paramLabel = "N", description = "total supply, in the smallest unit")
    long supply;

    @Option(names = "--decimals", defaultValue = "0", paramLabel = "D", description = "display decimals, 0-255 (default: ${DEFAULT-VALUE})")
    int decimals;

    @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL", description = ClientCommands.NODE_HELP)
    URI node;

    @Mixin
    WaitOptions wait;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (assetId == 0) {
            throw new CliException("--asset-id 0 is the native asset; choose another id", 2);
        }
        if (supply <= 0) {
            throw new CliException("--supply must be positive", 2);
        }
        if (decimals < 0 || decimals > 255) {
            throw new CliException("--decimals must be from 0 to 255", 2);
        }
        final KeyPair issuer = ClientCommands.readKey(key);
        try (BasaltClient client = ClientCommands.connect(node)) {
            return SubmitSupport.submit(client, spec.commandLine().getOut(), output, wait, issuer.publicKey(),
                (builder, expiryMs) -> builder.createAsset(issuer, assetId, supply, decimals, expiryMs));
        }
    }
}
