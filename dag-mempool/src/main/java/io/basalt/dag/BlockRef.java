package io.basalt.dag;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Names one block: its author, its round and the SHA-256 digest of its signed bytes.
 *
 * <p>Two blocks by the same author in the same round (an equivocation) have different digests and
 * so different refs. Ordering is by round, then author, then digest bytes: the deterministic order
 * the linearizer sorts committed blocks in.
 */
public final class BlockRef implements Comparable<BlockRef> {
    public static final int DIGEST_LENGTH = 32;

    private final int author;
    private final long round;
    private final byte[] digest;
    private final int hash;

    public BlockRef(final int author, final long round, final byte[] digest) {
        if (digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("digest must be 32 bytes, was " + digest.length);
        }
        this.author = author;
        this.round = round;
        this.digest = digest;
        this.hash = 31 * (31 * Long.hashCode(round) + author) + Arrays.hashCode(digest);
    }

    public int author() {
        return author;
    }

    public long round() {
        return round;
    }

    /** The digest; callers must not modify it. */
    public byte[] digest() {
        return digest;
    }

    /** True when this ref names a block of the given slot (author, round). */
    public boolean isSlot(final int slotAuthor, final long slotRound) {
        return author == slotAuthor && round == slotRound;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof BlockRef other
            && other.hash == hash
            && other.round == round
            && other.author == author
            && Arrays.equals(other.digest, digest);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(final BlockRef o) {
        int c = Long.compare(round, o.round);
        if (c == 0) {
            c = Integer.compare(author, o.author);
        }
        return c != 0 ? c : Arrays.compareUnsigned(digest, o.digest);
    }

    @Override
    public String toString() {
        return "B" + round + "/" + author + "#" + HexFormat.of().formatHex(digest, 0, 4);
    }
}
