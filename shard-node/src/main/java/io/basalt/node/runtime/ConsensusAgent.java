package io.basalt.node.runtime;

import io.basalt.dag.Block;
import io.basalt.dag.BlockIntake;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CommitSink;
import io.basalt.dag.CommittedSubDag;
import io.basalt.dag.ConsensusAdapter;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.CoreObserver;
import io.basalt.dag.RejectReason;
import io.basalt.node.net.ConsensusTransport;
import io.basalt.node.net.WakeableIdleStrategy;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the {@link ConsensusCore}. One duty cycle:
 *
 * <pre>
 *   now = epoch ns
 *   poll the consensus subscription (≤ FRAGMENT_LIMIT) ──▶ ConsensusAdapter ──▶ requests to the core;
 *                                                          blocks ──▶ BlockVerification (other threads)
 *   verified blocks back from the stage (≤ FRAGMENT_LIMIT) ──▶ core.onBlock / onBlocks
 *   drain admitted transactions and certified batches (≤ maxBlockTransactions) ──▶ core
 *   hand committed sub-DAGs to the execution ring (overflow first)
 *   core.tick(now) when now ≥ core.nextWakeupNs()
 *   publish gauges; once a second sweep expired in-flight ids
 * </pre>
 *
 * Signatures are never checked here: peers' blocks wait in the verification stage while this agent
 * goes on with everything else. The core's outbox sends from this thread and never blocks (see
 * {@code PeerSender}). Commits go to the execution ring; when it is full they wait in a local
 * overflow queue, in order, and admission pauses until execution catches up, which pushes back on
 * clients with OVERLOADED. Anything thrown here is a broken invariant of ours (peers' bytes cannot
 * make the adapter throw), so it stops the node.
 *
 * <p>It is also the core's {@link CoreObserver}: it stamps each admitted transaction with the time
 * its own block was proposed, and the block with the time a quorum held it, for the stage
 * breakdown that execution records ({@link NodeMetrics.Stage}). Those stamps use
 * {@link System#nanoTime()}, the clock admission and execution use.
 */
final class ConsensusAgent implements Agent, CommitSink, CoreObserver, BlockIntake {
    static final int FRAGMENT_LIMIT = 32;
    private static final long HOUSEKEEPING_INTERVAL_NS = 100_000_000L;
    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;
    /** The one-line status each validator logs (round, height, tx/s, peers). */
    static final long STATUS_INTERVAL_NS = 10_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusAgent.class);

    /** What the agent reads from other threads. */
    record Inputs(ManyToOneConcurrentArrayQueue<AdmittedTx> admitted, ManyToOneConcurrentArrayQueue<byte[]> certified,
                  BlockVerification verification, BlockVerification.Verdicts verdicts) {
    }

    private final String roleName;
    private final EpochNanoClock clock;
    private final ConsensusTransport transport;
    private final Inputs inputs;
    private final int drainLimit;
    private final ExecutionStage execution;
    private final InFlight inFlight;
    private final OwnBlockTimes ownBlockTimes;
    private final LongSupplier consensusTimeMs;
    private final NodeMetrics metrics;
    private final BooleanSupplier failed;
    private final WakeableIdleStrategy idle;
    private final ArrayDeque<ExecutionStage.Committed> overflow = new ArrayDeque<>();
    /**
     * Blocks in the verification stage now. The core does not know them yet, so it may ask peers
     * for them again (a parked child's ancestors) and peers may push them again; without this set
     * each copy would be verified again, and under overload the repeats alone keep the stage full.
     */
    private final HashSet<BlockRef> verifying = new HashSet<>();
    private final ConsensusTransport.Receiver receiver = this::onMessage;
    private ConsensusCore core;
    private ConsensusAdapter adapter;
    private long nowNs;
    private long nextHousekeepingNs;
    private long nextSweepNs;
    private long nextStatusNs;
    private long statusExecuted;
    private long statusAtNs;

    ConsensusAgent(final String roleName, final EpochNanoClock clock, final ConsensusTransport transport,
                   final Inputs inputs, final int drainLimit, final ExecutionStage execution, final InFlight inFlight,
                   final OwnBlockTimes ownBlockTimes, final LongSupplier consensusTimeMs, final NodeMetrics metrics,
                   final BooleanSupplier failed, final WakeableIdleStrategy idle) {
        this.roleName = roleName;
        this.clock = clock;
        this.transport = transport;
        this.inputs = inputs;
        this.drainLimit = drainLimit;
        this.execution = execution;
        this.inFlight = inFlight;
        this.ownBlockTimes = ownBlockTimes;
        this.consensusTimeMs = consensusTimeMs;
        this.metrics = metrics;
        this.failed = failed;
        this.idle = idle;
    }

    /** The core is built after the agent because the agent is the core's commit sink and observer. */
    void attach(final ConsensusCore core, final ConsensusAdapter adapter) {
        this.core = core;
        this.adapter = adapter;
        core.setObserver(this);
    }

    @Override
    public int doWork() {
        if (failed.getAsBoolean()) {
            throw new AgentTerminationException("node failed");
        }
        nowNs = clock.nanoTime();
        int work = transport.poll(receiver, FRAGMENT_LIMIT);
        work += deliverVerified();
        work += flushCommits();
        if (overflow.isEmpty()) {
            work += drainAdmitted();
        }
        if (nowNs >= core.nextWakeupNs()) {
            core.tick(nowNs);
            work++;
        }
        metrics.round = core.quorumRound();
        metrics.catchingUp = core.isCatchingUp();
        metrics.committedHeight = core.height();
        if (nowNs >= nextHousekeepingNs) {
            housekeeping();
        }
        if (idle != null) {
            pace();
        }
        return work;
    }

    /**
     * Busy while the core has work or commits wait for execution (which does not ring). Idle on
     * IPC, every input rings (peers' sends, admission, verification), so the agent sleeps until
     * its next timer; idle over UDP a peer's message may come at any moment and cannot ring.
     */
    private void pace() {
        final boolean busy = core.hasWork() || !overflow.isEmpty();
        if (!busy && transport.everyPeerRings()) {
            idle.ringsOnly(Math.min(core.nextWakeupNs(), nextHousekeepingNs) - nowNs);
        } else {
            idle.busy(busy);
        }
    }

    private void onMessage(final int from, final byte[] message) {
        adapter.onMessage(from, message, nowNs);
    }

    // ------------------------------------------------------------------------------ blocks in

    @Override
    public void onBlock(final int from, final Block block, final long nowNs) {
        toVerification(from, BlockVerification.Verified.PUSHED, block, nowNs);
    }

    @Override
    public void onBlocks(final int from, final long requestId, final List<Block> blocks, final long nowNs) {
        if (blocks.size() > core.config().maxResponseBlocks()) {
            core.onBlocks(from, requestId, blocks, nowNs); // refused as a whole, before any signature
            return;
        }
        for (final Block block : blocks) {
            toVerification(from, requestId, block, nowNs);
        }
    }

    /**
     * Blocks the core already holds need no signature check: it refuses them as duplicates at once.
     * A copy of a block that is being verified is dropped: the first copy will reach the core.
     */
    private void toVerification(final int from, final long requestId, final Block block, final long nowNs) {
        if (core.knows(block.ref())) {
            deliver(from, requestId, block, null, nowNs);
        } else if (verifying.contains(block.ref())) {
            metrics.blocksVerifyDeduplicated.incrementAndGet();
        } else if (inputs.verification().tryPublish(from, requestId, block)) {
            verifying.add(block.ref());
        } else {
            metrics.blocksVerifyDropped.incrementAndGet();
        }
    }

    private int deliverVerified() {
        int delivered = 0;
        BlockVerification.Verified verified;
        while (delivered < FRAGMENT_LIMIT && (verified = inputs.verification().poll()) != null) {
            verifying.remove(verified.block().ref());
            deliver(verified.from(), verified.requestId(), verified.block(), verified.reason(), nowNs);
            delivered++;
        }
        return delivered;
    }

    private void deliver(final int from, final long requestId, final Block block, final RejectReason reason,
                         final long nowNs) {
        inputs.verdicts().set(block, reason);
        try {
            if (requestId == BlockVerification.Verified.PUSHED) {
                core.onBlock(from, block, nowNs);
            } else {
                core.onBlocks(from, requestId, List.of(block), nowNs);
            }
        } finally {
            inputs.verdicts().clear();
        }
    }

    // ------------------------------------------------------------------------------ transactions in

    private int drainAdmitted() {
        int drained = 0;
        AdmittedTx tx;
        while (drained < drainLimit && (tx = inputs.admitted().poll()) != null) {
            if (!core.submitAdmitted(tx.bytes, tx)) {
                metrics.mempoolRefused.incrementAndGet();
            }
            drained++;
        }
        byte[] certified;
        while (drained < drainLimit && (certified = inputs.certified().poll()) != null) {
            if (!core.submit(certified)) {
                metrics.mempoolRefused.incrementAndGet();
            }
            drained++;
        }
        return drained;
    }

    // ------------------------------------------------------------------------------ CoreObserver

    @Override
    public void onProposed(final Block block, final Object[] tags, final long nowNs) {
        if (tags.length == 0) {
            return;
        }
        final long stamp = System.nanoTime();
        for (final Object tag : tags) {
            if (tag instanceof AdmittedTx tx) {
                tx.proposedNs = stamp;
                tx.round = block.round();
            }
        }
    }

    @Override
    public void onOwnBlockQuorum(final long round, final long nowNs) {
        ownBlockTimes.quorum(round, System.nanoTime());
    }

    // ------------------------------------------------------------------------------ commits out

    /** The core's commit sink: in order, never dropped. */
    @Override
    public void onCommit(final CommittedSubDag subDag) {
        final ExecutionStage.Committed committed = new ExecutionStage.Committed(subDag, System.nanoTime());
        if (!overflow.isEmpty() || !execution.tryPublish(committed)) {
            if (overflow.isEmpty()) {
                metrics.executionRingFull.incrementAndGet();
            }
            overflow.addLast(committed);
        }
    }

    private int flushCommits() {
        int flushed = 0;
        while (!overflow.isEmpty() && execution.tryPublish(overflow.peekFirst())) {
            overflow.pollFirst();
            flushed++;
        }
        return flushed;
    }

    private void housekeeping() {
        nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
        metrics.mempoolSize = core.mempoolSize();
        metrics.dagSize = core.dagSize();
        metrics.pendingBlocks = core.pendingSize();
        metrics.malformedMessages = adapter.malformedCount();
        metrics.leaderTimeouts = core.leaderTimeouts();
        metrics.skippedSlots = core.skippedSlots();
        for (final RejectReason reason : RejectReason.values()) {
            metrics.consensusRejects(reason, core.rejectCount(reason));
        }
        if (nowNs >= nextSweepNs) {
            nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
            inFlight.sweepExpired(consensusTimeMs.getAsLong());
        }
        if (nowNs >= nextStatusNs) {
            logStatus();
        }
    }

    /** Every {@link #STATUS_INTERVAL_NS}: one line an operator can read at a glance (the thread names the validator). */
    private void logStatus() {
        final long executed = metrics.transactionsExecuted.get();
        if (statusAtNs != 0 && LOG.isInfoEnabled()) {
            final double txPerSecond = (executed - statusExecuted) * 1e9 / (nowNs - statusAtNs);
            LOG.info(String.format(java.util.Locale.ROOT,
                "status: round %d, height %d, %.1f tx/s, peers %d/%d, mempool %d, leader timeouts %d%s",
                core.quorumRound(), core.height(), txPerSecond, transport.connectedPeers(),
                transport.committeeSize() - 1, core.mempoolSize(), core.leaderTimeouts(),
                core.isCatchingUp() ? ", catching up" : ""));
        }
        statusExecuted = executed;
        statusAtNs = nowNs;
        nextStatusNs = nowNs + STATUS_INTERVAL_NS;
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
