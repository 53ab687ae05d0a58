package io.basalt.dag;

import io.basalt.crypto.Sha256;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.BlockEncoding;
import java.util.Arrays;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns blocks into their SBE wire form and back. The digest is SHA-256 of the signed prefix
 * (everything before the trailing signatures group); the signature covers that digest.
 *
 * <p>Not thread-safe: one instance per thread, holding its flyweights and scratch buffer.
 * Decoding validates first ({@link MessageValidator}) and never throws on bad bytes; it returns
 * null and leaves the reason in {@link #lastError()}.
 */
public final class BlockCodec implements BlockFactory {
    private final BlockEncoding encoding = new BlockEncoding();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64 * 1024);
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BlockDecoder decoder = new BlockDecoder();
    private final Sha256 sha256 = new Sha256();
    private final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
    private final BlockSigner signer;
    private DecodeError lastError = DecodeError.OK;

    /** A codec that can also build own blocks, signed by {@code signer}; null for decode-only. */
    public BlockCodec(final BlockSigner signer) {
        this.signer = signer;
    }

    @Override
    public Block build(
        final int shardId, final int author, final long round, final long timestampMs,
        final BlockRef[] parents, final byte[][] transactions) {
        if (signer == null) {
            throw new IllegalStateException("this codec has no signer");
        }
        encoding.begin(scratch, 0, shardId, author, round, timestampMs, parents.length);
        for (final BlockRef parent : parents) {
            encoding.parent(parent.author(), parent.round(), parent.digest());
        }
        encoding.transactions(transactions.length);
        for (final byte[] tx : transactions) {
            encoding.transaction(tx);
        }
        final int length = encoding.finish();
        final int signedLength = SignedRegion.signedLength(scratch, 0, length);
        final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
        sha256.digest(scratch.byteArray(), 0, signedLength, digest, 0);
        signer.signDigest(digest, signature);
        SignedRegion.putSignature(scratch, 0, length, 0, signature);
        final Block block = parse(Arrays.copyOf(scratch.byteArray(), length), digest);
        assert block != null : "an own block must decode";
        return block;
    }

    /** Decodes and validates a block; null on bad bytes, with the reason in {@link #lastError()}. */
    public Block decode(final byte[] bytes) {
        view.wrap(bytes);
        lastError = MessageValidator.validate(view, 0, bytes.length);
        if (!lastError.isOk()) {
            return null;
        }
        if (Templates.templateId(view, 0) != Templates.BLOCK) {
            lastError = DecodeError.UNEXPECTED_TEMPLATE;
            return null;
        }
        final int signedLength = SignedRegion.signedLength(view, 0, bytes.length);
        final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
        sha256.digest(bytes, 0, signedLength, digest, 0);
        return parse(bytes, digest);
    }

    public DecodeError lastError() {
        return lastError;
    }

    /** Where the block's signature sits in its encoded bytes. */
    public static int signatureOffset(final Block block) {
        final UnsafeBuffer buffer = new UnsafeBuffer(block.encoded());
        return SignedRegion.signatureOffset(buffer, 0, block.encoded().length, 0);
    }

    /** Length of the signed prefix of the block's encoded bytes. */
    public static int signedLength(final Block block) {
        final UnsafeBuffer buffer = new UnsafeBuffer(block.encoded());
        return SignedRegion.signedLength(buffer, 0, block.encoded().length);
    }

    /** Reads a block that has been validated; {@code bytes} becomes the block's own array. */
    private Block parse(final byte[] bytes, final byte[] digest) {
        view.wrap(bytes);
        decoder.wrapAndApplyHeader(view, 0, header);
        final int shardId = decoder.shardId();
        final int author = decoder.author();
        final long round = decoder.round();
        final long timestampMs = decoder.timestampMs();
        final BlockDecoder.ParentsDecoder parentsDecoder = decoder.parents();
        final BlockRef[] parents = new BlockRef[parentsDecoder.count()];
        for (int i = 0; i < parents.length; i++) {
            parentsDecoder.next();
            final byte[] parentDigest = new byte[BlockRef.DIGEST_LENGTH];
            parentsDecoder.getDigest(parentDigest, 0, BlockRef.DIGEST_LENGTH);
            parents[i] = new BlockRef(parentsDecoder.author(), parentsDecoder.round(), parentDigest);
        }
        final BlockDecoder.TransactionsDecoder txs = decoder.transactions();
        final int count = txs.count();
        final int[] offsets = new int[count];
        final int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            txs.next();
            lengths[i] = txs.txLength();
            offsets[i] = decoder.limit() + Layout.TX_LENGTH_PREFIX;
            txs.skipTx();
        }
        return new Block(new BlockRef(author, round, digest), shardId, timestampMs, parents, bytes, offsets, lengths);
    }
}
