package io.basalt.perf.load;

/**
 * The kinds of transaction the multi-shard workload mixes, and what each one's latency is measured
 * to (see {@link Series}).
 */
enum TxKind {
    /** A Transfer of asset 0 between two accounts of one shard: done at COMMITTED. */
    SAME_SHARD_TRANSFER("same-shard transfer"),
    /** A Transfer of asset 0 to an account of another shard: COMMITTED on the source, then SETTLED. */
    CROSS_SHARD_TRANSFER("cross-shard transfer"),
    /** A Swap between parties of two shards (each gives its shard's asset): SETTLED on each shard. */
    CROSS_SHARD_SWAP("cross-shard swap");

    private final String label;

    TxKind(final String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Whether the transaction goes on to SETTLED events after COMMITTED. */
    boolean crossShard() {
        return this != SAME_SHARD_TRANSFER;
    }

    private static final TxKind[] VALUES = values();

    static TxKind of(final int ordinal) {
        return VALUES[ordinal];
    }
}
