package io.basalt.node.runtime;

import io.basalt.dag.RejectReason;
import io.basalt.node.metrics.ValidatorRegistry;
import io.basalt.node.net.CrossShardCounters;
import io.basalt.node.net.TransportCounters;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import io.basalt.xshard.CrossShardRelay;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToLongFunction;

/**
 * A validator's counters, gauges and latency histograms, in its own Prometheus registry
 * ({@link ValidatorRegistry}: labelled shard and validator, with JVM, process and build metrics).
 * The names are documented in docs/metrics.md.
 *
 * <p>Writers are the threads that own each value (the consensus agent its gauges, the execution
 * thread its counters, submitters theirs) and write plain atomics or volatile fields, which the
 * registry reads through callbacks at scrape time. Latencies are classic Prometheus histograms
 * ({@link ValidatorRegistry#LATENCY_BUCKETS}), cumulative over the node's life, so
 * {@code histogram_quantile(rate(..._bucket[5m]))} gives the percentiles of any window; their
 * {@code observe} is lock-free outside a scrape.
 */
public final class NodeMetrics {
    /**
     * Where a transaction's time goes between submit and its finality event on this validator, for
     * the transactions it admitted and put in its own blocks. Consecutive: they add up to the total.
     */
    public enum Stage {
        /** Submit → admitted: decode, signature, precheck, in-flight set. */
        ADMISSION("admission"),
        /** Admitted → put in an own block by the consensus agent. */
        QUEUED("queued"),
        /** Own block proposed → blocks of a quorum reference it. */
        QUORUM("quorum"),
        /** Received by a quorum → its leader committed (the sub-DAG handed to execution). */
        COMMIT("commit"),
        /** Committed → this transaction executed. */
        EXECUTE("execute"),
        /** Executed → its COMMITTED event handed to every subscriber (gateways, listeners). */
        DELIVER("deliver");

        final String label;

        Stage(final String label) {
            this.label = label;
        }
    }

    public final AtomicLong submitted = new AtomicLong();
    public final AtomicLong admitted = new AtomicLong();
    private final AtomicLongArray rejected = new AtomicLongArray(RejectCode.values().length);
    /** Admitted transactions the core's mempool refused (should stay 0: admission bounds the queue). */
    public final AtomicLong mempoolRefused = new AtomicLong();
    public final AtomicLong transactionsExecuted = new AtomicLong();
    private final AtomicLongArray results = new AtomicLongArray(ExecResult.values().length);
    /** Cross-shard outcomes final on this shard: receipts credited, swaps decided. */
    public final AtomicLong transactionsSettled = new AtomicLong();
    /** Batches this shard's execution cut for other shards. */
    public final AtomicLong batchesCut = new AtomicLong();
    /** Set once when the node runs a cross-shard agent; read by scrapes. */
    volatile CrossShardRelay.Counters relay;
    volatile CrossShardCounters crossShardTransport;
    public final AtomicLong subDagsExecuted = new AtomicLong();
    /** Commits that found the execution ring full and waited in the consensus agent's overflow. */
    public final AtomicLong executionRingFull = new AtomicLong();

    // Gauges published by the consensus agent.
    public volatile long round;
    /** Set by the consensus agent: the core is fetching rounds it fell behind on. */
    public volatile boolean catchingUp;
    public volatile long committedHeight;
    public volatile long mempoolSize;
    public volatile long dagSize;
    public volatile long pendingBlocks;
    private final AtomicLongArray consensusRejects = new AtomicLongArray(RejectReason.values().length);
    public volatile long malformedMessages;
    /** Cumulative, from the core: proposals made after the leader timeout expired. */
    public volatile long leaderTimeouts;
    /** Cumulative, from the core: leader slots decided SKIP. */
    public volatile long skippedSlots;
    /** Peers' blocks verified off the consensus agent, and those dropped because the stage was full. */
    public final AtomicLong blocksVerified = new AtomicLong();
    public final AtomicLong blocksVerifyDropped = new AtomicLong();
    /** Copies of blocks that arrived while the first copy was still being verified. */
    public final AtomicLong blocksVerifyDeduplicated = new AtomicLong();
    /** Transaction signatures in peers' blocks not checked again: this validator verified the same bytes at admission. */
    public final AtomicLong signaturesAlreadyVerified = new AtomicLong();
    /** Transaction signatures in peers' blocks the block stage found valid. */
    public final AtomicLong blockSignaturesVerified = new AtomicLong();

    // Gauges published by the execution thread.
    public volatile long executedHeight;

    private final Histogram admissionLatency;
    private final Histogram commitLatency;
    private final Histogram applyTime;
    /** The stage histogram's series, one per stage, looked up once rather than on every record. */
    private final DistributionDataPoint[] stageLatency = new DistributionDataPoint[Stage.values().length];

    private final TransportCounters transport;
    private final ValidatorRegistry registry;

    public NodeMetrics(final int shardId, final int validatorIndex, final TransportCounters transport) {
        this.transport = transport;
        this.registry = new ValidatorRegistry(shardId, validatorIndex).withBuildInfo().withJvmMetrics();
        registerCounters();
        registerTransport();
        registerCrossShard();
        admissionLatency = registry.latencyHistogram("basalt_admission_latency_seconds",
            "Submit call to admission decision.");
        commitLatency = registry.latencyHistogram("basalt_commit_latency_seconds",
            "Admission to execution of a committed transaction.");
        applyTime = registry.latencyHistogram("basalt_apply_seconds", "Time to execute one committed sub-DAG.");
        final Histogram stages = registry.latencyHistogram("basalt_stage_seconds",
            "Time of a transaction admitted here and proposed in an own block, by stage "
                + "(admission, queued, quorum, commit, execute, deliver; consecutive).", "stage");
        for (final Stage stage : Stage.values()) {
            stageLatency[stage.ordinal()] = stages.labelValues(stage.label);
        }
    }

    /** One transaction's time in one stage. Negative spans (clocks of different threads) count as 0. */
    public void recordStageNs(final Stage stage, final long ns) {
        stageLatency[stage.ordinal()].observe(seconds(ns));
    }

    public void rejected(final RejectCode code) {
        rejected.incrementAndGet(code.ordinal());
    }

    public long rejectedCount(final RejectCode code) {
        return rejected.get(code.ordinal());
    }

    /** Called by the consensus agent with the core's cumulative count for one reason. */
    public void consensusRejects(final RejectReason reason, final long count) {
        consensusRejects.lazySet(reason.ordinal(), count);
    }

    public long consensusRejectCount(final RejectReason reason) {
        return consensusRejects.get(reason.ordinal());
    }

    public void recordAdmissionNs(final long ns) {
        admissionLatency.observe(seconds(ns));
    }

    public void recordCommitNs(final long ns) {
        commitLatency.observe(seconds(ns));
    }

    public void recordApplyNs(final long ns) {
        applyTime.observe(seconds(ns));
    }

    public TransportCounters transport() {
        return transport;
    }

    /** The registry this validator's /metrics renders; the node adds its client gateway's counters to it. */
    public ValidatorRegistry registry() {
        return registry;
    }

    /** Nanoseconds as the seconds a histogram observes; a negative span (clocks of two threads) is 0. */
    private static double seconds(final long ns) {
        return Math.max(0, ns) / 1e9;
    }

    /** Prometheus text exposition format 0.0.4 of everything in {@link #registry()}. */
    public String render() {
        return registry.render();
    }

    private void registerCounters() {
        final ValidatorRegistry r = registry;
        r.counter("basalt_tx_submitted_total", "Transactions submitted to this validator.", submitted::get);
        r.counter("basalt_tx_admitted_total", "Transactions admitted (ACCEPTED).", admitted::get);
        r.counters("basalt_tx_rejected_total", "Submissions refused, by reject code.", cb -> {
            for (final RejectCode code : RejectCode.values()) {
                if (code != RejectCode.NONE) {
                    cb.call(rejected.get(code.ordinal()), code.name());
                }
            }
        }, "code");
        r.counter("basalt_tx_mempool_refused_total", "Admitted transactions the consensus mempool refused.",
            mempoolRefused::get);
        r.counter("basalt_tx_executed_total", "Committed transactions executed.", transactionsExecuted::get);
        r.counters("basalt_tx_results_total", "Executed transactions, by execution result.", cb -> {
            for (final ExecResult result : ExecResult.values()) {
                cb.call(results.get(result.ordinal()), result.name());
            }
        }, "result");
        r.counter("basalt_tx_settled_total", "Cross-shard outcomes final on this shard.", transactionsSettled::get);
        r.counter("basalt_xshard_batches_cut_total", "Batches cut for other shards.", batchesCut::get);
        r.counter("basalt_subdags_executed_total", "Committed sub-DAGs executed.", subDagsExecuted::get);
        r.counter("basalt_execution_ring_full_total", "Commits that waited for room in the execution ring.",
            executionRingFull::get);
        r.gauge("basalt_consensus_round", "Highest round holding a quorum of blocks.", () -> round);
        r.gauge("basalt_committed_height", "Committed sub-DAGs.", () -> committedHeight);
        r.gauge("basalt_executed_height", "Executed sub-DAGs.", () -> executedHeight);
        r.gauge("basalt_mempool_transactions", "Transactions waiting to be proposed.", () -> mempoolSize);
        r.gauge("basalt_dag_blocks", "Blocks held in the DAG.", () -> dagSize);
        r.gauge("basalt_pending_blocks", "Blocks waiting for ancestors.", () -> pendingBlocks);
        r.counters("basalt_consensus_rejects_total", "Blocks and messages from peers the core refused, by reason.",
            cb -> {
                for (final RejectReason reason : RejectReason.values()) {
                    cb.call(consensusRejects.get(reason.ordinal()), reason.name());
                }
            }, "reason");
        r.counter("basalt_consensus_malformed_total", "Consensus messages that did not decode.", () -> malformedMessages);
        r.counter("basalt_consensus_leader_timeouts_total",
            "Proposals made without every leader of the previous round, after the leader timeout.", () -> leaderTimeouts);
        r.counter("basalt_consensus_skipped_slots_total", "Leader slots decided SKIP.", () -> skippedSlots);
        r.counter("basalt_blocks_verified_total", "Peers' blocks verified by the parallel block stage.",
            blocksVerified::get);
        r.counter("basalt_blocks_verify_dropped_total", "Peers' blocks dropped because the block stage was full.",
            blocksVerifyDropped::get);
        r.counter("basalt_blocks_verify_deduplicated_total",
            "Copies of peers' blocks that arrived while the first copy was being verified.", blocksVerifyDeduplicated::get);
        r.counter("basalt_block_tx_signatures_verified_total", "Transaction signatures in peers' blocks found valid.",
            blockSignaturesVerified::get);
        r.counter("basalt_block_tx_signatures_skipped_total",
            "Transaction signatures in peers' blocks this validator had verified at admission.",
            signaturesAlreadyVerified::get);
    }

    private void registerTransport() {
        final ValidatorRegistry r = registry;
        final TransportCounters t = transport;
        r.counter("basalt_net_messages_sent_total", "Consensus messages sent.", t.messagesSent::get);
        r.counter("basalt_net_bytes_sent_total", "Consensus bytes sent.", t.bytesSent::get);
        r.counter("basalt_net_messages_received_total", "Consensus messages received.", t.messagesReceived::get);
        r.counter("basalt_net_bytes_received_total", "Consensus bytes received.", t.bytesReceived::get);
        r.counters("basalt_net_dropped_sends_total", "Sends dropped without blocking, by cause.", cb -> {
            cb.call(t.droppedBackPressured.get(), "back_pressure");
            cb.call(t.droppedNotConnected.get(), "not_connected");
            cb.call(t.droppedClosed.get(), "closed");
            cb.call(t.droppedOversized.get(), "oversized");
        }, "cause");
        r.counter("basalt_net_malformed_headers_total", "Received messages with a missing or foreign header.",
            t.malformedHeaders::get);
        r.counters("basalt_net_unauthenticated_total",
            "Received messages dropped before the core: tag not from the named peer, or a replayed sequence.", cb -> {
                cb.call(t.unauthenticated.get(), "tag");
                cb.call(t.replayed.get(), "replay");
            }, "reason");
    }

    /** One executed transaction's result. */
    public void executed(final ExecResult result) {
        results.incrementAndGet(result.ordinal());
    }

    /**
     * The cross-shard series, registered always but empty (no sample) until the node runs a
     * cross-shard agent and sets {@link #relay} and {@link #crossShardTransport}.
     */
    private void registerCrossShard() {
        xshard("basalt_xshard_batches_signed_total", "Outbound batches this validator signed.", r -> r.batchesSigned);
        xshard("basalt_xshard_batch_sends_total", "Outbound batches sent (first sends and retries).", r -> r.batchSends);
        xshard("basalt_xshard_batches_acknowledged_total", "Outbound batches f+1 of the destination acknowledged.",
            r -> r.batchesAcknowledged);
        xshard("basalt_xshard_signatures_accepted_total", "Inbound batch signatures that verified.",
            r -> r.signaturesAccepted);
        xshard("basalt_xshard_certificates_total", "Inbound batches certified by 2f+1 of their source.",
            r -> r.certificatesFormed);
        xshard("basalt_xshard_proposals_total", "Certified batches put into this validator's mempool.", r -> r.proposals);
        xshard("basalt_xshard_acks_sent_total", "Acknowledgements of applied streams sent.", r -> r.acksSent);
        xshard("basalt_xshard_acks_accepted_total", "Acknowledgements from destinations that verified.",
            r -> r.acksAccepted);
        registry.counters("basalt_xshard_rejected_total", "Cross-shard messages refused, by reason.", cb -> {
            final CrossShardRelay.Counters r = relay;
            if (r != null) {
                cb.call(r.malformed, "malformed");
                cb.call(r.badSignatures, "bad_signature");
                cb.call(r.staleBatches, "stale");
                cb.call(r.aheadDropped, "too_far_ahead");
                cb.call(r.conflictingRoots, "conflicting_root");
            }
        }, "reason");
        xshardTransport("basalt_xshard_messages_sent_total", "Cross-shard messages sent.", t -> t.messagesSent.get());
        xshardTransport("basalt_xshard_bytes_sent_total", "Cross-shard bytes sent.", t -> t.bytesSent.get());
        xshardTransport("basalt_xshard_messages_received_total", "Cross-shard messages received.",
            t -> t.messagesReceived.get());
        xshardTransport("basalt_xshard_bytes_received_total", "Cross-shard bytes received.", t -> t.bytesReceived.get());
        xshardTransport("basalt_xshard_dropped_sends_total", "Cross-shard sends dropped without blocking.",
            CrossShardCounters::droppedSends);
        xshardTransport("basalt_xshard_malformed_total", "Cross-shard messages with a bad header.",
            CrossShardCounters::malformed);
        registry.counters("basalt_xshard_unauthenticated_total",
            "Cross-shard messages dropped before the relay: tag not from the named validator, or a replay.", cb -> {
                final CrossShardCounters t = crossShardTransport;
                if (t != null) {
                    cb.call(t.unauthenticated.get(), "tag");
                    cb.call(t.replayed.get(), "replay");
                }
            }, "reason");
    }

    /** A relay counter: no sample until the relay is set. */
    private void xshard(final String name, final String help, final ToLongFunction<CrossShardRelay.Counters> value) {
        registry.counters(name, help, cb -> {
            final CrossShardRelay.Counters r = relay;
            if (r != null) {
                cb.call(value.applyAsLong(r));
            }
        });
    }

    /** A cross-shard transport counter: no sample until the transport is set. */
    private void xshardTransport(final String name, final String help, final ToLongFunction<CrossShardCounters> value) {
        registry.counters(name, help, cb -> {
            final CrossShardCounters t = crossShardTransport;
            if (t != null) {
                cb.call(value.applyAsLong(t));
            }
        });
    }
}
