package io.basalt.node.runtime;

import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.gateway.HttpGateway;
import io.basalt.node.net.AeronMedia;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * S shards × n validators in one JVM ({@code basalt local}: 2 × 4 unless told otherwise): one
 * embedded media driver, consensus over IPC, one HTTP gateway per validator on consecutive ports
 * from 127.0.0.1:8080, one Aeron client endpoint per validator from 127.0.0.1:9000, and a funded
 * faucet per shard whose account lives on that shard, so that each shard's faucet can pay fees there.
 *
 * <p>The first run generates keys, genesis and node configs under the data folder
 * ({@link ClusterFiles} layout); later runs reuse them, so balances and blocks survive restarts.
 * {@code reset} wipes the folder first. The folder defaults to {@code ~/.basalt/local}: one
 * place whatever directory the command runs from.
 */
public final class LocalCluster implements AutoCloseable {
    /**
     * Least time between a validator's proposals while there is work; when idle, rounds slow to
     * {@link NodeConfig#DEFAULT_IDLE_ROUND_INTERVAL_MS}, so four validators on two cores cost little.
     */
    public static final long MIN_ROUND_INTERVAL_MS = NodeConfig.DEFAULT_MIN_ROUND_INTERVAL_MS;
    /** Shape of a new cluster when none is asked for: two shards, so that routing is exercised locally. */
    public static final int DEFAULT_SHARDS = 2;
    public static final int DEFAULT_VALIDATORS = 4;

    /** One validator's addresses, as printed. */
    public record Endpoint(int shardId, int index, String http, String consensus, String client, Path dataDir) {
    }

    private final Path dir;
    private final AeronMedia media;
    private final List<ValidatorNode> nodes = new ArrayList<>();
    private final List<HttpGateway> gateways = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();

    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".basalt", "local");
    }

    /**
     * Starts the cluster; {@code httpGateways} false leaves HTTP off (tests). Throws when the folder
     * holds a cluster of another shape (reset it) or something that is not a Basalt cluster.
     */
    public static LocalCluster start(final int shards, final int validators, final Path dir, final boolean reset,
                                     final boolean httpGateways) throws IOException {
        if (reset) {
            wipe(dir);
        }
        ClusterFiles.Layout layout = ClusterFiles.read(dir);
        if (layout == null) {
            layout = ClusterFiles.generate(dir, shards, validators, List.of("127.0.0.1"), ClusterFiles.DEFAULT_FEE,
                "backoff", MIN_ROUND_INTERVAL_MS);
        } else if (layout.genesis().shardCount() != shards
            || layout.genesis().shards().getFirst().validators().size() != validators) {
            throw new IOException(dir + " holds a cluster of " + layout.genesis().shardCount() + " shard(s) × "
                + layout.genesis().shards().getFirst().validators().size() + " validators; pass --reset to replace it");
        }
        checkFaucets(layout);
        return new LocalCluster(layout, httpGateways);
    }

    /**
     * Every shard's faucet must live on that shard: admission refuses a sender of another shard, so
     * a misplaced faucet (a hand-edited folder) would refuse every request. Checked before anything
     * starts, so the error is the first and only thing printed.
     */
    static void checkFaucets(final ClusterFiles.Layout layout) throws IOException {
        final int shards = layout.genesis().shardCount();
        for (int s = 0; s < shards; s++) {
            final Path file = layout.faucetKeys().get(s);
            final int home = Shards.shardOf(KeyFiles.read(file).publicKey(), shards);
            if (home != s) {
                throw new IOException("faucet key " + file + " is for shard " + s + " but its account lives on shard " + home
                    + "; pass --reset for new keys");
            }
        }
    }

    private LocalCluster(final ClusterFiles.Layout layout, final boolean httpGateways) throws IOException {
        this.dir = layout.dir();
        this.media = AeronMedia.embedded(dir.resolve("aeron"), false);
        try {
            final Genesis genesis = layout.genesis();
            for (int s = 0; s < genesis.shardCount(); s++) {
                final KeyPair faucet = KeyFiles.read(layout.faucetKeys().get(s));
                for (int v = 0; v < genesis.shards().get(s).validators().size(); v++) {
                    startValidator(layout, genesis, s, v, faucet, httpGateways);
                }
            }
        } catch (final IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startValidator(final ClusterFiles.Layout layout, final Genesis genesis, final int shardId,
                                final int index, final KeyPair faucet, final boolean http) throws IOException {
        final NodeConfig config = NodeConfig.read(layout.nodeConfig(shardId, index));
        // Without gateways (tests), no Aeron client gateway either: nothing binds the genesis ports.
        final NodeResources resources = http ? NodeResources.inProcess(media) : NodeResources.inProcess(media).withoutClientGateway();
        final ValidatorNode node = ValidatorNode.start(config, genesis, KeyFiles.read(config.keyFile()), resources);
        nodes.add(node);
        final Genesis.Validator validator = genesis.validator(shardId, index);
        String httpEndpoint = "off";
        String clientEndpoint = "off";
        if (http) {
            clientEndpoint = validator.clientEndpoint();
            final HttpGateway gateway = new HttpGateway(node, address(config.bindEndpoint(validator.httpEndpoint())), faucet,
                genesis, config.http());
            gateways.add(gateway);
            gateway.start();
            httpEndpoint = "http://" + validator.httpEndpoint();
        }
        endpoints.add(new Endpoint(shardId, index, httpEndpoint, node.consensusChannel(), clientEndpoint, config.dataDir()));
    }

    static InetSocketAddress address(final String hostPort) {
        final int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public List<ValidatorNode> nodes() {
        return List.copyOf(nodes);
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public Path dir() {
        return dir;
    }

    /**
     * The lines {@code basalt local} prints: every validator's HTTP and Aeron client endpoints by
     * shard, then each shard's faucet key file and account.
     */
    public String describe() {
        final StringBuilder out = new StringBuilder();
        final int shards = nodes.isEmpty() ? 0 : nodes.getFirst().genesis().shardCount();
        out.append("basalt local: ").append(shards).append(" shard(s) x ")
            .append(endpoints.size() / Math.max(1, shards)).append(" validators, network ")
            .append(nodes.isEmpty() ? "-" : nodes.getFirst().genesis().networkId()).append('\n');
        out.append("data folder  ").append(dir.toAbsolutePath()).append('\n');
        out.append("media driver ").append(media.directory()).append(" (embedded, consensus over IPC)\n");
        for (final Endpoint e : endpoints) {
            out.append(String.format("shard %d validator %d  http %-24s consensus %-32s client-aeron %s%n",
                e.shardId(), e.index(), e.http(), e.consensus(), e.client()));
        }
        out.append("any http endpoint above is a seed: GET /v1/network maps every shard, and the CLI and SDK route by it\n");
        for (int s = 0; s < shards; s++) {
            final Path key = ClusterFiles.faucetKey(dir, s);
            out.append("faucet shard ").append(s).append("  ").append(key.toAbsolutePath())
                .append("  account ").append(faucetAccount(key)).append('\n');
        }
        return out.toString();
    }

    private static String faucetAccount(final Path key) {
        try {
            return KeyFiles.read(key).publicKeyHex();
        } catch (final IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Gateways first (no new requests), then validators, then the media driver. */
    @Override
    public void close() {
        gateways.forEach(HttpGateway::close);
        nodes.forEach(ValidatorNode::close);
        media.close();
    }

    /** Deletes a cluster folder; refuses one that does not look like a cluster (no genesis.json). */
    static void wipe(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.exists(ClusterFiles.genesisFile(dir))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("refusing to reset " + dir + ": it holds no genesis.json, so it is not a cluster folder");
                }
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (final UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
