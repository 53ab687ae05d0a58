package io.basalt.client.sdk;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.FinalityListener;
import io.basalt.node.api.NodeApi;
import io.basalt.node.api.NodeStatus;
import io.basalt.protocol.RejectCode;
import io.basalt.node.api.SubmitResult;
import io.basalt.protocol.TxState;
import io.basalt.node.api.TxStatus;
import io.basalt.node.config.Genesis;
import io.basalt.node.gateway.HttpGateway;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.TransactionSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A test double of a validator behind a real {@link HttpGateway} on a free loopback port: records
 * submissions and commits them after {@link #commitDelayMs} on a thread of its own, as a node
 * would. Like admission, it refuses with WRONG_SHARD a transaction whose sender lives on another
 * shard. {@link #network} starts one per shard of a multi-shard genesis that lists their real
 * ports, so that routing can be tested. Test code only; shared by the SDK and CLI tests.
 */
public final class TestNode implements NodeApi, AutoCloseable {
    public static final int NETWORK_ID = 7;
    public static final long FEE = 10;
    public static final Ed25519 ED25519 = Ed25519.fromSystemProperties();

    public final List<byte[]> submitted = new CopyOnWriteArrayList<>();
    public final Map<ByteBuffer, TxStatus> statuses = new ConcurrentHashMap<>();
    public final Map<ByteBuffer, Map<Integer, Long>> balances = new ConcurrentHashMap<>();
    private final List<FinalityListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    public volatile RejectCode nextReject;
    /** Commit without telling subscribers: only polling can learn the outcome. */
    public volatile boolean silentCommits;
    public volatile boolean autoCommit = true;
    public volatile int commitResult;
    public volatile long commitDelayMs = 20;
    public volatile long consensusTimeMs = 1_700_000_000_000L;
    /** Attempts at finding free ports: another process may take one between the probe and the bind. */
    private static final int PORT_ATTEMPTS = 5;

    public final Genesis genesis;
    public final int shardId;
    private final HttpGateway gateway;

    /**
     * The one validator of a one-shard network, on an ephemeral port that its genesis does not know
     * (it lists port 0): a routing client finds such a seed by asking its status.
     */
    public TestNode() {
        this(genesis(new int[] {0}, new int[] {0}), 0, 0);
    }

    private TestNode(final Genesis genesis, final int shardId, final int httpPort) {
        this.genesis = genesis;
        this.shardId = shardId;
        gateway = new HttpGateway(this, new InetSocketAddress("127.0.0.1", httpPort), null, genesis);
        gateway.start();
    }

    /**
     * One validator per shard of a {@code shards}-shard network; validator s serves shard s and the
     * genesis lists its HTTP port and a free UDP client endpoint (port and port + 1) for an Aeron
     * gateway a test may start. Close every node.
     */
    public static List<TestNode> network(final int shards) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            final int[] http = new int[shards];
            final int[] client = new int[shards];
            for (int s = 0; s < shards; s++) {
                http[s] = freeTcpPort();
                client[s] = freeUdpPortPair();
            }
            final Genesis genesis = genesis(http, client);
            final List<TestNode> nodes = new ArrayList<>();
            try {
                for (int s = 0; s < shards; s++) {
                    nodes.add(new TestNode(genesis, s, http[s]));
                }
                return nodes;
            } catch (final IllegalStateException e) {
                nodes.forEach(TestNode::close);
                last = e;
            }
        }
        throw last;
    }

    /**
     * The {@code size} validators of a one-shard network, each a node of its own (they share no ledger: a test
     * commits on the one it means), on the HTTP ports the genesis lists. Close every node.
     */
    public static List<TestNode> committee(final int size) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            final int[] http = new int[size];
            final List<Genesis.Validator> validators = new ArrayList<>();
            for (int v = 0; v < size; v++) {
                http[v] = freeTcpPort();
                validators.add(new Genesis.Validator(v, key(100 + v).publicKeyHex(), 1, "127.0.0.1:0",
                    "127.0.0.1:" + http[v], "127.0.0.1:" + freeUdpPortPair()));
            }
            final Genesis genesis = new Genesis(NETWORK_ID, 1, FEE, 1_700_000_000_000L,
                List.of(new Genesis.Shard(0, validators)), List.of());
            final List<TestNode> nodes = new ArrayList<>();
            try {
                for (int v = 0; v < size; v++) {
                    nodes.add(new TestNode(genesis, 0, http[v]));
                }
                return nodes;
            } catch (final IllegalStateException e) {
                nodes.forEach(TestNode::close);
                last = e;
            }
        }
        throw last;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + gateway.port());
    }

    public static KeyPair key(final int seed) {
        final byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        bytes[31] = 2;
        return ED25519.keyPairFromSeed(bytes);
    }

    /** The first test key (by seed, from {@code from}) whose account lives on {@code shard} of {@code shards}. */
    public static KeyPair keyOnShard(final int shard, final int shards, final int from) {
        for (int seed = from; seed < from + 1_000; seed++) {
            final KeyPair key = key(seed);
            if (Shards.shardOf(key.publicKey(), shards) == shard) {
                return key;
            }
        }
        throw new IllegalStateException("no test key on shard " + shard);
    }

    /** The client endpoint the genesis lists for this node ({@code 127.0.0.1:port}; responses on port + 1). */
    public String clientEndpoint() {
        return genesis.validator(shardId, 0).clientEndpoint();
    }

    private static Genesis genesis(final int[] httpPorts, final int[] clientPorts) {
        final List<Genesis.Shard> shards = new ArrayList<>();
        for (int s = 0; s < httpPorts.length; s++) {
            shards.add(new Genesis.Shard(s, List.of(new Genesis.Validator(0, key(100 + s).publicKeyHex(), 1, "127.0.0.1:0",
                "127.0.0.1:" + httpPorts[s], "127.0.0.1:" + clientPorts[s]))));
        }
        return new Genesis(NETWORK_ID, httpPorts.length, FEE, 1_700_000_000_000L, shards, List.of());
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A UDP port whose successor is free too: the Aeron gateway's response channel takes it. */
    private static int freeUdpPortPair() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramSocket first = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                final int port = first.getLocalPort();
                if (port < 65_535) {
                    try (DatagramSocket second = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
                        return port;
                    } catch (final IOException taken) {
                        // Try another pair.
                    }
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free pair of UDP ports");
    }

    @Override
    public SubmitResult submit(final byte[] transaction) {
        if (!MessageValidator.validateUserTransaction(new UnsafeBuffer(transaction), 0, transaction.length).isOk()) {
            return new SubmitResult(null, RejectCode.MALFORMED);
        }
        final byte[] id = TransactionBuilder.txId(transaction);
        if (nextReject != null) {
            return new SubmitResult(id, nextReject);
        }
        if (Shards.shardOf(TransactionSender.of(transaction), genesis.shardCount()) != shardId) {
            return new SubmitResult(id, RejectCode.WRONG_SHARD);
        }
        if (statuses.containsKey(ByteBuffer.wrap(id))) {
            return new SubmitResult(id, RejectCode.DUPLICATE);
        }
        submitted.add(transaction);
        statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0));
        emit(new FinalityEvent(id, TxState.ACCEPTED, 0, 0, consensusTimeMs));
        if (autoCommit) {
            final int result = commitResult;
            // Like a validator: a successful transaction that crosses shards is SETTLED after it commits.
            final boolean crossShard = CrossShard.isCrossShard(transaction, genesis.shardCount());
            executor.schedule(() -> {
                commit(id, result);
                if (crossShard && result == 0) {
                    settle(id);
                }
            }, commitDelayMs, TimeUnit.MILLISECONDS);
        }
        return new SubmitResult(id, RejectCode.NONE);
    }

    public void commit(final byte[] id, final int result) {
        statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.COMMITTED, result, RejectCode.NONE, 3, consensusTimeMs));
        if (!silentCommits) {
            emit(new FinalityEvent(id, TxState.COMMITTED, result, 3, consensusTimeMs));
        }
    }

    public void settle(final byte[] id) {
        statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.SETTLED, 0, RejectCode.NONE, 3, consensusTimeMs));
        if (!silentCommits) {
            emit(new FinalityEvent(id, TxState.SETTLED, 0, 3, consensusTimeMs));
        }
    }

    public void emit(final FinalityEvent event) {
        listeners.forEach(listener -> listener.onFinality(event));
    }

    public int subscribers() {
        return listeners.size();
    }

    @Override
    public TxStatus txStatus(final byte[] txId) {
        return statuses.getOrDefault(ByteBuffer.wrap(txId), TxStatus.UNKNOWN);
    }

    @Override
    public Map<Integer, Long> balances(final byte[] account) {
        return balances.getOrDefault(ByteBuffer.wrap(account), Map.of());
    }

    @Override
    public NodeStatus status() {
        return new NodeStatus(NETWORK_ID, shardId, genesis.shardCount(), 0, 4, 3, 3, 9, "cd".repeat(32), consensusTimeMs, true);
    }

    @Override
    public AutoCloseable subscribe(final FinalityListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public String metricsText() {
        return "";
    }

    @Override
    public void close() {
        gateway.close();
        executor.shutdownNow();
    }
}
