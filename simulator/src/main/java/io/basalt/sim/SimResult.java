package io.basalt.sim;

import java.util.List;

/**
 * What a run produced: the violations the checkers found (empty means it passed) and the
 * numbers worth reporting.
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
    long wallNanos) {

    public boolean passed() {
        return violations.isEmpty();
    }

    /** One line for logs; a failing run says how to replay it. */
    public String summary() {
        final String verdict = passed() ? "PASS" : "FAIL " + violations;
        return verdict + " | " + scenario + " | height=" + canonicalHeight + " round=" + finalRound
            + " txs=" + committedTransactions + "/" + submittedTransactions
            + " rejected=" + rejectedMessages + " maxDag=" + maxDagBlocks + " maxPending=" + maxPendingBlocks
            + " events=" + events + " wall=" + wallNanos / 1_000_000 + "ms"
            + (passed() ? "" : " | replay: scripts/sim --seed " + scenario.seed());
    }
}
