package io.basalt.protocol;

import io.basalt.protocol.sbe.BlockEncoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes a Block with a zeroed signature placeholder, in the order the wire format needs:
 *
 * <pre>
 *   int length = blocks.begin(out, offset, shardId, author, round, timestampMs, parentCount)
 *       .parent(author, round, digest, digestOffset)   // parentCount times, own previous block first
 *       .transactions(txCount)
 *       .transaction(src, srcOffset, srcLength)        // txCount times, each a whole encoded transaction
 *       .finish();
 * </pre>
 *
 * Then hash the signed prefix, sign, and {@link SignedRegion#putSignature} at index 0. A proposer
 * that wants to know whether one more transaction fits asks {@link Layout#blockLength} first.
 *
 * <p>One instance per thread (it keeps preallocated flyweights; encoding allocates nothing). Limits
 * and call order are checked: breaking them is a bug in the caller, reported by an exception.
 */
public final class BlockEncoding
{
    private static final byte[] ZERO_SIGNATURE = new byte[Layout.SIGNATURE_LENGTH];

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final BlockEncoder block = new BlockEncoder();
    private final UnsafeBuffer digestView = new UnsafeBuffer(new byte[0]);
    private BlockEncoder.ParentsEncoder parents;
    private BlockEncoder.TransactionsEncoder transactions;
    private int offset;
    private int parentsLeft = -1;
    private int transactionsLeft = -1;

    /** Starts a block at {@code offset}; {@code parentCount} parents must follow. */
    public BlockEncoding begin(
        final MutableDirectBuffer out, final int offset, final int shardId, final int author,
        final long round, final long timestampMs, final int parentCount)
    {
        if (parentCount < 0 || parentCount > ProtocolLimits.MAX_PARENTS)
        {
            throw new IllegalArgumentException("parentCount " + parentCount + " outside 0.." + ProtocolLimits.MAX_PARENTS);
        }
        if (author < 0 || author >= ProtocolLimits.MAX_COMMITTEE)
        {
            throw new IllegalArgumentException("author index " + author + " outside 0.." + (ProtocolLimits.MAX_COMMITTEE - 1));
        }
        this.offset = offset;
        block.wrapAndApplyHeader(out, offset, header)
            .shardId(shardId)
            .author(author)
            .round(round)
            .timestampMs(timestampMs);
        parents = block.parentsCount(parentCount);
        parentsLeft = parentCount;
        transactionsLeft = -1;
        return this;
    }

    /** Appends one parent reference; {@code digest} holds 32 bytes at {@code digestOffset}. */
    public BlockEncoding parent(final int author, final long round, final DirectBuffer digest, final int digestOffset)
    {
        if (parentsLeft <= 0)
        {
            throw new IllegalStateException("no parent expected");
        }
        if (author < 0 || author >= ProtocolLimits.MAX_COMMITTEE)
        {
            throw new IllegalArgumentException("parent author index " + author + " out of range");
        }
        parents.next().author(author).round(round).putDigest(digest, digestOffset, Layout.HASH_LENGTH);
        parentsLeft--;
        return this;
    }

    /** Appends one parent reference with a 32-byte digest array. */
    public BlockEncoding parent(final int author, final long round, final byte[] digest)
    {
        digestView.wrap(TransactionEncoding.exactly(digest, Layout.HASH_LENGTH, "digest"));
        return parent(author, round, digestView, 0);
    }

    /** Closes the parents and announces {@code txCount} transactions. */
    public BlockEncoding transactions(final int txCount)
    {
        if (parentsLeft != 0)
        {
            throw new IllegalStateException(parentsLeft < 0 ? "begin() first" : parentsLeft + " parents missing");
        }
        if (txCount < 0 || txCount > ProtocolLimits.MAX_BLOCK_TXS)
        {
            throw new IllegalArgumentException("txCount " + txCount + " outside 0.." + ProtocolLimits.MAX_BLOCK_TXS);
        }
        transactions = block.transactionsCount(txCount);
        parentsLeft = -1;
        transactionsLeft = txCount;
        return this;
    }

    /** Appends one whole encoded transaction, copied from {@code src}. */
    public BlockEncoding transaction(final DirectBuffer src, final int srcOffset, final int length)
    {
        if (transactionsLeft <= 0)
        {
            throw new IllegalStateException("no transaction expected");
        }
        if (length < 0 || length > ProtocolLimits.MAX_BLOCK_TX_BYTES)
        {
            throw new IllegalArgumentException("transaction of " + length + " bytes");
        }
        transactions.next().putTx(src, srcOffset, length);
        transactionsLeft--;
        return this;
    }

    /** Appends one whole encoded transaction held in an array. */
    public BlockEncoding transaction(final byte[] tx)
    {
        if (transactionsLeft <= 0)
        {
            throw new IllegalStateException("no transaction expected");
        }
        if (tx.length > ProtocolLimits.MAX_BLOCK_TX_BYTES)
        {
            throw new IllegalArgumentException("transaction of " + tx.length + " bytes");
        }
        transactions.next().putTx(tx, 0, tx.length);
        transactionsLeft--;
        return this;
    }

    /** Writes the signature placeholder; returns the encoded length of the block. */
    public int finish()
    {
        if (transactionsLeft != 0)
        {
            throw new IllegalStateException(transactionsLeft < 0 ? "transactions(count) first" : transactionsLeft + " transactions missing");
        }
        block.signaturesCount(1).next().putSignature(ZERO_SIGNATURE, 0, Layout.SIGNATURE_LENGTH);
        transactionsLeft = -1;
        final int length = block.limit() - offset;
        if (length > ProtocolLimits.MAX_BLOCK_BYTES)
        {
            throw new IllegalStateException("block of " + length + " bytes exceeds MAX_BLOCK_BYTES; plan with Layout.blockLength");
        }
        return length;
    }

    /**
     * Encodes a whole block from arrays: the first {@code parentCount} elements of the parent arrays
     * and the first {@code txCount} transactions. Returns the encoded length.
     */
    public int encode(
        final MutableDirectBuffer out, final int offset, final int shardId, final int author,
        final long round, final long timestampMs,
        final int parentCount, final int[] parentAuthors, final long[] parentRounds, final byte[][] parentDigests,
        final int txCount, final byte[][] txs)
    {
        begin(out, offset, shardId, author, round, timestampMs, parentCount);
        for (int i = 0; i < parentCount; i++)
        {
            parent(parentAuthors[i], parentRounds[i], parentDigests[i]);
        }
        transactions(txCount);
        for (int i = 0; i < txCount; i++)
        {
            transaction(txs[i]);
        }
        return finish();
    }
}
