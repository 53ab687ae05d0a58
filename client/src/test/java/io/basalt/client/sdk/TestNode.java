package io.basalt.client.sdk;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A test double of a validator behind a real {@link HttpGateway} on an ephemeral loopback port:
 * records submissions and commits them after {@link #commitDelayMs} on a thread of its own, as a
 * node would. Test code only; shared by the SDK and CLI tests.
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
    private final HttpGateway gateway;

    public TestNode() {
        gateway = new HttpGateway(this, new InetSocketAddress("127.0.0.1", 0), null, genesis());
        gateway.start();
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

    static Genesis genesis() {
        return new Genesis(NETWORK_ID, 1, FEE, 1_700_000_000_000L, List.of(new Genesis.Shard(0, List.of(
            new Genesis.Validator(0, key(100).publicKeyHex(), 1, "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0")))), List.of());
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
        if (statuses.containsKey(ByteBuffer.wrap(id))) {
            return new SubmitResult(id, RejectCode.DUPLICATE);
        }
        submitted.add(transaction);
        statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0));
        emit(new FinalityEvent(id, TxState.ACCEPTED, 0, 0, consensusTimeMs));
        if (autoCommit) {
            final int result = commitResult;
            executor.schedule(() -> commit(id, result), commitDelayMs, TimeUnit.MILLISECONDS);
        }
        return new SubmitResult(id, RejectCode.NONE);
    }

    public void commit(final byte[] id, final int result) {
        statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.COMMITTED, result, RejectCode.NONE, 3, consensusTimeMs));
        if (!silentCommits) {
            emit(new FinalityEvent(id, TxState.COMMITTED, result, 3, consensusTimeMs));
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
        return new NodeStatus(NETWORK_ID, 0, 1, 0, 4, 3, 3, 9, "cd".repeat(32), consensusTimeMs, true);
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
