package io.basalt.perf.consensus;

import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Offers payloads at a fixed rate whatever the cluster does (open loop): payload k of a run is due at
 * {@code startNs + k / rate}, and that intended time, not the moment it was actually handed over, is
 * where its latency starts. Payloads go round-robin to the validators by sequence number. Between
 * batches the thread parks briefly, so it costs little CPU on a shared box; at high rates each batch
 * catches up on everything that fell due.
 */
final class OpenLoopSubmitter {
    /** Most payloads handed over before the clock is read again. */
    static final int MAX_BATCH = 4_096;
    /** Sleep when caught up: about the shortest park Linux gives. */
    static final long PARK_NS = 50_000L;

    private final ConsensusOnlyCluster cluster;
    private final Payloads payloads;
    private long nextSeq;

    OpenLoopSubmitter(final ConsensusOnlyCluster cluster, final long firstSeq) {
        this.cluster = cluster;
        this.payloads = new Payloads(cluster.options().payloadBytes());
        this.nextSeq = firstSeq;
    }

    /** Offers at {@code ratePerSecond} from {@code startNs} until {@code endNs} on this thread; returns payloads offered. */
    long run(final double ratePerSecond, final long startNs, final long endNs, final Step step) {
        final EpochNanoClock clock = cluster.clock();
        final double nsPerPayload = 1e9 / ratePerSecond;
        long sent = 0;
        while (true) {
            final long nowNs = clock.nanoTime();
            if (nowNs >= endNs) {
                break;
            }
            final long due = nowNs < startNs ? 0 : 1 + (long) ((nowNs - startNs) / nsPerPayload);
            int batch = 0;
            while (sent < due && batch < MAX_BATCH) {
                final long intendedNs = startNs + (long) (sent * nsPerPayload);
                if (intendedNs >= endNs) {
                    break;
                }
                final long seq = nextSeq++;
                final boolean accepted = cluster.offer(seq, intendedNs, payloads.create(seq));
                if (step.inWindow(intendedNs)) {
                    step.submittedInWindow++;
                    if (!accepted) {
                        step.refusedInWindow++;
                    }
                }
                sent++;
                batch++;
            }
            if (sent >= due) {
                LockSupport.parkNanos(PARK_NS);
            }
        }
        step.submitterPublished = sent;
        return sent;
    }

    long nextSeq() {
        return nextSeq;
    }
}
