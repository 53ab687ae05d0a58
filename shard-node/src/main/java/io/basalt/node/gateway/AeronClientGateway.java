package io.basalt.node.gateway;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.NodeApi;
import io.basalt.node.metrics.ValidatorRegistry;
import io.basalt.node.net.Doorbell;
import io.basalt.node.net.WakeableIdleStrategy;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.node.api.TxStatus;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.FinalityEventEncoder;
import io.basalt.protocol.sbe.FinalityLevel;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.SubmitAckEncoder;
import io.basalt.protocol.sbe.SubmitStatus;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Server side of the Aeron fast path for latency-sensitive clients (docs/api.md, "Aeron fast path").
 *
 * <h2>Protocol</h2>
 * <pre>
 *   client                                                        gateway (this agent)
 *   ExclusivePublication(channel, submitStreamId)   ──SubmitTx──▶  Subscription(channel, submitStreamId)
 *     its sessionId S names the client                              image.sessionId() == S
 *   Subscription(responseChannel|session-id=S,      ◀─SubmitAck──  ExclusivePublication(responseChannel|session-id=S,
 *                responseStreamId)                  ◀─Finality───                       responseStreamId)
 * </pre>
 * There is no handshake message: a client is identified by the Aeron session id of its publication,
 * which it learns locally from {@code publication.sessionId()} before it sends anything, and it
 * subscribes to the response channel filtered on that session id. The gateway creates the response
 * publication when the first message of a new session arrives. Every SubmitTx is answered by a
 * SubmitAck with the same correlation id (ACCEPTED, DUPLICATE or REJECTED with a {@link RejectCode});
 * accepted and duplicate transactions are then followed by the genuine transaction's outcome on the
 * same stream: FinalityEvent COMMITTED with the execution result (then SETTLED for a cross-shard
 * one). A refusal is the SubmitAck alone: it is never sent as a FinalityEvent, to this client or
 * any other, because bytes that share an id with a genuine transaction can be refused while that
 * transaction commits. Session-id filtering keeps clients apart on one
 * response stream id, so the gateway never publishes on a stream id a client chose.
 *
 * <p>For IPC both channels are {@code aeron:ipc}. For UDP the gateway subscribes on
 * {@code aeron:udp?endpoint=host:port} and publishes responses on a multi-destination channel
 * {@code aeron:udp?control=host:port2|control-mode=dynamic}; clients subscribe to
 * {@code aeron:udp?endpoint=theirHost:0|control=host:port2}.
 *
 * <p>Threads: {@link #doWork()} runs on one agent thread and owns every field; the node's
 * finality listener and Aeron's image handlers only offer into bounded concurrent queues. Every
 * inbound message passes {@link MessageValidator} first; malformed ones are counted and, when their
 * correlation id can be read, answered with REJECTED/MALFORMED.
 */
public final class AeronClientGateway implements Agent, AutoCloseable {
    /** Responses go to {@code submitStreamId + RESPONSE_STREAM_OFFSET} unless configured. */
    public static final int RESPONSE_STREAM_OFFSET = 1;
    static final int FRAGMENT_LIMIT = 64;
    static final int FINALITY_QUEUE_CAPACITY = 16_384;
    static final int FINALITY_DRAIN_LIMIT = 256;
    static final int MAX_CLIENTS = 1_024;
    static final int MAX_TRACKED_TRANSACTIONS = 65_536;
    static final int MAX_BACKLOG_PER_CLIENT = 1_024;
    static final int UNCLAIMED_CAPACITY = 4_096;
    /** A tracked transaction is forgotten after this long: expiry is at most 60 s after admission. */
    static final long TRACKING_TIMEOUT_NS = 120_000_000_000L;
    static final long SWEEP_INTERVAL_NS = 1_000_000_000L;
    private static final int OUT_BUFFER_BYTES = 256;
    private static final byte[] ZERO_TX_ID = new byte[Layout.HASH_LENGTH];

    private final Aeron aeron;
    private final NodeApi node;
    private final String responseChannel;
    private final int responseStreamId;
    private final int shardId;
    private final NanoClock clock;
    private final Subscription subscription;
    private final AutoCloseable nodeSubscription;
    private final ManyToOneConcurrentArrayQueue<FinalityEvent> finality = new ManyToOneConcurrentArrayQueue<>(FINALITY_QUEUE_CAPACITY);
    private final ManyToOneConcurrentArrayQueue<Integer> goneSessions = new ManyToOneConcurrentArrayQueue<>(MAX_CLIENTS);
    /** Admission decisions from the node's ingest handlers, in the order they were reached. */
    private final ManyToOneConcurrentArrayQueue<Decision> decisions = new ManyToOneConcurrentArrayQueue<>(FINALITY_QUEUE_CAPACITY);
    /**
     * COMMITTED events of ids nobody tracks yet: an admission decision may reach this agent after
     * the transaction's commit (the handler that admitted it was descheduled before its callback).
     * Bounded, oldest first out.
     */
    private final LinkedHashMap<ByteBuffer, FinalityEvent> unclaimed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<ByteBuffer, FinalityEvent> eldest) {
            return size() > UNCLAIMED_CAPACITY;
        }
    };
    private final Doorbell doorbell = new Doorbell();
    private WakeableIdleStrategy idle;
    /** Submissions handed to the ingest stage whose decision this agent has not drained yet. */
    private int pendingDecisions;
    private final Int2ObjectHashMap<Client> clients = new Int2ObjectHashMap<>();
    private final Map<ByteBuffer, Tracked> tracked = new HashMap<>();
    private final FragmentHandler onFragment = this::onFragment;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SubmitTxDecoder submitTx = new SubmitTxDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SubmitAckEncoder ackEncoder = new SubmitAckEncoder();
    private final FinalityEventEncoder finalityEncoder = new FinalityEventEncoder();
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(OUT_BUFFER_BYTES));
    private final byte[] txIdScratch = new byte[Layout.HASH_LENGTH];

    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong finalitySent = new AtomicLong();
    private final AtomicLong finalityDropped = new AtomicLong();
    private final AtomicLong clientsDropped = new AtomicLong();
    private long nextSweepNs;

    /** Responses on {@code channel} and stream {@code submitStreamId + 1}: right for IPC. */
    public AeronClientGateway(final Aeron aeron, final String channel, final int submitStreamId, final NodeApi node) {
        this(aeron, channel, submitStreamId, channel, submitStreamId + RESPONSE_STREAM_OFFSET, node, SystemNanoClock.INSTANCE);
    }

    public AeronClientGateway(final Aeron aeron, final String channel, final int submitStreamId,
                              final String responseChannel, final int responseStreamId, final NodeApi node,
                              final NanoClock clock) {
        if (responseStreamId == submitStreamId && responseChannel.equals(channel)) {
            throw new IllegalArgumentException("responses need their own stream: " + responseStreamId);
        }
        this.aeron = aeron;
        this.node = node;
        this.responseChannel = responseChannel;
        this.responseStreamId = responseStreamId;
        this.clock = clock;
        this.shardId = node.status().shardId();
        // A new client's image rings, so that a gateway with no client may sleep until one comes.
        this.subscription = aeron.addSubscription(channel, submitStreamId, image -> doorbell.ring(), this::onImageGone);
        this.nodeSubscription = node.subscribe(event -> {
            // Only outcomes travel: COMMITTED and SETTLED (the node publishes no REJECTED events).
            if (event.level() == TxState.COMMITTED || event.level() == TxState.SETTLED) {
                if (finality.offer(event)) {
                    doorbell.ring();
                } else {
                    finalityDropped.incrementAndGet();
                }
            }
        });
        this.nextSweepNs = clock.nanoTime() + SWEEP_INTERVAL_NS;
    }

    @Override
    public String roleName() {
        return "basalt-aeron-client-gateway";
    }

    @Override
    public int doWork() {
        int work = subscription.poll(onFragment, FRAGMENT_LIMIT);
        work += drainDecisions();
        work += drainFinality();
        work += dropGoneClients();
        work += flushBacklogs();
        final long nowNs = clock.nanoTime();
        if (nowNs - nextSweepNs >= 0) {
            work += sweepTracked(nowNs);
            nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
        }
        if (idle != null) {
            if (subscription.imageCount() == 0 && clients.isEmpty()) {
                idle.ringsOnly(nextSweepNs - nowNs); // no client: only the node or a new image can bring work
            } else {
                idle.busy(false); // a client's request cannot ring
            }
        }
        return work;
    }

    /** The agent's idle strategy, when it is a wakeable one; set before the agent starts. */
    public void paceWith(final WakeableIdleStrategy idle) {
        this.idle = idle;
    }

    /** Rung when the node has something for this agent (a decision, a finality event). */
    public Doorbell doorbell() {
        return doorbell;
    }

    @Override
    public void onClose() {
        close();
    }

    @Override
    public void close() {
        CloseHelper.quietClose(nodeSubscription);
        for (final Client client : clients.values()) {
            CloseHelper.quietClose(client.publication);
        }
        clients.clear();
        CloseHelper.quietClose(subscription);
    }

    // Counters: read from any thread.
    public long malformedMessages() {
        return malformed.get();
    }

    public long acceptedSubmissions() {
        return accepted.get();
    }

    public long rejectedSubmissions() {
        return rejected.get();
    }

    public long finalityEventsSent() {
        return finalitySent.get();
    }

    public long finalityEventsDropped() {
        return finalityDropped.get();
    }

    public long clientsDropped() {
        return clientsDropped.get();
    }

    /** Adds this gateway's counters to the validator's registry, so they are in the node's /metrics. */
    public void registerMetrics(final ValidatorRegistry registry) {
        registry.counter("basalt_aeron_gateway_malformed_total", "Inbound messages that failed validation.", malformed::get);
        registry.counter("basalt_aeron_gateway_accepted_total", "Submissions the node accepted.", accepted::get);
        registry.counter("basalt_aeron_gateway_rejected_total", "Submissions the node or gateway refused.", rejected::get);
        registry.counter("basalt_aeron_gateway_finality_sent_total", "FinalityEvents published to clients.",
            finalitySent::get);
        registry.counter("basalt_aeron_gateway_finality_dropped_total", "Finality events lost to a full queue.",
            finalityDropped::get);
        registry.counter("basalt_aeron_gateway_clients_dropped_total", "Clients dropped for a full backlog.",
            clientsDropped::get);
    }

    /** Called on the Aeron client conductor thread: hand the session id over to the agent. */
    private void onImageGone(final Image image) {
        goneSessions.offer(image.sessionId());
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header) {
        if ((header.flags() & FrameDescriptor.UNFRAGMENTED) != FrameDescriptor.UNFRAGMENTED) {
            // A SubmitTx is far below any MTU; fragments are someone sending something else.
            malformed.incrementAndGet();
            return;
        }
        final Client client = client(header.sessionId());
        final DecodeError error = MessageValidator.validate(buffer, offset, length, Templates.SUBMIT_TX);
        if (!error.isOk()) {
            malformed.incrementAndGet();
            rejectMalformed(client, buffer, offset, length);
            return;
        }
        submitTx.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = submitTx.correlationId();
        final byte[] tx = new byte[submitTx.txLength()];
        submitTx.getTx(tx, 0, tx.length);
        if (client == null) {
            rejected.incrementAndGet();
            return;
        }
        if (tracked.size() >= MAX_TRACKED_TRANSACTIONS) {
            rejected.incrementAndGet();
            ack(client, correlationId, ZERO_TX_ID, SubmitStatus.REJECTED, RejectCode.OVERLOADED.code());
            return;
        }
        submit(client, correlationId, tx);
    }

    /** Hands the transaction to the node's parallel ingest stage; the decision comes back as a {@link Decision}. */
    private void submit(final Client client, final long correlationId, final byte[] tx) {
        final int sessionId = client.sessionId;
        pendingDecisions++;
        try {
            node.submitAsync(tx, correlationId, (correlation, txId, code) -> {
                final Decision decision = new Decision(sessionId, correlation, txId.length == 0 ? null : txId.clone(), code);
                while (!decisions.offer(decision)) {
                    Thread.onSpinWait(); // bounded by the tracked-transaction limit; the agent drains it
                }
                doorbell.ring();
            });
        } catch (final RuntimeException e) {
            pendingDecisions--;
            decide(client, correlationId, null, RejectCode.NOT_READY);
        }
    }

    private record Decision(int sessionId, long correlationId, byte[] txId, RejectCode code) {
    }

    private int drainDecisions() {
        int drained = 0;
        Decision decision;
        while (drained < FINALITY_DRAIN_LIMIT && (decision = decisions.poll()) != null) {
            drained++;
            pendingDecisions--;
            final Client client = clients.get(decision.sessionId());
            if (client != null) {
                decide(client, decision.correlationId(), decision.txId(), decision.code());
            }
        }
        return drained;
    }

    private void decide(final Client client, final long correlationId, final byte[] id, final RejectCode code) {
        final byte[] txId = id == null ? ZERO_TX_ID : id;
        if (code == RejectCode.NONE) {
            accepted.incrementAndGet();
            ack(client, correlationId, txId, SubmitStatus.ACCEPTED, 0);
            final FinalityEvent early = unclaimed.remove(ByteBuffer.wrap(txId)); // COMMITTED only
            if (early != null) {
                sendFinality(client, early);
            }
            track(txId, client); // a cross-shard transaction goes on to SETTLED
        } else if (code == RejectCode.DUPLICATE && id != null) {
            accepted.incrementAndGet();
            ack(client, correlationId, txId, SubmitStatus.DUPLICATE, code.code());
            // The genuine transaction's outcome, never this copy's: status is only ever UNKNOWN,
            // ACCEPTED, COMMITTED or SETTLED (a refusal is not recorded under the id).
            final TxStatus status = node.txStatus(txId);
            if (status.state() == TxState.COMMITTED || status.state() == TxState.SETTLED) {
                sendFinality(client, new FinalityEvent(txId, status.state(), status.result(), status.height(),
                    status.consensusTimeMs()));
            }
            if (status.state() != TxState.SETTLED) {
                track(txId, client); // a cross-shard transaction goes on to SETTLED
            }
        } else {
            rejected.incrementAndGet();
            ack(client, correlationId, txId, SubmitStatus.REJECTED, code.code());
        }
    }

    /** Answers a malformed SubmitTx when its header and correlation id are readable. */
    private void rejectMalformed(final Client client, final DirectBuffer buffer, final int offset, final int length) {
        rejected.incrementAndGet();
        if (client != null && length >= Layout.MESSAGE_HEADER_LENGTH + SubmitTxDecoder.BLOCK_LENGTH
            && Templates.templateId(buffer, offset) == Templates.SUBMIT_TX) {
            final long correlationId = buffer.getLong(offset + Layout.MESSAGE_HEADER_LENGTH
                + SubmitTxDecoder.correlationIdEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN);
            ack(client, correlationId, ZERO_TX_ID, SubmitStatus.REJECTED, RejectCode.MALFORMED.code());
        }
    }

    private void track(final byte[] txId, final Client client) {
        tracked.put(ByteBuffer.wrap(txId.clone()), new Tracked(client.sessionId, clock.nanoTime() + TRACKING_TIMEOUT_NS));
    }

    private void ack(final Client client, final long correlationId, final byte[] txId, final SubmitStatus status, final int reason) {
        ackEncoder.wrapAndApplyHeader(out, 0, headerEncoder)
            .correlationId(correlationId)
            .putTxId(txId, 0, Layout.HASH_LENGTH)
            .status(status)
            .reason(reason);
        client.send(out, Layout.SUBMIT_ACK_LENGTH);
    }

    private int drainFinality() {
        int drained = 0;
        FinalityEvent event;
        while (drained < FINALITY_DRAIN_LIMIT && (event = finality.poll()) != null) {
            drained++;
            // COMMITTED keeps the entry: a cross-shard transaction is SETTLED later; the entry of a
            // same-shard one expires with the tracking timeout.
            final ByteBuffer key = ByteBuffer.wrap(event.txId());
            final Tracked entry = event.level() == TxState.COMMITTED ? tracked.get(key) : tracked.remove(key);
            if (entry != null) {
                final Client client = clients.get(entry.sessionId);
                if (client != null) {
                    sendFinality(client, event);
                }
            } else if (event.level() == TxState.COMMITTED && pendingDecisions > 0) {
                unclaimed.put(key, event);
            }
        }
        return drained;
    }

    private void sendFinality(final Client client, final FinalityEvent event) {
        System.arraycopy(event.txId(), 0, txIdScratch, 0, Layout.HASH_LENGTH);
        finalityEncoder.wrapAndApplyHeader(out, 0, headerEncoder)
            .putTxId(txIdScratch, 0, Layout.HASH_LENGTH)
            .shardId(shardId)
            .level(switch (event.level()) {
                case COMMITTED -> FinalityLevel.COMMITTED;
                case SETTLED -> FinalityLevel.SETTLED;
                default -> FinalityLevel.REJECTED;
            })
            .result(event.result() & 0xFFFF)
            .height(event.height())
            .consensusTimeMs(event.consensusTimeMs());
        if (client.send(out, Layout.FINALITY_EVENT_LENGTH)) {
            finalitySent.incrementAndGet();
        }
    }

    /** The client of a session, created on its first message; null when the gateway serves {@link #MAX_CLIENTS}. */
    private Client client(final int sessionId) {
        Client client = clients.get(sessionId);
        if (client == null && clients.size() < MAX_CLIENTS) {
            final ExclusivePublication publication =
                aeron.addExclusivePublication(ChannelUri.addSessionId(responseChannel, sessionId), responseStreamId);
            client = new Client(sessionId, publication);
            clients.put(sessionId, client);
        }
        return client;
    }

    private int dropGoneClients() {
        int dropped = 0;
        Integer sessionId;
        while ((sessionId = goneSessions.poll()) != null) {
            final Client client = clients.remove(sessionId.intValue());
            if (client != null) {
                CloseHelper.quietClose(client.publication);
                dropped++;
            }
        }
        return dropped;
    }

    private int flushBacklogs() {
        int work = 0;
        final Iterator<Client> it = clients.values().iterator();
        while (it.hasNext()) {
            final Client client = it.next();
            if (!client.backlog.isEmpty()) {
                work += client.flush();
            }
            if (client.failed) {
                it.remove();
                CloseHelper.quietClose(client.publication);
                clientsDropped.incrementAndGet();
            }
        }
        return work;
    }

    private int sweepTracked(final long nowNs) {
        final int before = tracked.size();
        tracked.values().removeIf(entry -> nowNs - entry.deadlineNs >= 0);
        return before - tracked.size();
    }

    private record Tracked(int sessionId, long deadlineNs) {
    }

    /**
     * One client's response publication. Messages that cannot be published yet (not connected, back
     * pressure) wait in a bounded backlog, in order; a client whose backlog overflows is dropped.
     */
    private static final class Client {
        final int sessionId;
        final ExclusivePublication publication;
        final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
        boolean failed;

        Client(final int sessionId, final ExclusivePublication publication) {
            this.sessionId = sessionId;
            this.publication = publication;
        }

        /** Publishes or queues a message; false if it was lost. */
        boolean send(final DirectBuffer buffer, final int length) {
            if (failed) {
                return false;
            }
            if (backlog.isEmpty()) {
                final long result = publication.offer(buffer, 0, length);
                if (result > 0) {
                    return true;
                }
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    failed = true;
                    return false;
                }
            }
            if (backlog.size() >= MAX_BACKLOG_PER_CLIENT) {
                failed = true;
                return false;
            }
            final byte[] copy = new byte[length];
            buffer.getBytes(0, copy);
            backlog.addLast(copy);
            return true;
        }

        int flush() {
            int sent = 0;
            byte[] next;
            while ((next = backlog.peekFirst()) != null) {
                final long result = publication.offer(new UnsafeBuffer(next));
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    failed = true;
                    return sent;
                }
                if (result < 0) {
                    return sent;
                }
                backlog.pollFirst();
                sent++;
            }
            return sent;
        }
    }
}
