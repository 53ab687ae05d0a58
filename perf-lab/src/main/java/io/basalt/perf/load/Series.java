package io.basalt.perf.load;

/**
 * One latency series of the mixed workload: a kind of transaction and the event it is measured to,
 * always from the transaction's intended send time. Rows of the report, in this order; the
 * headline ones answer "how long until it is done":
 * <ul>
 *   <li>same-shard transfer: COMMITTED on the validator it was sent to;</li>
 *   <li>cross-shard transfer: SETTLED on the destination (the credit is applied there, seen on the
 *       destination shard's validator 0) and SETTLED on the validator it was sent to (f+1 destination
 *       validators acknowledged the batch that carried it);</li>
 *   <li>cross-shard swap: SETTLED on the validator it was sent to (the submitter's party, partyA,
 *       received partyB's leg).</li>
 * </ul>
 * The others are the steps on the way (COMMITTED on the source) and the swap's other side.
 */
enum Series {
    SAME_COMMITTED(TxKind.SAME_SHARD_TRANSFER, MixedTracker.COMMITTED_HERE, true,
        "COMMITTED on the submitting validator"),
    CROSS_COMMITTED(TxKind.CROSS_SHARD_TRANSFER, MixedTracker.COMMITTED_HERE, false,
        "COMMITTED on the submitting validator (debited on the source)"),
    CROSS_SETTLED_DESTINATION(TxKind.CROSS_SHARD_TRANSFER, MixedTracker.SETTLED_THERE, true,
        "SETTLED on the destination (its validator 0: credit applied)"),
    CROSS_SETTLED_SOURCE(TxKind.CROSS_SHARD_TRANSFER, MixedTracker.SETTLED_HERE, true,
        "SETTLED on the submitting validator (f+1 of the destination acknowledged)"),
    SWAP_COMMITTED(TxKind.CROSS_SHARD_SWAP, MixedTracker.COMMITTED_HERE, false,
        "COMMITTED on the submitting validator (ordered, own leg escrowed)"),
    SWAP_SETTLED(TxKind.CROSS_SHARD_SWAP, MixedTracker.SETTLED_HERE, true,
        "SETTLED on the submitting validator (its party received its leg)"),
    SWAP_SETTLED_OTHER(TxKind.CROSS_SHARD_SWAP, MixedTracker.SETTLED_THERE, false,
        "SETTLED on the counterparty's shard (its validator 0)");

    private final TxKind kind;
    private final int slot;
    private final boolean headline;
    private final String event;

    Series(final TxKind kind, final int slot, final boolean headline, final String event) {
        this.kind = kind;
        this.slot = slot;
        this.headline = headline;
        this.event = event;
    }

    TxKind kind() {
        return kind;
    }

    /** Which of {@link MixedTracker}'s per-transaction times this series reads. */
    int slot() {
        return slot;
    }

    boolean headline() {
        return headline;
    }

    /** What the latency is measured to. */
    String event() {
        return event;
    }

    /** A file-name-friendly name: {@code same-committed}, {@code cross-settled-destination}, … */
    String fileName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
