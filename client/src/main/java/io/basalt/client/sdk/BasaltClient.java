package io.basalt.client.sdk;

import io.aeron.Aeron;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A client of one Basalt validator.
 *
 * <pre>{@code
 * try (BasaltClient client = BasaltClient.http(URI.create("http://127.0.0.1:8080"))) {
 *     NetworkStatus status = client.status();
 *     TransactionBuilder builder = TransactionBuilder.forNetwork(Ed25519.fromSystemProperties(), status);
 *     var tx = builder.transfer(key, to, 0, 100, status.consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS);
 *     Finality finality = client.submit(tx.bytes()).get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>A validator is one voice: a client that does not trust it submits to several and waits for the
 * same answer from f+1 of them (DESIGN.md §3). Submitting the same bytes twice is safe.
 */
public interface BasaltClient extends AutoCloseable {
    /** An HTTP/JSON client; finality arrives on the WebSocket stream, with polling as the fallback. */
    static BasaltClient http(final URI baseUrl) {
        return new HttpBasaltClient(baseUrl);
    }

    /**
     * An Aeron fast-path client on {@code channel}/{@code submitStreamId}, with responses on the same
     * channel and stream {@code submitStreamId + 1} (right for IPC). Queries other than submit go to
     * {@code httpForQueries}, which may be null if they are not needed.
     */
    static BasaltClient aeron(final Aeron aeron, final String channel, final int submitStreamId, final URI httpForQueries) {
        return new AeronBasaltClient(aeron, channel, submitStreamId, channel, submitStreamId + 1, httpForQueries);
    }

    /** An Aeron client with its own response channel (UDP: {@code aeron:udp?endpoint=me:0|control=node:port}). */
    static BasaltClient aeron(final Aeron aeron, final String channel, final int submitStreamId,
                              final String responseChannel, final int responseStreamId, final URI httpForQueries) {
        return new AeronBasaltClient(aeron, channel, submitStreamId, responseChannel, responseStreamId, httpForQueries);
    }

    /**
     * Submits signed transaction bytes. The future completes with a final {@link Finality}
     * (COMMITTED, with its result, or REJECTED) or exceptionally with a {@link BasaltException} when
     * the node could not take it. The node may have refused it at once: that is REJECTED too.
     */
    CompletableFuture<Finality> submit(byte[] transaction);

    /**
     * Submits without waiting for finality: the future completes when the node has answered, with
     * ACCEPTED (admitted, or already known) or REJECTED with the reject code.
     */
    CompletableFuture<Finality> admit(byte[] transaction);

    /** Balances by asset id of an account, as the node (which serves one shard) knows them. */
    Map<Integer, Long> balances(byte[] address);

    Finality txStatus(byte[] txId);

    NetworkStatus status();

    /** Every finality event the node publishes, until the handle is closed. */
    AutoCloseable watch(Consumer<Finality> listener);

    @Override
    void close();
}
