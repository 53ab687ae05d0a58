package io.basalt.client.sdk;

import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.config.Genesis;
import io.basalt.node.gateway.HttpGateway;
import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import io.basalt.node.runtime.ValidatorNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ledger for the SDK and CLI tests: {@link LocalCluster} with {@code shards} × {@code validators}
 * (consensus, execution and cross-shard streams all real, over IPC), whose HTTP gateways, each with its
 * shard's faucet, listen on free loopback ports instead of the fixed 8080+ a developer's {@code basalt
 * local} may hold. The gateways serve a copy of the genesis that lists those ports, so that the
 * routing and quorum clients find every validator.
 */
public final class LedgerCluster implements AutoCloseable {
    private static final int PORT_ATTEMPTS = 5;

    private final LocalCluster cluster;
    private final List<HttpGateway> gateways = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();
    private final int validators;
    private final List<KeyPair> faucets = new ArrayList<>();

    /** One validator per shard. */
    public LedgerCluster(final int shards, final Path dir) throws IOException {
        this(shards, 1, dir);
    }

    public LedgerCluster(final int shards, final int validators, final Path dir) throws IOException {
        this.validators = validators;
        cluster = LocalCluster.start(shards, validators, dir, true, false);
        try {
            final ClusterFiles.Layout layout = ClusterFiles.read(dir);
            for (final Path faucet : layout.faucetKeys()) {
                faucets.add(KeyFiles.read(faucet));
            }
            startGateways(layout);
        } catch (final RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    private void startGateways(final ClusterFiles.Layout layout) throws IOException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            // By node: LocalCluster starts shard 0's validators first, then shard 1's, ...
            final int[] ports = new int[cluster.nodes().size()];
            for (int n = 0; n < ports.length; n++) {
                ports[n] = freePort();
            }
            final Genesis genesis = withHttpPorts(layout.genesis(), ports, validators);
            try {
                for (int n = 0; n < ports.length; n++) {
                    final ValidatorNode node = cluster.nodes().get(n);
                    final HttpGateway gateway = new HttpGateway(node, new InetSocketAddress("127.0.0.1", ports[n]),
                        faucets.get(n / validators), genesis);
                    gateways.add(gateway);
                    gateway.start();
                    urls.add(URI.create("http://127.0.0.1:" + ports[n]));
                }
                return;
            } catch (final RuntimeException e) {
                // Another process took a port between the probe and the bind: try new ones.
                gateways.forEach(HttpGateway::close);
                gateways.clear();
                urls.clear();
                last = e;
            }
        }
        throw last;
    }

    private static Genesis withHttpPorts(final Genesis genesis, final int[] ports, final int perShard) {
        final List<Genesis.Shard> shards = new ArrayList<>();
        for (final Genesis.Shard shard : genesis.shards()) {
            final List<Genesis.Validator> validators = new ArrayList<>();
            for (final Genesis.Validator v : shard.validators()) {
                validators.add(new Genesis.Validator(v.index(), v.publicKey(), v.stake(), v.consensusEndpoint(),
                    "127.0.0.1:" + ports[shard.shardId() * perShard + v.index()], v.clientEndpoint()));
            }
            shards.add(new Genesis.Shard(shard.shardId(), validators));
        }
        return new Genesis(genesis.networkId(), genesis.shardCount(), genesis.fee(), genesis.genesisTimeMs(), shards,
            genesis.allocations());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP URL of shard {@code shard}'s first validator. */
    public URI url(final int shard) {
        return url(shard, 0);
    }

    public URI url(final int shard, final int validator) {
        return urls.get(shard * validators + validator);
    }

    /** The key of shard {@code shard}'s faucet account, which the genesis funds. */
    public KeyPair faucet(final int shard) {
        return faucets.get(shard);
    }

    /** The validator {@code validator} of shard {@code shard}, e.g. to stop it. */
    public ValidatorNode node(final int shard, final int validator) {
        return cluster.nodes().get(shard * validators + validator);
    }

    @Override
    public void close() {
        gateways.forEach(HttpGateway::close);
        cluster.close();
    }
}
