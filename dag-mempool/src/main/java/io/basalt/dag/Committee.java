package io.basalt.dag;

import java.util.Arrays;

/**
 * The validators of one shard: index, public key and voting stake of each.
 *
 * <p>With total stake S and f = the largest stake that may be Byzantine, a quorum is more than
 * two thirds of S (2f+1 with unit stakes) and a validity threshold is more than one third (f+1).
 * Any two quorums intersect in at least one honest validator; that intersection is what every
 * safety argument of the commit rule rests on.
 */
public final class Committee {
    private final int shardId;
    private final byte[][] publicKeys;
    private final long[] stakes;
    private final long totalStake;
    private final long quorumThreshold;
    private final long validityThreshold;

    public Committee(final int shardId, final byte[][] publicKeys, final long[] stakes) {
        if (publicKeys.length == 0 || publicKeys.length != stakes.length) {
            throw new IllegalArgumentException("committee needs one stake per key and at least one validator");
        }
        long total = 0;
        for (final long stake : stakes) {
            if (stake <= 0) {
                throw new IllegalArgumentException("stakes must be positive: " + Arrays.toString(stakes));
            }
            total = Math.addExact(total, stake);
        }
        this.shardId = shardId;
        this.publicKeys = publicKeys.clone();
        this.stakes = stakes.clone();
        this.totalStake = total;
        final long maxFaulty = (total - 1) / 3;
        this.quorumThreshold = total - maxFaulty;
        this.validityThreshold = maxFaulty + 1;
    }

    /** A committee of {@code n} validators of stake 1 each. */
    public static Committee ofEqualStake(final int shardId, final byte[][] publicKeys) {
        final long[] stakes = new long[publicKeys.length];
        Arrays.fill(stakes, 1L);
        return new Committee(shardId, publicKeys, stakes);
    }

    public int shardId() {
        return shardId;
    }

    public int size() {
        return publicKeys.length;
    }

    public boolean contains(final int author) {
        return author >= 0 && author < publicKeys.length;
    }

    public byte[] publicKey(final int author) {
        return publicKeys[author];
    }

    public long stake(final int author) {
        return stakes[author];
    }

    public long totalStake() {
        return totalStake;
    }

    /** 2f+1 with unit stakes. */
    public long quorumThreshold() {
        return quorumThreshold;
    }

    /** f+1 with unit stakes: any set this heavy holds at least one honest validator. */
    public long validityThreshold() {
        return validityThreshold;
    }

    /** The largest number of validators that may be faulty (f), for unit stakes. */
    public int maxFaulty() {
        return (size() - 1) / 3;
    }
}
