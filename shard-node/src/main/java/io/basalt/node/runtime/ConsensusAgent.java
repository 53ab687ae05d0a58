package io.basalt.node.runtime;

import io.basalt.dag.CommitSink;
import io.basalt.dag.CommittedSubDag;
import io.basalt.dag.ConsensusAdapter;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.RejectReason;
import io.basalt.node.net.ConsensusTransport;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The single writer of the {@link ConsensusCore}. One duty cycle:
 *
 * <pre>
 *   now = epoch ns
 *   poll the consensus subscription (≤ FRAGMENT_LIMIT) ──▶ ConsensusAdapter ──▶ core.onBlock/…
 *   drain admitted transactions (≤ maxBlockTransactions) ──▶ core.submit
 *   hand committed sub-DAGs to the execution ring (overflow first)
 *   core.tick(now) when now ≥ core.nextWakeupNs()
 *   publish gauges; once a second sweep expired in-flight ids
 * </pre>
 *
 * The core's outbox sends from this thread and never blocks (see {@code PeerSender}). Commits go
 * to the execution ring; when it is full they wait in a local overflow queue, in order, and
 * admission pauses until execution catches up, which pushes back on clients with OVERLOADED.
 * Anything thrown here is a broken invariant of ours (peers' bytes cannot make the adapter throw),
 * so it stops the node.
 */
final class ConsensusAgent implements Agent, CommitSink {
    static final int FRAGMENT_LIMIT = 32;
    private static final long HOUSEKEEPING_INTERVAL_NS = 100_000_000L;
    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;

    private final String roleName;
    private final EpochNanoClock clock;
    private final ConsensusTransport transport;
    private final ManyToOneConcurrentArrayQueue<byte[]> admitted;
    private final int drainLimit;
    private final ExecutionStage execution;
    private final InFlight inFlight;
    private final LongSupplier consensusTimeMs;
    private final NodeMetrics metrics;
    private final BooleanSupplier failed;
    private final ArrayDeque<CommittedSubDag> overflow = new ArrayDeque<>();
    private final ConsensusTransport.Receiver receiver = this::onMessage;
    private ConsensusCore core;
    private ConsensusAdapter adapter;
    private long nowNs;
    private long nextHousekeepingNs;
    private long nextSweepNs;

    ConsensusAgent(final String roleName, final EpochNanoClock clock, final ConsensusTransport transport,
                   final ManyToOneConcurrentArrayQueue<byte[]> admitted, final int drainLimit,
                   final ExecutionStage execution, final InFlight inFlight, final LongSupplier consensusTimeMs,
                   final NodeMetrics metrics, final BooleanSupplier failed) {
        this.roleName = roleName;
        this.clock = clock;
        this.transport = transport;
        this.admitted = admitted;
        this.drainLimit = drainLimit;
        this.execution = execution;
        this.inFlight = inFlight;
        this.consensusTimeMs = consensusTimeMs;
        this.metrics = metrics;
        this.failed = failed;
    }

    /** The core is built after the agent because the agent is the core's commit sink. */
    void attach(final ConsensusCore core, final ConsensusAdapter adapter) {
        this.core = core;
        this.adapter = adapter;
    }

    @Override
    public int doWork() {
        if (failed.getAsBoolean()) {
            throw new AgentTerminationException("node failed");
        }
        nowNs = clock.nanoTime();
        int work = transport.poll(receiver, FRAGMENT_LIMIT);
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
        return work;
    }

    private void onMessage(final int from, final byte[] message) {
        adapter.onMessage(from, message, nowNs);
    }

    private int drainAdmitted() {
        int drained = 0;
        byte[] tx;
        while (drained < drainLimit && (tx = admitted.poll()) != null) {
            if (!core.submit(tx)) {
                metrics.mempoolRefused.incrementAndGet();
            }
            drained++;
        }
        return drained;
    }

    /** The core's commit sink: in order, never dropped. */
    @Override
    public void onCommit(final CommittedSubDag subDag) {
        if (!overflow.isEmpty() || !execution.tryPublish(subDag)) {
            if (overflow.isEmpty()) {
                metrics.executionRingFull.incrementAndGet();
            }
            overflow.addLast(subDag);
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
        for (final RejectReason reason : RejectReason.values()) {
            metrics.consensusRejects(reason, core.rejectCount(reason));
        }
        if (nowNs >= nextSweepNs) {
            nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
            inFlight.sweepExpired(consensusTimeMs.getAsLong());
        }
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
