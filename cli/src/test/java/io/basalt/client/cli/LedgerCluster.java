package io.basalt.client.cli;

import io.basalt.crypto.KeyFiles;
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
 * A real ledger for the CLI tests: {@link LocalCluster} with {@code shards} × 1 validator (consensus,
 * execution and cross-shard streams all real, over IPC), whose HTTP gateways, each with its shard's
 * faucet, listen on free loopback ports instead of the fixed 8080+ a developer's {@code basalt
 * local} may hold. The gateways serve a copy of the genesis that lists those ports, so that the
 * routing client finds every shard.
 */
final class LedgerCluster implements AutoCloseable {
    private static final int PORT_ATTEMPTS = 5;

    private final LocalCluster cluster;
    private final List<HttpGateway> gateways = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();

    LedgerCluster(final int shards, final Path dir) throws IOException {
        cluster = LocalCluster.start(shards, 1, dir, true, false);
        try {
            startGateways(ClusterFiles.read(dir));
        } catch (final RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    private void startGateways(final ClusterFiles.Layout layout) throws IOException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            final int[] ports = new int[layout.genesis().shardCount()];
            for (int s = 0; s < ports.length; s++) {
                ports[s] = freePort();
            }
            final Genesis genesis = withHttpPorts(layout.genesis(), ports);
            try {
                for (int s = 0; s < ports.length; s++) {
                    final ValidatorNode node = cluster.nodes().get(s);
                    final HttpGateway gateway = new HttpGateway(node, new InetSocketAddress("127.0.0.1", ports[s]),
                        KeyFiles.read(layout.faucetKeys().get(s)), genesis);
                    gateways.add(gateway);
                    gateway.start();
                    urls.add(URI.create("http://127.0.0.1:" + ports[s]));
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

    private static Genesis withHttpPorts(final Genesis genesis, final int[] ports) {
        final List<Genesis.Shard> shards = new ArrayList<>();
        for (final Genesis.Shard shard : genesis.shards()) {
            final List<Genesis.Validator> validators = new ArrayList<>();
            for (final Genesis.Validator v : shard.validators()) {
                validators.add(new Genesis.Validator(v.index(), v.publicKey(), v.stake(), v.consensusEndpoint(),
                    "127.0.0.1:" + ports[shard.shardId()], v.clientEndpoint()));
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

    /** The HTTP URL of shard {@code shard}'s validator. */
    URI url(final int shard) {
        return urls.get(shard);
    }

    @Override
    public void close() {
        gateways.forEach(HttpGateway::close);
        cluster.close();
    }
}
