package io.basalt.sim;

import java.util.List;

/**
 * What a run produced: the violations the checkers found (empty means it passed) and the
 * numbers worth reporting.
 *
 * @param canonicalHeight the lowest height any shard reached (with one shard: its height)
 */
public record SimResult(
    Scenario scenario,
    List<String> violations,
    long canonicalHeight,
    long committedTransactions,
    long submittedTransactions,
    long events,
    long maxDagBlocks,
    long maxPendingBlocks,
    long maxStoredBlocks,
    long rejectedMessages,
    long finalRound,
    Histogram leaderLatencyNs,
    Histogram transactionLatencyNs,
    long wallNanos,
    CrossShard cross) {

    /**
     * Cross-shard traffic of a run: what the relays sent (BatchSignature and BatchAck messages and
     * their bytes), the certified batches consensus carried in blocks (every copy), what settled,
     * how much the faults and the adversaries did, and the longest a batch cut after healing took
     * from being cut at its source to being applied at its destination ({@code maxHopNs}), and what
     * execution answered to the certified batches in blocks (applied, duplicate, refused...);
     * {@code drainChecked}: the tail was quiet, so the end demanded empty escrows, outboxes and relays.
     */
    public record CrossShard(long signatureMessages, long signatureBytes, long ackMessages, long ackBytes, long ackRepeats,
                             long certifiedInBlocks, long certifiedBytes, long crossTransfers, long settledTransfers,
                             long swapsCommitted, long swapsAborted, long networkFaults, long byzantineActs,
                             long maxHopNs, java.util.Map<io.basalt.protocol.ExecResult, Long> certifiedResults,
                             boolean drainChecked) {
        public long messages() {
            return signatureMessages + ackMessages;
        }

        public long bytes() {
            return signatureBytes + ackBytes + certifiedBytes;
        }
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /** One line for logs; a failing run says how to replay it. */
    public String summary() {
        final String verdict = passed() ? "PASS" : "FAIL " + violations;
        final String crossShard = scenario.shards() == 1 ? "" : " xfers=" + cross.settledTransfers() + "/"
            + cross.crossTransfers() + " swaps=" + cross.swapsCommitted() + "+" + cross.swapsAborted() + "ab"
            + " xmsgs=" + cross.messages() + " certified=" + cross.certifiedInBlocks()
            + new java.util.TreeMap<>(cross.certifiedResults())
            + " xfaults=" + cross.networkFaults() + " byz=" + cross.byzantineActs()
            + " maxHop=" + cross.maxHopNs() / Scenario.MS + "ms";
        return verdict + " | " + scenario + " | height=" + canonicalHeight + " round=" + finalRound
            + " txs=" + committedTransactions + "/" + submittedTransactions + crossShard
            + " rejected=" + rejectedMessages + " maxDag=" + maxDagBlocks + " maxPending=" + maxPendingBlocks
            + " events=" + events + " wall=" + wallNanos / 1_000_000 + "ms"
            + (passed() ? "" : " | replay: " + scenario.replayCommand());
    }
}
