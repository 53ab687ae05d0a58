package io.basalt.client.sdk;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.basalt.crypto.Hex;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.FinalityLevel;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.SubmitStatus;
import io.basalt.protocol.sbe.SubmitTxEncoder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Aeron fast-path client (protocol in docs/api.md and {@code AeronClientGateway}). Its exclusive
 * publication's session id names it to the gateway; it subscribes to the response stream filtered
 * on that session id before sending anything. One agent thread polls responses and completes
 * futures; {@link #submit} encodes on the caller's thread under a lock.
 */
final class AeronBasaltClient implements BasaltClient {
    /**
     * The submit stream of a validator's client endpoint ({@code ValidatorNode.CLIENT_SUBMIT_STREAM_ID});
     * responses come on the next stream, on the endpoint's port + 1.
     */
    static final int VALIDATOR_SUBMIT_STREAM_ID = 20;
    /** How long {@link #submit} retries a back-pressured or not-yet-connected publication. */
    static final long OFFER_TIMEOUT_MS = 5_000;
    private static final int FRAGMENT_LIMIT = 32;

    private final ExclusivePublication publication;
    private final Subscription responses;
    private final HttpBasaltClient queries;
    private final AgentRunner runner;
    private final AtomicLong correlationIds = new AtomicLong();
    private final Map<Long, AwaitedAck> acks = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Finality>> pending = new ConcurrentHashMap<>();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SubmitTxEncoder submitEncoder = new SubmitTxEncoder();
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(Layout.submitTxLength(1024)));

    /**
     * A client of a validator's UDP client endpoint {@code host:port} as the genesis lists it:
     * SubmitTx to {@code aeron:udp?endpoint=host:port}, responses subscribed on
     * {@code aeron:udp?endpoint=responseHost:0|control=host:port+1} (docs/api.md, Aeron fast path).
     */
    static AeronBasaltClient udp(final Aeron aeron, final String clientEndpoint, final String responseHost,
                                 final URI httpForQueries) {
        final int colon = clientEndpoint.lastIndexOf(':');
        if (colon < 1) {
            throw new BasaltException("BAD_RESPONSE", "a client endpoint is host:port, not '" + clientEndpoint + "'", 0);
        }
        final String host = clientEndpoint.substring(0, colon);
        final int port;
        try {
            port = Integer.parseInt(clientEndpoint.substring(colon + 1));
        } catch (final NumberFormatException e) {
            throw new BasaltException("BAD_RESPONSE", "a client endpoint is host:port, not '" + clientEndpoint + "'", e);
        }
        return new AeronBasaltClient(aeron, "aeron:udp?endpoint=" + clientEndpoint, VALIDATOR_SUBMIT_STREAM_ID,
            "aeron:udp?endpoint=" + responseHost + ":0|control=" + host + ":" + (port + 1), VALIDATOR_SUBMIT_STREAM_ID + 1,
            httpForQueries);
    }

    AeronBasaltClient(final Aeron aeron, final String channel, final int submitStreamId,
                      final String responseChannel, final int responseStreamId, final URI httpForQueries) {
        this.publication = aeron.addExclusivePublication(channel, submitStreamId);
        this.responses = aeron.addSubscription(ChannelUri.addSessionId(responseChannel, publication.sessionId()), responseStreamId);
        this.queries = httpForQueries == null ? null : new HttpBasaltClient(httpForQueries);
        this.runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, new Poller());
        AgentRunner.startOnThread(runner);
    }

    @Override
    public CompletableFuture<Finality> submit(final byte[] transaction) {
        final String txId;
        try {
            txId = Hex.encode(TransactionBuilder.txId(transaction));
        } catch (final IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        final CompletableFuture<Finality> future = pending.computeIfAbsent(txId, k -> new CompletableFuture<>());
        future.whenComplete((f, e) -> pending.remove(txId, future));
        Submissions.completeOnRejection(admit(transaction, txId), future);
        return future;
    }

    @Override
    public CompletableFuture<Finality> admit(final byte[] transaction) {
        try {
            return admit(transaction, Hex.encode(TransactionBuilder.txId(transaction)));
        } catch (final IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Publishes a SubmitTx; the returned future completes with the gateway's SubmitAck. */
    private CompletableFuture<Finality> admit(final byte[] transaction, final String txId) {
        final CompletableFuture<Finality> ack = new CompletableFuture<>();
        final long correlationId = correlationIds.incrementAndGet();
        acks.put(correlationId, new AwaitedAck(txId, ack));
        final long deadlineMs = System.currentTimeMillis() + OFFER_TIMEOUT_MS;
        synchronized (out) {
            submitEncoder.wrapAndApplyHeader(out, 0, headerEncoder)
                .correlationId(correlationId)
                .putTx(transaction, 0, transaction.length);
            final int length = Layout.submitTxLength(transaction.length);
            long result;
            while ((result = publication.offer(out, 0, length)) < 0) {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED
                    || System.currentTimeMillis() > deadlineMs) {
                    acks.remove(correlationId);
                    ack.completeExceptionally(new BasaltException("UNREACHABLE",
                        "cannot publish to the gateway (" + Publication.errorString(result) + ")", 0));
                    return ack;
                }
                Thread.onSpinWait();
            }
        }
        return ack;
    }

    private record AwaitedAck(String txId, CompletableFuture<Finality> future) {
    }

    @Override
    public Map<Integer, Long> balances(final byte[] address) {
        return queries().balances(address);
    }

    @Override
    public Finality txStatus(final byte[] txId) {
        return queries().txStatus(txId);
    }

    @Override
    public NetworkStatus status() {
        return queries().status();
    }

    @Override
    public NetworkMap network() {
        return queries().network();
    }

    @Override
    public AutoCloseable watch(final Consumer<Finality> listener) {
        return queries().watch(listener);
    }

    private HttpBasaltClient queries() {
        if (queries == null) {
            throw new UnsupportedOperationException("the Aeron fast path only submits; give the client an HTTP URL for queries");
        }
        return queries;
    }

    @Override
    public void close() {
        CloseHelper.quietClose(runner);
        CloseHelper.quietClose(responses);
        CloseHelper.quietClose(publication);
        if (queries != null) {
            queries.close();
        }
        final BasaltException closed = new BasaltException("CLOSED", "the client was closed", 0);
        pending.values().forEach(future -> future.completeExceptionally(closed));
        acks.values().forEach(awaited -> awaited.future().completeExceptionally(closed));
    }

    /** Polls the response stream: acks settle refusals, FinalityEvents settle the rest. */
    private final class Poller implements Agent {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final SubmitAckDecoder ack = new SubmitAckDecoder();
        private final FinalityEventDecoder event = new FinalityEventDecoder();
        private final byte[] txId = new byte[Layout.HASH_LENGTH];
        private final FragmentHandler handler = this::onFragment;

        @Override
        public int doWork() {
            return responses.poll(handler, FRAGMENT_LIMIT);
        }

        @Override
        public String roleName() {
            return "basalt-aeron-client";
        }

        private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h) {
            if (!MessageValidator.validate(buffer, offset, length).isOk()) {
                return;
            }
            final int template = Templates.templateId(buffer, offset);
            if (template == Templates.SUBMIT_ACK) {
                onAck(buffer, offset);
            } else if (template == Templates.FINALITY_EVENT) {
                onFinality(buffer, offset);
            }
        }

        private void onAck(final DirectBuffer buffer, final int offset) {
            ack.wrapAndApplyHeader(buffer, offset, header);
            final AwaitedAck awaited = acks.remove(ack.correlationId());
            if (awaited == null) {
                return;
            }
            final boolean refused = ack.status() == SubmitStatus.REJECTED;
            awaited.future().complete(new Finality(awaited.txId(), refused ? TxState.REJECTED : TxState.ACCEPTED, 0,
                refused ? RejectCode.fromCode(ack.reason()) : RejectCode.NONE, 0, 0));
        }

        private void onFinality(final DirectBuffer buffer, final int offset) {
            event.wrapAndApplyHeader(buffer, offset, header);
            event.getTxId(txId, 0, txId.length);
            final CompletableFuture<Finality> future = pending.get(Hex.encode(txId));
            if (future == null) {
                return;
            }
            final TxState state = switch (event.level()) {
                case COMMITTED -> TxState.COMMITTED;
                case SETTLED -> TxState.SETTLED;
                default -> null; // a refusal reaches this client only as the SubmitAck of its own submission
            };
            if (state == null) {
                return;
            }
            final Finality outcome = new Finality(Hex.encode(txId), state, event.result(), RejectCode.NONE, event.height(),
                event.consensusTimeMs());
            if (outcome.isOutcome()) {
                future.complete(outcome);
            }
        }
    }
}
