package io.basalt.perf.load;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.HttpLimits;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import io.basalt.node.runtime.ValidatorNode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cluster side of {@code scripts/load --client aeron|http}: run in a child JVM by {@link
 * ChildCluster}, it starts 1 shard × n validators the way {@code basalt local} does (LocalCluster
 * with HTTP gateways and Aeron client endpoints), funds the generator's senders (the same seeded
 * keys the generator derives) and tells its parent, on standard output, where everything is:
 * <pre>
 *   ENDPOINT shard index http-host:port client-host:port     one line per validator
 *   READY networkId fee                                       then the parent starts its steps
 * </pre>
 * It runs until its standard input closes (the parent exited, normally or not) and then stops the
 * cluster. Ports are free ones found at start, not basalt local's 8080/9000, so a cluster that
 * someone else runs on this machine is not in the way.
 *
 * <p>Arguments: {@code DIR VALIDATORS ACCOUNTS SEED}.
 */
public final class ClusterMain {
    static final String ENDPOINT = "ENDPOINT";
    static final String READY = "READY";

    private ClusterMain() {
    }

    /** The default limits, with one address allowed the whole load generator's traffic. */
    static final HttpLimits LOAD_GENERATOR_LIMITS = new HttpLimits(HttpLimits.DEFAULT.idleTimeoutMs(),
        HttpLimits.DEFAULT.bodyReadTimeoutMs(), 8_192, 4_096, 1_000_000, HttpLimits.DEFAULT.maxStreams(), true,
        HttpLimits.DEFAULT.faucetRequestsPerMinutePerClient(), HttpLimits.NO_LIVENESS_PORT);

    public static void main(final String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ClusterMain DIR VALIDATORS ACCOUNTS SEED");
            System.exit(2);
        }
        final Path dir = Path.of(args[0]);
        final int validators = Integer.parseInt(args[1]);
        final int accounts = Integer.parseInt(args[2]);
        final long seed = Long.parseLong(args[3]);
        ClusterFiles.generate(dir, 1, validators, List.of("127.0.0.1"), ClusterFiles.DEFAULT_FEE,
            LoadGenerator.CLUSTER_IDLE_STRATEGY, LocalCluster.MIN_ROUND_INTERVAL_MS);
        final Genesis genesis = withFreePorts(Genesis.read(ClusterFiles.genesisFile(dir)));
        genesis.write(ClusterFiles.genesisFile(dir));
        // The load comes from one address (127.0.0.1): lift the per-client limits that would
        // otherwise cap it at 1,000 requests/s and 32 connections per validator.
        for (int v = 0; v < validators; v++) {
            final Path file = ClusterFiles.validatorDir(dir, 0, v).resolve("node.json");
            NodeConfig.read(file).withHttp(LOAD_GENERATOR_LIMITS).write(file);
        }
        final LocalCluster cluster = LocalCluster.start(1, validators, dir, false, true);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-main-shutdown"));
        try {
            final List<ValidatorNode> nodes = cluster.nodes();
            LoadGenerator.awaitReady(nodes);
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final KeyPair[] senders = LoadGenerator.senderKeys(ed25519, accounts, seed);
            Funding.fund(ed25519, KeyFiles.read(ClusterFiles.faucetKey(dir, 0)), senders, LoadGenerator.SENDER_FUNDS,
                nodes, genesis.networkId(), genesis.fee());
            for (final Genesis.Validator v : genesis.shards().getFirst().validators()) {
                System.out.println(ENDPOINT + " 0 " + v.index() + " " + v.httpEndpoint() + " " + v.clientEndpoint());
            }
            System.out.println(READY + " " + genesis.networkId() + " " + genesis.fee());
            System.out.flush();
            // Until the parent goes away: its end of our stdin closes then, whatever way it ended.
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        } catch (final Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The genesis with every validator's HTTP port and Aeron client port pair (port, port + 1) free now. */
    static Genesis withFreePorts(final Genesis genesis) throws IOException {
        final Set<Integer> taken = new HashSet<>();
        final List<Genesis.Shard> shards = new ArrayList<>();
        for (final Genesis.Shard shard : genesis.shards()) {
            final List<Genesis.Validator> committee = new ArrayList<>();
            for (final Genesis.Validator v : shard.validators()) {
                final int http = freeTcpPort(taken);
                final int client = freeUdpPair(taken);
                committee.add(new Genesis.Validator(v.index(), v.publicKey(), v.stake(), v.consensusEndpoint(),
                    "127.0.0.1:" + http, "127.0.0.1:" + client));
            }
            shards.add(new Genesis.Shard(shard.shardId(), committee));
        }
        return new Genesis(genesis.networkId(), genesis.shardCount(), genesis.fee(), genesis.genesisTimeMs(), shards,
            genesis.allocations());
    }

    private static int freeTcpPort(final Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (taken.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("no free TCP port");
    }

    /** A UDP port p with p + 1 free too (the client endpoint answers on the next port). */
    private static int freeUdpPair(final Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramSocket first = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                final int port = first.getLocalPort();
                if (port >= 65535 || taken.contains(port) || taken.contains(port + 1)) {
                    continue;
                }
                try (DatagramSocket second = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
                    taken.add(port);
                    taken.add(port + 1);
                    return port;
                } catch (final java.net.BindException e) {
                    // port + 1 is in use: try another
                }
            }
        }
        throw new IOException("no free pair of UDP ports");
    }
}
