package io.basalt.dag;

/**
 * A consensus invariant broke: two certified leaders in one slot, a commit that contradicts an
 * earlier one, or a gap in the committed heights. None of these can follow from bad input of up to
 * f Byzantine validators; each means the quorum assumption failed or the code is wrong, and going
 * on would fork the ledger or execute a sub-DAG twice. So the check is always on (not an
 * {@code assert}), the core refuses every later input, and the node reports the message on
 * {@code /health} (as execution does when a money invariant breaks).
 */
public final class ConsensusInvariantViolation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ConsensusInvariantViolation(final String message) {
        super("consensus invariant broken: " + message);
    }
}
