package io.basalt.dag;

/**
 * Why a block or message from a peer was not accepted. Counted per peer: bad input from the
 * network is never an invariant violation of ours, it is evidence about the sender.
 */
public enum RejectReason {
    MALFORMED("bytes did not decode as a valid message"),
    WRONG_SHARD("block is for another shard"),
    UNKNOWN_AUTHOR("author is not in the committee"),
    BAD_SIGNATURE("block signature does not verify"),
    BAD_TRANSACTION("a transaction in the payload is invalid"),
    BAD_ROUND("round 0 is genesis; blocks start at round 1"),
    TOO_FAR_AHEAD("round is beyond the accepted window"),
    BELOW_GC("round is below the garbage-collection round"),
    BAD_PARENTS("parents break the rules (own previous block first, distinct slots, lower rounds)"),
    NO_PARENT_QUORUM("parents of the previous round do not hold a quorum"),
    BAD_TIMESTAMP("timestamp is below a parent's"),
    TIMESTAMP_AHEAD("timestamp is further ahead of the local clock than the allowed skew"),
    OVER_BUDGET("the peer asked for more blocks than its serving budget"),
    OVERSIZED("payload exceeds the block limits"),
    EQUIVOCATION_SPAM("too many blocks in one (author, round) slot"),
    PENDING_FULL("no room to wait for missing ancestors"),
    DUPLICATE("block already known");

    private final String description;

    RejectReason(final String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
