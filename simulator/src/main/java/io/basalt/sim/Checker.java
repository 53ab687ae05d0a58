package io.basalt.sim;

import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import io.basalt.protocol.Templates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The oracles of one shard's consensus and execution.
 *
 * <ul>
 *   <li><b>Agreement</b>: the committed sequences of honest validators are prefixes of one another.
 *       Checked at every commit against the first honest validator to reach that height (the
 *       <em>canonical</em> one), through a hash chain over leaders and the digests of every
 *       committed block.</li>
 *   <li><b>Same state</b>: after every height, every honest validator's state digest (chained by
 *       execution over every after-image) equals the canonical one.</li>
 *   <li><b>Integrity</b>: only submitted transactions are committed (certified cross-shard batches
 *       are system transactions, judged by {@link LedgerChecker}), each at most as often per
 *       validator's sequence as it was submitted to the shard, and heights are contiguous from 1
 *       (exactly-once output, also across restarts).</li>
 *   <li><b>Liveness</b>: after the faults heal, every transaction submitted to a correct validator
 *       (honest, never crashed) is committed by every correct validator before the run ends.</li>
 * </ul>
 */
final class Checker {
    private final Scenario scenario;
    private final int shard;
    private final Violations violations;
    private final long[][] chains;
    private final int[] heights;
    private final List<Map<Long, Integer>> committedNonces = new ArrayList<>();
    private final Map<Long, Submission> submissions = new TreeMap<>();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private long[] canonical = new long[1024];
    private long[] canonicalDigests = new long[1024];
    private int canonicalHeight;

    /** A client transaction on this shard: where and when it was submitted and when it was first committed. */
    static final class Submission {
        final long nonce;
        final int validator;
        final long submittedNs;
        final List<Integer> validators = new ArrayList<>(2);
        long firstCommitNs = -1;
        long commitAtSubmitterNs = -1;

        Submission(final long nonce, final int validator, final long submittedNs) {
            this.nonce = nonce;
            this.validator = validator;
            this.submittedNs = submittedNs;
            validators.add(validator);
        }
    }

    Checker(final Scenario scenario, final int shard, final Violations violations) {
        this.scenario = scenario;
        this.shard = shard;
        this.violations = violations;
        this.chains = new long[scenario.validators()][];
        this.heights = new int[scenario.validators()];
        for (int v = 0; v < scenario.validators(); v++) {
            chains[v] = new long[64];
            committedNonces.add(new HashMap<>());
        }
    }

    void onSubmit(final long nonce, final int validator, final long nowNs) {
        final Submission existing = submissions.get(nonce);
        if (existing == null) {
            submissions.put(nonce, new Submission(nonce, validator, nowNs));
        } else {
            existing.validators.add(validator);
        }
    }

    /**
     * A validator committed a sub-DAG. Returns whether it is the canonical validator of that height
     * (honest and the first to reach it), whose execution the network-wide checker follows.
     */
    boolean onCommit(final int validator, final CommittedSubDag subDag, final long nowNs) {
        final boolean honest = scenario.behaviour(shard, validator) == Behaviour.HONEST;
        if (subDag.height() != heights[validator] + 1L) {
            violations.add("integrity: " + who(validator) + " emitted height " + subDag.height()
                + " after " + heights[validator]);
            return false;
        }
        final long previous = heights[validator] == 0 ? 0 : chains[validator][heights[validator] - 1];
        final long link = chain(previous, subDag);
        final int h = heights[validator]++;
        if (h == chains[validator].length) {
            chains[validator] = Arrays.copyOf(chains[validator], h * 2);
        }
        chains[validator][h] = link;
        final boolean first = honest && checkAgreement(validator, h, link, subDag);
        for (final Block block : subDag.blocks()) {
            view.wrap(block.encoded());
            for (int i = 0; i < block.transactionCount(); i++) {
                final int offset = block.transactionOffset(i);
                if (Templates.templateId(view, offset) != Templates.CERTIFIED_MESSAGE) {
                    checkTransaction(validator, honest, SimCrypto.nonce(block.encoded(), offset), nowNs);
                }
            }
        }
        return first;
    }

    /** Returns true when this validator is the first honest one at height h + 1. */
    private boolean checkAgreement(final int validator, final int h, final long link, final CommittedSubDag subDag) {
        if (h == canonicalHeight) {
            if (h == canonical.length) {
                canonical = Arrays.copyOf(canonical, h * 2);
                canonicalDigests = Arrays.copyOf(canonicalDigests, h * 2);
            }
            canonical[canonicalHeight++] = link;
            return true;
        }
        if (canonical[h] != link) {
            violations.add("agreement: " + who(validator) + " committed a different sub-DAG at height "
                + subDag.height() + " (leader " + subDag.leader() + ")");
        }
        return false;
    }

    /** The state digest validator {@code validator} reached at {@code height}; the canonical one sets it. */
    void onState(final int validator, final long height, final byte[] digest, final boolean canonicalValidator) {
        if (scenario.behaviour(shard, validator) != Behaviour.HONEST || height > canonicalHeight) {
            return;
        }
        final long d = prefix(digest);
        final int h = (int) height - 1;
        if (canonicalValidator) {
            canonicalDigests[h] = d;
        } else if (canonicalDigests[h] != d) {
            violations.add("state: " + who(validator) + " reached a different state digest at height " + height
                + " than the first honest validator there");
        }
    }

    private void checkTransaction(final int validator, final boolean honest, final long nonce, final long nowNs) {
        final Submission submission = submissions.get(nonce);
        if (submission == null) {
            if (honest) {
                violations.add("integrity: " + who(validator) + " committed a transaction nobody submitted (nonce "
                    + nonce + ")");
            }
            return;
        }
        final int times = committedNonces.get(validator).merge(nonce, 1, Integer::sum);
        if (times > submission.validators.size() && honest) {
            violations.add("integrity: " + who(validator) + " committed nonce " + nonce + " " + times
                + " times, submitted " + submission.validators.size());
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
            if (!submittedToCorrect(s) || s.submittedNs > livenessDeadlineNs) {
                continue;
            }
            for (int v = 0; v < scenario.validators(); v++) {
                if (scenario.isCorrect(shard, v) && !committedNonces.get(v).containsKey(s.nonce)) {
                    missing++;
                    if (example == null) {
                        example = "nonce " + s.nonce + " (submitted to " + s.validators + " at "
                            + s.submittedNs / Scenario.MS + " ms) not committed by " + who(v);
                    }
                }
            }
        }
        if (missing > 0) {
            violations.add("liveness: " + missing + " (transaction, correct validator) pairs uncommitted"
                + (scenario.shards() > 1 ? " in shard " + shard : "") + ", e.g. " + example);
        }
        for (int v = 0; v < scenario.validators(); v++) {
            if (scenario.isCorrect(shard, v) && heights[v] == 0) {
                violations.add("liveness: correct " + who(v) + " committed nothing");
            }
        }
    }

    private boolean submittedToCorrect(final Submission s) {
        for (final int v : s.validators) {
            if (scenario.isCorrect(shard, v)) {
                return true;
            }
        }
        return false;
    }

    private String who(final int validator) {
        return scenario.shards() > 1 ? "validator " + shard + "/" + validator : "validator " + validator;
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

    private static long prefix(final byte[] digest) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (digest[i] & 0xFF);
        }
        return p;
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
}
