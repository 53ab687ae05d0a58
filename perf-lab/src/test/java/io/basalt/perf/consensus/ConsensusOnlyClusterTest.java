package io.basalt.perf.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark machinery, tiny: four real cores on Aeron IPC order a few hundred payloads in 2 s,
 * and every payload offered is committed exactly once, in the same order, at every validator.
 */
class ConsensusOnlyClusterTest {
    private static final double RATE = 200;
    private static final long RUN_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long DRAIN_NS = TimeUnit.SECONDS.toNanos(15);

    @Test
    @Timeout(60)
    void everyPayloadIsCommittedExactlyOnceInTheSameOrderEverywhere() {
        final ConsensusOnlyCluster.Options defaults = ConsensusOnlyCluster.Options.defaults();
        final ConsensusOnlyCluster.Options options = new ConsensusOnlyCluster.Options(defaults.validators(),
            defaults.payloadBytes(), defaults.blockSize(), defaults.idleStrategy(), defaults.leaderTimeoutNs(),
            defaults.minRoundIntervalNs(), defaults.idleRoundIntervalNs(), defaults.termLength(), true);
        final int n = options.validators();
        final LongArrayList[] orders = new LongArrayList[n];
        final long offered;
        try (ConsensusOnlyCluster cluster = ConsensusOnlyCluster.start(options)) {
            final long start = cluster.clock().nanoTime();
            final Step step = new Step(Long.MIN_VALUE, Long.MAX_VALUE, n);
            cluster.step(step);
            offered = new OpenLoopSubmitter(cluster, 0).run(RATE, start, start + RUN_NS, step);
            assertEquals(0, step.refusedInWindow, "no queue refused a payload");
            final long deadline = System.nanoTime() + DRAIN_NS;
            while (!allCommitted(step, n, offered) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertEquals(0, cluster.mempoolRefused(), "no mempool refused a payload");
            // close() below joins the agent threads; the orders are read after it.
            for (int v = 0; v < n; v++) {
                orders[v] = cluster.sink(v).order();
            }
            for (int v = 0; v < n; v++) {
                assertEquals(0, cluster.sink(v).foreign(), "only the benchmark's payloads were committed");
            }
        }
        assertTrue(offered >= 300 && offered <= 500, "a few hundred payloads: " + offered);
        final Set<Long> seen = new HashSet<>();
        for (int i = 0; i < orders[0].size(); i++) {
            assertTrue(seen.add(orders[0].getLong(i)), "payload " + orders[0].getLong(i) + " committed twice");
        }
        assertEquals(offered, orders[0].size(), "every offered payload was committed at validator 0");
        for (long seq = 0; seq < offered; seq++) {
            assertTrue(seen.contains(seq), "payload " + seq + " was committed");
        }
        for (int v = 1; v < n; v++) {
            assertEquals(orders[0], orders[v], "validator " + v + " committed in validator 0's order");
        }
    }

    /** Every validator has committed all {@code offered} payloads. */
    private static boolean allCommitted(final Step step, final int n, final long offered) {
        for (int v = 0; v < n; v++) {
            if (PayloadSink.published(step, v) < offered) {
                return false;
            }
        }
        return true;
    }
}
