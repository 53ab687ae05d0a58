package io.basalt.sim;

import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracles of a run.
 *
 * <ul>
 *   <li><b>Agreement</b>: the committed sequences of honest validators are prefixes of one another.
 *       Checked at every commit against the first honest validator to reach that height, through
 *       a hash chain over leaders and the digests of every committed block.</li>
 *   <li><b>Integrity</b>: only submitted transactions are committed, each at most once per
 *       validator's sequence, and heights are contiguous from 1 (exactly-once output, also
 *       across restarts).</li>
 *   <li><b>Liveness</b>: after the faults heal, every transaction submitted to a correct validator
 *       (honest, never crashed) is committed by every correct validator before the run ends.</li>
 * </ul>
 */
final class Checker {
    private final Scenario scenario;
    private final long[][] chains;
    private final int[] heights;
    private final List<Set<Long>> committedNonces = new ArrayList<>();
    private final Map<Long, Submission> submissions = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long[] canonical = new long[1024];
    private int canonicalHeight;

    /** A client transaction: where and when it was submitted and when it was first committed. */
    static final class Submission {
        final long nonce;
        final int validator;
        final long submittedNs;
        long firstCommitNs = -1;
        long commitAtSubmitterNs = -1;

        Submission(final long nonce, final int validator, final long submittedNs) {
            this.nonce = nonce;
            this.validator = validator;
            this.submittedNs = submittedNs;
        }
    }

    Checker(final Scenario scenario) {
        this.scenario = scenario;
        this.chains = new long[scenario.validators()][];
        this.heights = new int[scenario.validators()];
        for (int v = 0; v < scenario.validators(); v++) {
            chains[v] = new long[64];
            committedNonces.add(new HashSet<>());
        }
    }

    void onSubmit(final long nonce, final int validator, final long nowNs) {
        submissions.put(nonce, new Submission(nonce, validator, nowNs));
    }

    void onCommit(final int validator, final CommittedSubDag subDag, final long nowNs, final NonceReader nonces) {
        final boolean honest = scenario.behaviours()[validator] == Behaviour.HONEST;
        if (subDag.height() != heights[validator] + 1L) {
            violation("integrity: validator " + validator + " emitted height " + subDag.height()
                + " after " + heights[validator]);
            return;
        }
        final long previous = heights[validator] == 0 ? 0 : chains[validator][heights[validator] - 1];
        final long link = chain(previous, subDag);
        final int h = heights[validator]++;
        if (h == chains[validator].length) {
            chains[validator] = Arrays.copyOf(chains[validator], h * 2);
        }
        chains[validator][h] = link;
        if (honest) {
            checkAgreement(validator, h, link, subDag);
        }
        for (final Block block : subDag.blocks()) {
            for (int i = 0; i < block.transactionCount(); i++) {
                checkTransaction(validator, honest, nonces.nonce(block.transaction(i)), nowNs);
            }
        }
    }

    private void checkAgreement(final int validator, final int h, final long link, final CommittedSubDag subDag) {
        if (h == canonicalHeight) {
            if (h == canonical.length) {
                canonical = Arrays.copyOf(canonical, h * 2);
            }
            canonical[canonicalHeight++] = link;
        } else if (canonical[h] != link) {
            violation("agreement: validator " + validator + " committed a different sub-DAG at height "
                + subDag.height() + " (leader " + subDag.leader() + ")");
        }
    }

    private void checkTransaction(final int validator, final boolean honest, final long nonce, final long nowNs) {
        final Submission submission = submissions.get(nonce);
        if (submission == null) {
            if (honest) {
                violation("integrity: validator " + validator + " committed a transaction nobody submitted (nonce "
                    + nonce + ")");
            }
            return;
        }
        if (!committedNonces.get(validator).add(nonce) && honest) {
            violation("integrity: validator " + validator + " committed nonce " + nonce + " twice");
        }
        if (submission.firstCommitNs < 0) {
            submission.firstCommitNs = nowNs;
        }
        if (validator == submission.validator && submission.commitAtSubmitterNs < 0) {
            submission.commitAtSubmitterNs = nowNs;
        }
    }

    /** Liveness, checked once at the end of the run. */
    void checkLiveness(final long livenessDeadlineNs) {
        int missing = 0;
        String example = null;
        for (final Submission s : submissions.values()) {
            if (!scenario.isCorrect(s.validator) || s.submittedNs > livenessDeadlineNs) {
                continue;
            }
            for (int v = 0; v < scenario.validators(); v++) {
                if (scenario.isCorrect(v) && !committedNonces.get(v).contains(s.nonce)) {
                    missing++;
                    if (example == null || s.nonce < Long.parseLong(example.split(" ")[1])) {
                        example = "nonce " + s.nonce + " (submitted to " + s.validator + " at "
                            + s.submittedNs / Scenario.MS + " ms) not committed by validator " + v;
                    }
                }
            }
        }
        if (missing > 0) {
            violation("liveness: " + missing + " (transaction, correct validator) pairs uncommitted, e.g. " + example);
        }
        for (int v = 0; v < scenario.validators(); v++) {
            if (scenario.isCorrect(v) && heights[v] == 0) {
                violation("liveness: correct validator " + v + " committed nothing");
            }
        }
    }

    private static long chain(final long previous, final CommittedSubDag subDag) {
        long h = previous * 0x9E3779B97F4A7C15L + subDag.height();
        h = mix(h, subDag.leader().digest());
        for (final Block block : subDag.blocks()) {
            h = mix(h, block.ref().digest());
        }
        return h;
    }

    private static long mix(final long h, final byte[] digest) {
        long x = h;
        for (int i = 0; i < 8; i++) {
            x = (x ^ (digest[i] & 0xFF)) * 0x100000001B3L;
        }
        return x ^ (x >>> 29);
    }

    void crash(final long nowNs, final Throwable e) {
        final java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        final String[] lines = trace.toString().split("\n");
        violation("invariant broken at " + nowNs / Scenario.MS + " ms: "
            + String.join(" <- ", java.util.Arrays.copyOf(lines, Math.min(4, lines.length))).replace('\t', ' '));
    }

    private void violation(final String message) {
        if (violations.size() < 20) {
            violations.add(message);
        }
    }

    List<String> violations() {
        return violations;
    }

    int height(final int validator) {
        return heights[validator];
    }

    int canonicalHeight() {
        return canonicalHeight;
    }

    Iterable<Submission> submissions() {
        return submissions.values();
    }

    /** Reads the client nonce out of a transaction's bytes. */
    @FunctionalInterface
    interface NonceReader {
        long nonce(byte[] transaction);
    }
}
