package io.basalt.xshard;

import java.util.Arrays;

/**
 * The public keys and stakes of every shard's committee, as the genesis fixes them. A certificate
 * of shard {@code s} needs signatures whose stake exceeds two thirds of {@code s}'s total (2f+1 of
 * 3f+1 equal stakes), the same threshold the consensus core uses inside a shard; an acknowledgement
 * needs more than one third (f+1): at least one honest signer.
 */
public final class ShardCommittees {
    private final byte[][][] keys;
    private final long[][] stakes;
    private final long[] quorum;
    private final long[] validity;

    /** {@code keys[shard][validator]} is a 32-byte public key; {@code stakes} has the same shape. */
    public ShardCommittees(final byte[][][] keys, final long[][] stakes) {
        if (keys.length == 0 || keys.length != stakes.length) {
            throw new IllegalArgumentException("one committee per shard, at least one shard");
        }
        this.keys = new byte[keys.length][][];
        this.stakes = new long[keys.length][];
        this.quorum = new long[keys.length];
        this.validity = new long[keys.length];
        for (int s = 0; s < keys.length; s++) {
            if (keys[s].length == 0 || keys[s].length != stakes[s].length) {
                throw new IllegalArgumentException("shard " + s + " needs one stake per key and at least one validator");
            }
            long total = 0;
            for (final long stake : stakes[s]) {
                if (stake <= 0) {
                    throw new IllegalArgumentException("stakes of shard " + s + " must be positive");
                }
                total = Math.addExact(total, stake);
            }
            final long maxFaulty = (total - 1) / 3;
            this.quorum[s] = total - maxFaulty;
            this.validity[s] = maxFaulty + 1;
            this.keys[s] = new byte[keys[s].length][];
            for (int v = 0; v < keys[s].length; v++) {
                if (keys[s][v].length != 32) {
                    throw new IllegalArgumentException("key of validator " + s + "/" + v + " is not 32 bytes");
                }
                this.keys[s][v] = keys[s][v].clone();
            }
            this.stakes[s] = stakes[s].clone();
        }
    }

    /** Committees of {@code keys[shard].length} validators of stake 1 each. */
    public static ShardCommittees ofEqualStake(final byte[][][] keys) {
        final long[][] stakes = new long[keys.length][];
        for (int s = 0; s < keys.length; s++) {
            stakes[s] = new long[keys[s].length];
            Arrays.fill(stakes[s], 1L);
        }
        return new ShardCommittees(keys, stakes);
    }

    public int shardCount() {
        return keys.length;
    }

    public int size(final int shard) {
        return keys[shard].length;
    }

    public byte[] publicKey(final int shard, final int validator) {
        return keys[shard][validator];
    }

    public long stake(final int shard, final int validator) {
        return stakes[shard][validator];
    }

    /** Stake a certificate of {@code shard} must reach: more than two thirds. */
    public long quorumThreshold(final int shard) {
        return quorum[shard];
    }

    /** Stake that contains at least one honest validator of {@code shard}: more than one third. */
    public long validityThreshold(final int shard) {
        return validity[shard];
    }
}
