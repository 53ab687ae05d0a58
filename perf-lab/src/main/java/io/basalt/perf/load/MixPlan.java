package io.basalt.perf.load;

import java.util.SplittableRandom;

/**
 * Who does what in a multi-shard step, before anything is signed: for transaction i its kind, the
 * shard it starts on (the sender's; a swap's partyA's), the other shard (a transfer's destination,
 * a swap's partyB's; -1 for a same-shard transfer), the validator it is submitted to and the one
 * whose SETTLED counts as "the other side" (validator 0 of the other shard). Pure and seeded, so
 * it is unit tested.
 *
 * <p>Validators are numbered as {@code LocalCluster.nodes()} lists them: g = shard · v + index.
 * Kinds are drawn independently per transaction (swap with {@code swapFraction}, cross-shard
 * transfer with {@code crossFraction}, else same-shard); the source shard uniformly; the other
 * shard uniformly among the rest; the submitting validator round-robin within its shard, so every
 * validator of every shard gets the same share.
 */
record MixPlan(byte[] kinds, int[] sourceShards, int[] otherShards, int[] submitNodes, int[] otherNodes) {
    static final int NONE = -1;

    static MixPlan plan(final int n, final int shards, final int validatorsPerShard, final double crossFraction,
                        final double swapFraction, final long seed) {
        validate(shards, validatorsPerShard, crossFraction, swapFraction);
        final byte[] kinds = new byte[n];
        final int[] source = new int[n];
        final int[] other = new int[n];
        final int[] submit = new int[n];
        final int[] otherNode = new int[n];
        final int[] nextValidator = new int[shards];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            final double u = random.nextDouble();
            final TxKind kind = u < swapFraction ? TxKind.CROSS_SHARD_SWAP
                : u < swapFraction + crossFraction ? TxKind.CROSS_SHARD_TRANSFER : TxKind.SAME_SHARD_TRANSFER;
            final int s = random.nextInt(shards);
            kinds[i] = (byte) kind.ordinal();
            source[i] = s;
            submit[i] = s * validatorsPerShard + nextValidator[s];
            nextValidator[s] = (nextValidator[s] + 1) % validatorsPerShard;
            if (kind.crossShard()) {
                final int d = (s + 1 + random.nextInt(shards - 1)) % shards;
                other[i] = d;
                otherNode[i] = d * validatorsPerShard;
            } else {
                other[i] = NONE;
                otherNode[i] = NONE;
            }
        }
        return new MixPlan(kinds, source, other, submit, otherNode);
    }

    static void validate(final int shards, final int validatorsPerShard, final double crossFraction,
                         final double swapFraction) {
        if (shards < 1 || validatorsPerShard < 1) {
            throw new IllegalArgumentException("need at least one shard and one validator per shard");
        }
        if (!(crossFraction >= 0) || !(swapFraction >= 0) || crossFraction + swapFraction > 1) {
            throw new IllegalArgumentException("cross- and swap-fraction must be ≥ 0 and add up to at most 1");
        }
        if (shards == 1 && crossFraction + swapFraction > 0) {
            throw new IllegalArgumentException("cross-shard transfers and swaps need at least two shards");
        }
    }

    int size() {
        return kinds.length;
    }

    TxKind kind(final int i) {
        return TxKind.of(kinds[i]);
    }

    /** How many transactions of each kind, by ordinal. */
    long[] counts() {
        final long[] counts = new long[TxKind.values().length];
        for (final byte k : kinds) {
            counts[k]++;
        }
        return counts;
    }
}
