package io.basalt.perf.consensus;

import io.basalt.dag.ConsensusAdapter;
import io.basalt.dag.ConsensusCore;
import io.basalt.node.net.ConsensusTransport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The single writer of one benchmark validator's {@link ConsensusCore}, with the duty cycle of the
 * node's {@code io.basalt.node.runtime.ConsensusAgent} (which is package-private, so this is a
 * re-statement of its loop, minus execution hand-off, in-flight sweeps and node metrics):
 *
 * <pre>
 *   now = epoch ns
 *   poll the consensus subscription (≤ FRAGMENT_LIMIT) ──▶ ConsensusAdapter ──▶ core.onBlock/…
 *   drain submitted payloads (≤ drainLimit) ──▶ core.submit
 *   core.tick(now) when now ≥ core.nextWakeupNs()
 *   publish gauges (round, height)
 * </pre>
 *
 * Commits reach the {@link PayloadSink} synchronously inside the core's calls.
 */
final class ValidatorAgent implements Agent {
    /** The node's ConsensusAgent.FRAGMENT_LIMIT. */
    static final int FRAGMENT_LIMIT = 32;

    private final String roleName;
    private final EpochNanoClock clock;
    private final ConsensusTransport transport;
    private final ManyToOneConcurrentArrayQueue<byte[]> submitted;
    private final int drainLimit;
    private final ConsensusCore core;
    private final ConsensusAdapter adapter;
    private final ConsensusTransport.Receiver receiver = this::onMessage;
    private long nowNs;
    private long refused;
    private volatile long round;
    private volatile long height;
    private volatile long refusedGauge;

    ValidatorAgent(final String roleName, final EpochNanoClock clock, final ConsensusTransport transport,
                   final ManyToOneConcurrentArrayQueue<byte[]> submitted, final int drainLimit,
                   final ConsensusCore core, final ConsensusAdapter adapter) {
        this.roleName = roleName;
        this.clock = clock;
        this.transport = transport;
        this.submitted = submitted;
        this.drainLimit = drainLimit;
        this.core = core;
        this.adapter = adapter;
    }

    @Override
    public int doWork() {
        nowNs = clock.nanoTime();
        int work = transport.poll(receiver, FRAGMENT_LIMIT);
        work += drainSubmitted();
        if (nowNs >= core.nextWakeupNs()) {
            core.tick(nowNs);
            work++;
        }
        round = core.quorumRound();
        height = core.height();
        return work;
    }

    private void onMessage(final int from, final byte[] message) {
        adapter.onMessage(from, message, nowNs);
    }

    private int drainSubmitted() {
        int drained = 0;
        byte[] payload;
        while (drained < drainLimit && (payload = submitted.poll()) != null) {
            if (!core.submit(payload)) {
                refusedGauge = ++refused;
            }
            drained++;
        }
        return drained;
    }

    /** The core's quorum round, as of the last duty cycle. */
    long round() {
        return round;
    }

    long height() {
        return height;
    }

    /** Payloads the core's mempool refused (full) so far. */
    long refused() {
        return refusedGauge;
    }

    @Override
    public String roleName() {
        return roleName;
    }
}
