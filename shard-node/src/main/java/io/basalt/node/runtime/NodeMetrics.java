package io.basalt.node.runtime;

import io.basalt.dag.RejectReason;
import io.basalt.protocol.RejectCode;
import io.basalt.node.net.CrossShardCounters;
import io.basalt.node.net.TransportCounters;
import io.basalt.protocol.ExecResult;
import io.basalt.xshard.CrossShardRelay;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A validator's counters, gauges and latency histograms, rendered as Prometheus text.
 *
 * <p>Writers are the threads that own each value (the consensus agent its gauges, the execution
 * thread its counters, submitters theirs); recording is lock-free. A scrape takes the interval
 * histograms from the HdrHistogram recorders and adds them to running totals, so quantiles are over
 * the node's whole life, like a Prometheus summary without a window.
 */
public final class NodeMetrics {
    private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999, 1.0};
    /** Upper bounds of the stage histograms' buckets, in seconds (+Inf is added). */
    static final double[] STAGE_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10};

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

    private final Recorder admissionLatency = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    private final Recorder commitLatency = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    private final Recorder applyTime = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram admissionTotal = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram commitTotal = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram applyTotal = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final Recorder[] stageLatency = new Recorder[Stage.values().length];
    private final Histogram[] stageTotal = new Histogram[Stage.values().length];

    private final TransportCounters transport;
    private final String labels;

    public NodeMetrics(final int shardId, final int validatorIndex, final TransportCounters transport) {
        this.transport = transport;
        this.labels = "shard=\"" + shardId + "\",validator=\"" + validatorIndex + "\"";
        for (final Stage stage : Stage.values()) {
            stageLatency[stage.ordinal()] = new Recorder(HIGHEST_TRACKABLE_NS, 3);
            stageTotal[stage.ordinal()] = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        }
    }

    /** One transaction's time in one stage. Negative spans (clocks of different threads) count as 0. */
    public void recordStageNs(final Stage stage, final long ns) {
        stageLatency[stage.ordinal()].recordValue(clamp(ns));
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
        admissionLatency.recordValue(clamp(ns));
    }

    public void recordCommitNs(final long ns) {
        commitLatency.recordValue(clamp(ns));
    }

    public void recordApplyNs(final long ns) {
        applyTime.recordValue(clamp(ns));
    }

    public TransportCounters transport() {
        return transport;
    }

    private static long clamp(final long ns) {
        return Math.max(0, Math.min(ns, HIGHEST_TRACKABLE_NS));
    }

    /** Prometheus text exposition format 0.0.4. */
    public synchronized String render() {
        final StringBuilder out = new StringBuilder(8192);
        counter(out, "basalt_tx_submitted_total", "Transactions submitted to this validator.", submitted.get());
        counter(out, "basalt_tx_admitted_total", "Transactions admitted (ACCEPTED).", admitted.get());
        header(out, "basalt_tx_rejected_total", "Submissions refused, by reject code.", "counter");
        for (final RejectCode code : RejectCode.values()) {
            if (code != RejectCode.NONE) {
                sample(out, "basalt_tx_rejected_total", "code=\"" + code.name() + "\"", rejected.get(code.ordinal()));
            }
        }
        counter(out, "basalt_tx_mempool_refused_total", "Admitted transactions the consensus mempool refused.",
            mempoolRefused.get());
        counter(out, "basalt_tx_executed_total", "Committed transactions executed.", transactionsExecuted.get());
        header(out, "basalt_tx_results_total", "Executed transactions, by execution result.", "counter");
        for (final ExecResult result : ExecResult.values()) {
            sample(out, "basalt_tx_results_total", "result=\"" + result.name() + "\"", results.get(result.ordinal()));
        }
        counter(out, "basalt_tx_settled_total", "Cross-shard outcomes final on this shard.", transactionsSettled.get());
        counter(out, "basalt_xshard_batches_cut_total", "Batches cut for other shards.", batchesCut.get());
        counter(out, "basalt_subdags_executed_total", "Committed sub-DAGs executed.", subDagsExecuted.get());
        counter(out, "basalt_execution_ring_full_total", "Commits that waited for room in the execution ring.",
            executionRingFull.get());
        gauge(out, "basalt_consensus_round", "Highest round holding a quorum of blocks.", round);
        gauge(out, "basalt_committed_height", "Committed sub-DAGs.", committedHeight);
        gauge(out, "basalt_executed_height", "Executed sub-DAGs.", executedHeight);
        gauge(out, "basalt_mempool_transactions", "Transactions waiting to be proposed.", mempoolSize);
        gauge(out, "basalt_dag_blocks", "Blocks held in the DAG.", dagSize);
        gauge(out, "basalt_pending_blocks", "Blocks waiting for ancestors.", pendingBlocks);
        header(out, "basalt_consensus_rejects_total", "Blocks and messages from peers the core refused, by reason.",
            "counter");
        for (final RejectReason reason : RejectReason.values()) {
            sample(out, "basalt_consensus_rejects_total", "reason=\"" + reason.name() + "\"",
                consensusRejects.get(reason.ordinal()));
        }
        counter(out, "basalt_consensus_malformed_total", "Consensus messages that did not decode.", malformedMessages);
        counter(out, "basalt_consensus_leader_timeouts_total",
            "Proposals made without every leader of the previous round, after the leader timeout.", leaderTimeouts);
        counter(out, "basalt_consensus_skipped_slots_total", "Leader slots decided SKIP.", skippedSlots);
        counter(out, "basalt_blocks_verified_total", "Peers' blocks verified by the parallel block stage.",
            blocksVerified.get());
        counter(out, "basalt_blocks_verify_dropped_total", "Peers' blocks dropped because the block stage was full.",
            blocksVerifyDropped.get());
        counter(out, "basalt_blocks_verify_deduplicated_total",
            "Copies of peers' blocks that arrived while the first copy was being verified.", blocksVerifyDeduplicated.get());
        counter(out, "basalt_block_tx_signatures_verified_total", "Transaction signatures in peers' blocks found valid.",
            blockSignaturesVerified.get());
        counter(out, "basalt_block_tx_signatures_skipped_total",
            "Transaction signatures in peers' blocks this validator had verified at admission.",
            signaturesAlreadyVerified.get());
        renderTransport(out);
        renderCrossShard(out);
        summary(out, "basalt_admission_latency_seconds", "Submit call to admission decision.", admissionLatency,
            admissionTotal);
        summary(out, "basalt_commit_latency_seconds", "Admission to execution of a committed transaction.",
            commitLatency, commitTotal);
        summary(out, "basalt_apply_seconds", "Time to execute one committed sub-DAG.", applyTime, applyTotal);
        renderStages(out);
        return out.toString();
    }

    private void renderStages(final StringBuilder out) {
        final String name = "basalt_stage_seconds";
        header(out, name, "Time of a transaction admitted here and proposed in an own block, by stage "
            + "(admission, queued, quorum, commit, execute, deliver; consecutive).", "histogram");
        for (final Stage stage : Stage.values()) {
            final Histogram total = stageTotal[stage.ordinal()];
            total.add(stageLatency[stage.ordinal()].getIntervalHistogram());
            final String stageLabel = "stage=\"" + stage.label + "\"";
            for (final double bound : STAGE_BUCKETS) {
                // Exact to the recorder's 3 significant digits: a value within 0.1% above a bound may count under it.
                final long count = total.getTotalCount() == 0 ? 0
                    : total.getCountBetweenValues(0, (long) (bound * 1e9));
                out.append(name).append("_bucket{").append(labels).append(',').append(stageLabel)
                    .append(",le=\"").append(BigDecimal.valueOf(bound).toPlainString()).append("\"} ").append(count).append('\n');
            }
            out.append(name).append("_bucket{").append(labels).append(',').append(stageLabel)
                .append(",le=\"+Inf\"} ").append(total.getTotalCount()).append('\n');
            out.append(name).append("_sum{").append(labels).append(',').append(stageLabel).append("} ")
                .append(seconds((long) (total.getMean() * total.getTotalCount()))).append('\n');
            out.append(name).append("_count{").append(labels).append(',').append(stageLabel).append("} ")
                .append(total.getTotalCount()).append('\n');
        }
    }

    private void renderTransport(final StringBuilder out) {
        counter(out, "basalt_net_messages_sent_total", "Consensus messages sent.", transport.messagesSent.get());
        counter(out, "basalt_net_bytes_sent_total", "Consensus bytes sent.", transport.bytesSent.get());
        counter(out, "basalt_net_messages_received_total", "Consensus messages received.",
            transport.messagesReceived.get());
        counter(out, "basalt_net_bytes_received_total", "Consensus bytes received.", transport.bytesReceived.get());
        header(out, "basalt_net_dropped_sends_total", "Sends dropped without blocking, by cause.", "counter");
        sample(out, "basalt_net_dropped_sends_total", "cause=\"back_pressure\"", transport.droppedBackPressured.get());
        sample(out, "basalt_net_dropped_sends_total", "cause=\"not_connected\"", transport.droppedNotConnected.get());
        sample(out, "basalt_net_dropped_sends_total", "cause=\"closed\"", transport.droppedClosed.get());
        sample(out, "basalt_net_dropped_sends_total", "cause=\"oversized\"", transport.droppedOversized.get());
        counter(out, "basalt_net_malformed_headers_total", "Received messages with a missing or foreign header.",
            transport.malformedHeaders.get());
        header(out, "basalt_net_unauthenticated_total",
            "Received messages dropped before the core: tag not from the named peer, or a replayed sequence.", "counter");
        sample(out, "basalt_net_unauthenticated_total", "reason=\"tag\"", transport.unauthenticated.get());
        sample(out, "basalt_net_unauthenticated_total", "reason=\"replay\"", transport.replayed.get());
    }

    /** One executed transaction's result. */
    public void executed(final ExecResult result) {
        results.incrementAndGet(result.ordinal());
    }

    private void renderCrossShard(final StringBuilder out) {
        final CrossShardRelay.Counters r = relay;
        final CrossShardCounters t = crossShardTransport;
        if (r == null || t == null) {
            return;
        }
        counter(out, "basalt_xshard_batches_signed_total", "Outbound batches this validator signed.", r.batchesSigned);
        counter(out, "basalt_xshard_batch_sends_total", "Outbound batches sent (first sends and retries).", r.batchSends);
        counter(out, "basalt_xshard_batches_acknowledged_total", "Outbound batches f+1 of the destination acknowledged.",
            r.batchesAcknowledged);
        counter(out, "basalt_xshard_signatures_accepted_total", "Inbound batch signatures that verified.",
            r.signaturesAccepted);
        counter(out, "basalt_xshard_certificates_total", "Inbound batches certified by 2f+1 of their source.",
            r.certificatesFormed);
        counter(out, "basalt_xshard_proposals_total", "Certified batches put into this validator's mempool.", r.proposals);
        counter(out, "basalt_xshard_acks_sent_total", "Acknowledgements of applied streams sent.", r.acksSent);
        counter(out, "basalt_xshard_acks_accepted_total", "Acknowledgements from destinations that verified.",
            r.acksAccepted);
        header(out, "basalt_xshard_rejected_total", "Cross-shard messages refused, by reason.", "counter");
        sample(out, "basalt_xshard_rejected_total", "reason=\"malformed\"", r.malformed);
        sample(out, "basalt_xshard_rejected_total", "reason=\"bad_signature\"", r.badSignatures);
        sample(out, "basalt_xshard_rejected_total", "reason=\"stale\"", r.staleBatches);
        sample(out, "basalt_xshard_rejected_total", "reason=\"too_far_ahead\"", r.aheadDropped);
        sample(out, "basalt_xshard_rejected_total", "reason=\"conflicting_root\"", r.conflictingRoots);
        counter(out, "basalt_xshard_messages_sent_total", "Cross-shard messages sent.", t.messagesSent.get());
        counter(out, "basalt_xshard_bytes_sent_total", "Cross-shard bytes sent.", t.bytesSent.get());
        counter(out, "basalt_xshard_messages_received_total", "Cross-shard messages received.", t.messagesReceived.get());
        counter(out, "basalt_xshard_bytes_received_total", "Cross-shard bytes received.", t.bytesReceived.get());
        counter(out, "basalt_xshard_dropped_sends_total", "Cross-shard sends dropped without blocking.", t.droppedSends());
        counter(out, "basalt_xshard_malformed_total", "Cross-shard messages with a bad header.", t.malformed());
        header(out, "basalt_xshard_unauthenticated_total",
            "Cross-shard messages dropped before the relay: tag not from the named validator, or a replay.", "counter");
        sample(out, "basalt_xshard_unauthenticated_total", "reason=\"tag\"", t.unauthenticated.get());
        sample(out, "basalt_xshard_unauthenticated_total", "reason=\"replay\"", t.replayed.get());
    }

    private void counter(final StringBuilder out, final String name, final String help, final long value) {
        header(out, name, help, "counter");
        sample(out, name, null, value);
    }

    private void gauge(final StringBuilder out, final String name, final String help, final long value) {
        header(out, name, help, "gauge");
        sample(out, name, null, value);
    }

    private void summary(final StringBuilder out, final String name, final String help, final Recorder recorder,
                         final Histogram total) {
        total.add(recorder.getIntervalHistogram());
        header(out, name, help, "summary");
        for (final double q : QUANTILES) {
            final long ns = total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(q * 100.0);
            out.append(name).append('{').append(labels).append(",quantile=\"").append(q).append("\"} ")
                .append(seconds(ns)).append('\n');
        }
        out.append(name).append("_sum{").append(labels).append("} ")
            .append(seconds((long) (total.getMean() * total.getTotalCount()))).append('\n');
        out.append(name).append("_count{").append(labels).append("} ").append(total.getTotalCount()).append('\n');
    }

    private static String seconds(final long ns) {
        return String.format(Locale.ROOT, "%.9f", ns / 1e9);
    }

    private static void header(final StringBuilder out, final String name, final String help, final String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(final StringBuilder out, final String name, final String extraLabels, final long value) {
        out.append(name).append('{').append(labels);
        if (extraLabels != null) {
            out.append(',').append(extraLabels);
        }
        out.append("} ").append(value).append('\n');
    }
}
