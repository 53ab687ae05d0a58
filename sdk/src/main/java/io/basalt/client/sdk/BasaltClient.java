package io.basalt.client.sdk;

import io.aeron.Aeron;
import java.net.URI;
import java.util.Map;
import io.basalt.protocol.TxState;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A client of a Basalt network: of one validator ({@link #http}, {@link #aeron}), or of every shard,
 * routed from the shard map a seed validator serves ({@link #routing}, {@link #aeronRouting}).
 *
 * <pre>{@code
 * try (BasaltClient client = BasaltClient.routing(URI.create("http://127.0.0.1:8080"))) {
 *     NetworkStatus status = client.status(client.network().shardOf(key.publicKey()));
 *     TransactionBuilder builder = TransactionBuilder.forNetwork(Ed25519.fromSystemProperties(), status);
 *     var tx = builder.transfer(key, to, 0, 100, status.consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS);
 *     Finality finality = client.submit(tx.bytes()).get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>A validator is one voice: a client that does not trust it submits to several and waits for the
 * same answer from f+1 of them (docs/protocol.md §6), which {@link QuorumBasaltClient} does. Submitting the same
 * bytes twice is safe.
 */
public interface BasaltClient extends AutoCloseable {
    /**
     * An HTTP/JSON client of one validator; finality arrives on the WebSocket stream, with polling as
     * the fallback. It sends everything to that validator, whatever shard it serves.
     */
    static BasaltClient http(final URI baseUrl) {
        return new HttpBasaltClient(baseUrl);
    }

    /**
     * An HTTP/JSON client of the whole network, from one seed validator: it learns the shard map
     * from the seed ({@code GET /v1/network}) at once, then sends each transaction to a validator of
     * its sender's shard (a swap: partyA's) and each balance query to a validator of the account's
     * shard. The seed serves its own shard; another shard is served by one of its validators,
     * picked at random so that clients spread over them.
     *
     * @throws BasaltException UNREACHABLE when the seed cannot be reached, or the seed's error code
     *                         (e.g. NOT_FOUND from a node without the route) when it serves no map
     */
    static BasaltClient routing(final URI seed) {
        return routing(seed, ResubmitPolicy.DEFAULT);
    }

    /**
     * {@link #routing(URI)} with its own policy for sending a submission that gets no outcome to the shard's other
     * validators ({@link ResubmitPolicy#NEVER} for one validator per submission).
     */
    static BasaltClient routing(final URI seed, final ResubmitPolicy resubmit) {
        return RoutingBasaltClient.http(seed, resubmit);
    }

    /**
     * An Aeron fast-path client of the whole network: the map comes from {@code seed} as with
     * {@link #routing}; each transaction goes over Aeron UDP to the client endpoint of a validator of
     * its sender's shard, and queries go over HTTP to the same validator. {@code responseHost} is
     * this machine's address as the validators reach it (e.g. {@code 127.0.0.1} on one host).
     *
     * @throws BasaltException as {@link #routing} does
     */
    static BasaltClient aeronRouting(final Aeron aeron, final URI seed, final String responseHost) {
        return aeronRouting(aeron, seed, responseHost, ResubmitPolicy.DEFAULT);
    }

    /** {@link #aeronRouting(Aeron, URI, String)} with its own {@link ResubmitPolicy}. */
    static BasaltClient aeronRouting(final Aeron aeron, final URI seed, final String responseHost,
                                     final ResubmitPolicy resubmit) {
        return RoutingBasaltClient.aeron(aeron, seed, responseHost, resubmit);
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
     * the node could not take it. The node may have refused it at once: that is REJECTED too, and
     * the only way to REJECTED. A DUPLICATE answer (the id is already known) is not a refusal: the
     * future then waits for the genuine transaction's COMMITTED on the stream or in status.
     *
     * <p>A routing client does not stop at the validator it chose: when that one fails to answer, or goes
     * silent after accepting, it sends the same bytes to the shard's other validators ({@link ResubmitPolicy}), so
     * a transaction accepted by a validator that then died still gets its outcome. The future then completes with
     * the first outcome any of them reports, REJECTED EXPIRED when a validator confirms that the expiry passed
     * without a commit, or exceptionally with NO_OUTCOME when none could tell (never with a success that did not
     * happen). A one-validator client has nobody to resubmit to: it waits on its validator.
     */
    CompletableFuture<Finality> submit(byte[] transaction);

    /**
     * Submits and waits until the transaction is settled everywhere it goes: for a transfer to an
     * account of another shard, or a swap whose parties live on different shards, until a validator
     * reports SETTLED (the destination applied it; for a swap, this shard's party has its leg or
     * its refund); for a same-shard transaction, COMMITTED is already final. Completes with the
     * REJECTED or failed COMMITTED answer when it never gets that far, and exceptionally with
     * TIMEOUT after {@code timeout}.
     */
    default CompletableFuture<Finality> submitAndSettle(final byte[] transaction, final java.time.Duration timeout) {
        final int shards = network().shardCount();
        final boolean crossShard = CrossShard.isCrossShard(transaction, shards);
        final byte[] txId = CrossShard.txId(transaction);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        return submit(transaction).thenCompose(first -> {
            if (!crossShard || !first.succeeded() || first.state() == TxState.SETTLED) {
                return CompletableFuture.completedFuture(first);
            }
            return CompletableFuture.supplyAsync(() -> CrossShard.pollSettled(this, txId, deadlineNs));
        });
    }

    /**
     * Submits without waiting for finality: the future completes when the node has answered, with
     * ACCEPTED (admitted, or already known) or REJECTED with the reject code.
     */
    CompletableFuture<Finality> admit(byte[] transaction);

    /**
     * Balances by asset id of an account. A routing client asks a validator of the account's
     * shard; a one-validator client asks its validator, which knows only the accounts of its shard.
     */
    Map<Integer, Long> balances(byte[] address);

    /** A routing client asks each shard in turn until one knows the transaction; UNKNOWN if none does. */
    Finality txStatus(byte[] txId);

    /** The status of the validator this client was given (a routing client: the seed). */
    NetworkStatus status();

    /**
     * The status of a validator of {@code shardId}: where a transaction of a sender of that shard
     * takes its expiry from, since each shard has its own consensus time. A one-validator client
     * answers only for its own validator's shard.
     *
     * @throws BasaltException WRONG_SHARD when a one-validator client's validator serves another shard
     */
    default NetworkStatus status(final int shardId) {
        final NetworkStatus status = status();
        if (status.shardId() != shardId) {
            throw new BasaltException("WRONG_SHARD", "this client talks to one validator, of shard " + status.shardId()
                + ", not " + shardId + "; use BasaltClient.routing to reach every shard", 0);
        }
        return status;
    }

    /**
     * The network's shard map. A routing client answers with the map it routes by, learned when it
     * was created or at the last {@link #refreshNetwork}; a one-validator client asks its validator.
     */
    NetworkMap network();

    /** Asks for the map again (a routing client: of its seed) and routes by the answer from now on. */
    default NetworkMap refreshNetwork() {
        return network();
    }

    /**
     * Every finality event the node publishes, until the handle is closed. A routing client watches
     * one validator of every shard, so the listener may be called from one thread per shard.
     */
    AutoCloseable watch(Consumer<Finality> listener);

    @Override
    void close();
}
