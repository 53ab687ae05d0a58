package io.basalt.client.cli;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.Hex;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.runtime.ClusterFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code basalt genesis}: keys, genesis.json and one node config per validator for a network whose
 * validators run one per process or one per host. Copy each {@code shard-S/validator-V} folder plus
 * genesis.json (and the faucet keys where a gateway should fund accounts) to its host and run
 * {@code basalt node --config shard-S/validator-V/node.json} there.
 */
@Command(name = "genesis", mixinStandardHelpOptions = true,
    description = "Write genesis.json and a node config per validator: with the validators' keys (dealer mode,"
        + " for test networks) or from the public keys their operators made on their own hosts (--public-keys).")
final class GenesisCommand implements Runnable {
    @Option(names = "--shards", defaultValue = "1", description = "shards (default: ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--validators", defaultValue = "4", description = "validators per shard (default: ${DEFAULT-VALUE})")
    int validators;

    @Option(names = "--hosts", split = ",", defaultValue = "127.0.0.1",
        description = "hosts, comma-separated; validators are spread over them round-robin (default: ${DEFAULT-VALUE})")
    List<String> hosts;

    @Option(names = "--out", required = true, description = "folder to write (must not hold a genesis yet)")
    Path out;

    @Option(names = "--fee", defaultValue = "1", description = "flat fee per transaction in asset 0 (default: ${DEFAULT-VALUE})")
    long fee;

    @Option(names = "--idle", defaultValue = "backoff",
        description = "idle strategy of the validators: backoff, sleeping or busy (default: ${DEFAULT-VALUE})")
    String idle;

    @Option(names = "--min-round-interval-ms", defaultValue = "" + NodeConfig.DEFAULT_MIN_ROUND_INTERVAL_MS,
        description = "least time between a validator's proposals while there is work (default: ${DEFAULT-VALUE});"
            + " idle validators propose every " + NodeConfig.DEFAULT_IDLE_ROUND_INTERVAL_MS + " ms")
    long minRoundIntervalMs;

    @Option(names = "--public-keys", paramLabel = "FILE",
        description = "assemble the network from keys made on each validator's own host (basalt keys new): one line"
            + " per validator, shard by shard, 'PUBLIC_KEY HOST' (# comments and blank lines skipped); no validator"
            + " key is written here and the hosts come from the file")
    Path publicKeys;

    @Override
    public void run() {
        if (shards < 1 || validators < 1 || fee < 0 || minRoundIntervalMs < 0) {
            throw new CliException("--shards and --validators must be at least 1, --fee and --min-round-interval-ms not negative", 2);
        }
        final ClusterFiles.Layout layout;
        try {
            layout = publicKeys == null
                ? ClusterFiles.generate(out, shards, validators, hosts, fee, idle, minRoundIntervalMs)
                : ClusterFiles.generateSeats(out, shards, validators, seats(publicKeys, shards * validators), fee, idle,
                    minRoundIntervalMs);
        } catch (final IOException | IllegalArgumentException e) {
            throw new CliException("cannot write the network: " + e.getMessage(), 4);
        }
        System.out.println("network " + layout.genesis().networkId() + ": " + shards + " shard(s) x " + validators
            + " validators");
        System.out.println("genesis " + layout.genesisFile().toAbsolutePath());
        for (int s = 0; s < shards; s++) {
            for (int v = 0; v < validators; v++) {
                final var validator = layout.genesis().validator(s, v);
                System.out.printf("shard %d validator %d  consensus %s  http %s  client %s  config %s%n", s, v,
                    validator.consensusEndpoint(), validator.httpEndpoint(), validator.clientEndpoint(),
                    layout.nodeConfig(s, v).toAbsolutePath());
            }
            System.out.println("faucet shard " + s + "  " + layout.faucetKeys().get(s).toAbsolutePath());
        }
        if (publicKeys != null) {
            System.out.println("no validator keys written: put each validator's own key file at validator.key"
                + " beside its node.json");
        }
    }

    /** The seats of a --public-keys file; errors name the file and the line. */
    static List<ClusterFiles.Seat> seats(final Path file, final int expected) throws IOException {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final NoSuchFileException e) {
            throw new IOException("public keys file not found: " + file, e);
        }
        final List<ClusterFiles.Seat> seats = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String[] fields = line.split("\\s+");
            final byte[] key;
            try {
                if (fields.length != 2 || fields[1].isEmpty()) {
                    throw new IllegalArgumentException("two fields");
                }
                key = Hex.decode(fields[0], Ed25519.PUBLIC_KEY_BYTES, "public key");
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                    + ": expected 'PUBLIC_KEY HOST' with a key of 64 hex digits (0-9, a-f)", e);
            }
            seats.add(new ClusterFiles.Seat(Hex.encode(key), fields[1]));
        }
        if (seats.size() != expected) {
            throw new IllegalArgumentException(file + " lists " + seats.size() + " validators; --shards x --validators is "
                + expected);
        }
        return seats;
    }

}
