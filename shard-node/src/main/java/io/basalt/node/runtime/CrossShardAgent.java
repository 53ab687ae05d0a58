package io.basalt.node.runtime;

import io.basalt.node.net.Doorbell;

import io.basalt.node.api.FinalityEvent;
import io.basalt.node.exec.Ledger;
import io.basalt.node.net.CrossShardTransport;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.TxState;
import io.basalt.xshard.BatchCodec;
import io.basalt.xshard.CrossShardRelay;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The single writer of this validator's {@link CrossShardRelay}. One duty cycle:
 *
 * <pre>
 *   execution thread ──onBatch/onApplied──▶ [ events, MPSC bounded ] ──┐
 *   cross-shard subscription (≤ FRAGMENT_LIMIT) ──────────────────────┤
 *                                                                     ▼
 *                                    relay: sign · collect 2f+1 · acknowledge · retry
 *                                      │ send ──▶ CrossShardTransport (never blocks)
 *                                      │ propose ──▶ admitted-tx queue ──▶ consensus agent
 *                                      └ acknowledged ──▶ ledger.pruneOutbox, SETTLED for its transfers
 * </pre>
 *
 * Execution never waits for this agent: when the event queue is full the agent notices a gap
 * and reloads the unacknowledged batches from the ledger's outbox, which is where they are
 * durable anyway. A validator that restarts does the same at start-up.
 */
final class CrossShardAgent implements Agent {
    static final int FRAGMENT_LIMIT = 64;
    static final int EVENT_QUEUE_CAPACITY = 8192;
    static final int EVENT_DRAIN_LIMIT = 256;
    /** Batches reloaded from the outbox per destination per reload. */
    static final int RELOAD_LIMIT = 4096;
    private static final long TICK_INTERVAL_NS = 1_000_000L;

    /** An event from execution: a batch cut, or the stream from a source applied up to next - 1. */
    record Event(boolean batch, int shard, long seq, byte[] prefix) {
    }

    private final String roleName;
    private final EpochNanoClock clock;
    private final CrossShardTransport transport;
    private final CrossShardRelay relay;
    private final Ledger ledger;
    private final ManyToOneConcurrentArrayQueue<Event> events = new ManyToOneConcurrentArrayQueue<>(EVENT_QUEUE_CAPACITY);
    private final FinalityHub finality;
    private final BooleanSupplier failed;
    private final int ownShard;
    private final int shardCount;
    private final CrossShardTransport.Receiver receiver = this::onMessage;
    private volatile boolean reloadNeeded = true;
    private final Doorbell doorbell = new Doorbell();
    private long nowNs;
    private long nextTickNs;

    CrossShardAgent(final String roleName, final EpochNanoClock clock, final CrossShardTransport transport,
                    final RelayFactory relays, final ManyToOneConcurrentArrayQueue<byte[]> certified,
                    final Doorbell consensusDoorbell, final Ledger ledger,
                    final FinalityHub finality, final int ownShard, final int shardCount, final BooleanSupplier failed) {
        this.roleName = roleName;
        this.clock = clock;
        this.transport = transport;
        this.ledger = ledger;
        this.finality = finality;
        this.ownShard = ownShard;
        this.shardCount = shardCount;
        this.failed = failed;
        this.relay = relays.create(new CrossShardRelay.Outbox() {
            @Override
            public void send(final int shard, final int validator, final byte[] message) {
                transport.send(shard, validator, message, 0, message.length);
            }

            @Override
            public void propose(final byte[] certifiedMessage) {
                if (certified.offer(certifiedMessage)) { // full: the relay proposes again after reproposeNs
                    consensusDoorbell.ring();
                }
            }

            @Override
            public void acknowledged(final int destShard, final long seq, final byte[] prefix) {
                onAcknowledged(destShard, seq, prefix);
            }
        });
    }

    /** Rung by execution when it hands this agent work. */
    Doorbell doorbell() {
        return doorbell;
    }

    /** Builds the relay around the agent's outbox. */
    @FunctionalInterface
    interface RelayFactory {
        CrossShardRelay create(CrossShardRelay.Outbox outbox);
    }

    // ---- called on the execution thread

    void onBatch(final int destShard, final long seq, final byte[] prefix) {
        if (!events.offer(new Event(true, destShard, seq, prefix))) {
            reloadNeeded = true;
        }
        doorbell.ring();
    }

    void onHeight() {
        if (!events.offer(new Event(false, -1, 0, null))) {
            reloadNeeded = true;
        }
        doorbell.ring();
    }

    // ---- any thread

    CrossShardRelay.Counters counters() {
        return relay.counters();
    }

    // ---- the duty cycle

    @Override
    public int doWork() {
        if (failed.getAsBoolean()) {
            throw new AgentTerminationException("node failed");
        }
        nowNs = clock.nanoTime();
        int work = 0;
        if (reloadNeeded) {
            reloadNeeded = false;
            reload();
            work++;
        }
        work += drainEvents();
        work += transport.poll(receiver, FRAGMENT_LIMIT);
        if (nowNs >= nextTickNs) {
            nextTickNs = nowNs + TICK_INTERVAL_NS;
            relay.tick(nowNs);
        }
        return work;
    }

    private int drainEvents() {
        int drained = 0;
        Event event;
        boolean applied = false;
        while (drained < EVENT_DRAIN_LIMIT && (event = events.poll()) != null) {
            if (event.batch()) {
                relay.onBatch(event.shard(), event.seq(), event.prefix(), nowNs);
            } else {
                applied = true;
            }
            drained++;
        }
        if (applied) {
            announceApplied();
        }
        return drained;
    }

    /** What the ledger applied from each source; the relay acknowledges what is new. */
    private void announceApplied() {
        for (int s = 0; s < shardCount; s++) {
            if (s != ownShard) {
                relay.onApplied(s, ledger.inboundNext(s), nowNs);
            }
        }
    }

    /** Loads every stored, unacknowledged batch into the relay (start-up, or after a full event queue). */
    private void reload() {
        for (int d = 0; d < shardCount; d++) {
            if (d == ownShard) {
                continue;
            }
            for (final Map.Entry<Long, byte[]> e : ledger.outbox(d, 1, RELOAD_LIMIT).entrySet()) {
                relay.onBatch(d, e.getKey(), e.getValue(), nowNs);
            }
        }
        announceApplied();
    }

    private void onMessage(final int fromShard, final int fromValidator, final byte[] payload) {
        relay.onMessage(fromShard, fromValidator, payload, nowNs);
    }

    /**
     * f+1 validators of {@code destShard} applied the batch: forget it (the ledger keeps the
     * watermark), and tell clients of the transfers it carried that they are SETTLED. Receipts that
     * pay out a swap are not transfers: a swap settles on each shard when its own party has what it
     * is owed (execution says so).
     */
    private void onAcknowledged(final int destShard, final long seq, final byte[] prefix) {
        ledger.pruneOutbox(destShard, seq);
        if (!finality.hasListeners()) {
            return;
        }
        for (final byte[] txId : BatchCodec.receiptTxIds(prefix)) {
            final Ledger.TxRecord executed = ledger.executed(txId);
            if (executed != null && ledger.transferSent(txId)) {
                finality.publish(new FinalityEvent(txId, TxState.SETTLED, ExecResult.SUCCESS.code(), executed.height(),
                    executed.consensusTimeMs()));
            }
        }
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
