package io.basalt.dag;

import java.util.Arrays;

/**
 * One block of the DAG: {@code (author, round, parents, payload, timestamp, signature)}.
 *
 * <p>Immutable once built. {@link #encoded()} holds the exact wire bytes (the SBE {@code Block}
 * message); the digest in {@link #ref()} is SHA-256 of the signed prefix of those bytes, so a
 * block can be forwarded, stored and re-read without being re-encoded. Blocks are allocated per
 * round, not per transaction; the payload arrays are the transactions' own encodings.
 */
public final class Block {
    private final BlockRef ref;
    private final int shardId;
    private final long timestampMs;
    private final BlockRef[] parents;
    private final byte[] encoded;
    private final int[] txOffsets;
    private final int[] txLengths;
    private final int payloadBytes;

    /**
     * @param encoded   the block's wire bytes
     * @param txOffsets where each transaction starts in {@code encoded}
     * @param txLengths each transaction's length
     */
    public Block(
        final BlockRef ref,
        final int shardId,
        final long timestampMs,
        final BlockRef[] parents,
        final byte[] encoded,
        final int[] txOffsets,
        final int[] txLengths) {
        assert txOffsets.length == txLengths.length;
        this.ref = ref;
        this.shardId = shardId;
        this.timestampMs = timestampMs;
        this.parents = parents;
        this.encoded = encoded;
        this.txOffsets = txOffsets;
        this.txLengths = txLengths;
        int bytes = 0;
        for (final int length : txLengths) {
            bytes += length;
        }
        this.payloadBytes = bytes;
    }

    public BlockRef ref() {
        return ref;
    }

    public int author() {
        return ref.author();
    }

    public long round() {
        return ref.round();
    }

    public int shardId() {
        return shardId;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public int parentCount() {
        return parents.length;
    }

    public BlockRef parent(final int i) {
        return parents[i];
    }

    public int transactionCount() {
        return txOffsets.length;
    }

    /** Where transaction i starts in {@link #encoded()}. */
    public int transactionOffset(final int i) {
        return txOffsets[i];
    }

    public int transactionLength(final int i) {
        return txLengths[i];
    }

    /** A copy of transaction i's bytes (for tests and tools; hot paths read {@link #encoded()} in place). */
    public byte[] transaction(final int i) {
        return Arrays.copyOfRange(encoded, txOffsets[i], txOffsets[i] + txLengths[i]);
    }

    /** Sum of the transactions' lengths. */
    public int payloadBytes() {
        return payloadBytes;
    }

    /** The wire bytes; callers must not modify them. */
    public byte[] encoded() {
        return encoded;
    }

    /**
     * Whether this block votes for {@code leader}: the first block of the leader's slot that this
     * block's history reaches, searching parents in order (own parent first), is the leader. For a
     * block one round above the leader only direct parents can be in that slot, so the first
     * parent in the slot decides.
     */
    public boolean votesFor(final BlockRef leader) {
        assert round() == leader.round() + 1 : "votes are cast from the round after the leader";
        for (final BlockRef parent : parents) {
            if (parent.isSlot(leader.author(), leader.round())) {
                return parent.equals(leader);
            }
        }
        return false;
    }

    /** Whether any parent lies in slot (author, round). */
    public boolean referencesSlot(final int author, final long round) {
        for (final BlockRef parent : parents) {
            if (parent.isSlot(author, round)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return ref + "{ts=" + timestampMs + ", parents=" + Arrays.toString(parents)
            + ", txs=" + txOffsets.length + "}";
    }
}
