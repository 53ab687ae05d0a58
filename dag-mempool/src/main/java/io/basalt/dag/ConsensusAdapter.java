package io.basalt.dag;

import io.basalt.protocol.DecodeError;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.BlockRangeRequestDecoder;
import io.basalt.protocol.sbe.BlockRequestDecoder;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes bytes that arrive from a peer on the consensus stream and calls the core. Anything that
 * does not validate is counted against the peer ({@link ConsensusCore#onMalformed}) and dropped;
 * nothing a peer sends can make this throw.
 *
 * <p>{@code from} is the transport's idea of the sender, not a field of the message: the node
 * binds it to the authenticated channel, so a peer cannot speak for another.
 */
public final class ConsensusAdapter {
    private final ConsensusCore core;
    private final BlockCodec codec;
    private final BlockIntake intake;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BlockRequestDecoder request = new BlockRequestDecoder();
    private final BlockRangeRequestDecoder rangeRequest = new BlockRangeRequestDecoder();
    private final BlockResponseDecoder response = new BlockResponseDecoder();
    private long malformed;

    public ConsensusAdapter(final ConsensusCore core, final BlockCodec codec) {
        this(core, codec, BlockIntake.of(core));
    }

    /** Decoded blocks go to {@code intake}; requests and malformed input to the core. */
    public ConsensusAdapter(final ConsensusCore core, final BlockCodec codec, final BlockIntake intake) {
        this.core = core;
        this.codec = codec;
        this.intake = intake;
    }

    public void onMessage(final int from, final byte[] bytes, final long nowNs) {
        view.wrap(bytes);
        if (bytes.length >= Layout.MESSAGE_HEADER_LENGTH && Templates.templateId(view, 0) == Templates.BLOCK) {
            onBlock(from, bytes, nowNs); // the codec validates; no need to walk the bytes twice
            return;
        }
        final DecodeError error = MessageValidator.validate(view, 0, bytes.length);
        if (!error.isOk()) {
            malformed(from);
            return;
        }
        switch (Templates.templateId(view, 0)) {
            case Templates.BLOCK_REQUEST -> onBlockRequest(from, nowNs);
            case Templates.BLOCK_RANGE_REQUEST -> onRangeRequest(from, nowNs);
            case Templates.BLOCK_RESPONSE -> onResponse(from, nowNs);
            default -> malformed(from);
        }
    }

    private void onBlock(final int from, final byte[] bytes, final long nowNs) {
        final Block block = codec.decode(bytes);
        if (block == null) {
            malformed(from);
        } else {
            intake.onBlock(from, block, nowNs);
        }
    }

    private void onBlockRequest(final int from, final long nowNs) {
        request.wrapAndApplyHeader(view, 0, header);
        final long requestId = request.requestId();
        final BlockRequestDecoder.RefsDecoder refs = request.refs();
        final List<BlockRef> wanted = new ArrayList<>(refs.count());
        while (refs.hasNext()) {
            refs.next();
            final byte[] digest = new byte[Layout.HASH_LENGTH];
            refs.getDigest(digest, 0, digest.length);
            wanted.add(new BlockRef(refs.author(), refs.round(), digest));
        }
        core.onBlockRequest(from, requestId, wanted, nowNs);
    }

    private void onRangeRequest(final int from, final long nowNs) {
        rangeRequest.wrapAndApplyHeader(view, 0, header);
        core.onRangeRequest(from, rangeRequest.requestId(), rangeRequest.fromRound(), rangeRequest.toRound(), nowNs);
    }

    private void onResponse(final int from, final long nowNs) {
        response.wrapAndApplyHeader(view, 0, header);
        final long requestId = response.requestId();
        final BlockResponseDecoder.BlocksDecoder entries = response.blocks();
        final List<byte[]> raw = new ArrayList<>(entries.count());
        while (entries.hasNext()) {
            entries.next();
            final int offset = response.limit() + Layout.BLOCK_LENGTH_PREFIX;
            final int length = entries.blockLength();
            raw.add(Arrays.copyOfRange(view.byteArray(), offset, offset + length));
            entries.skipBlock();
        }
        final List<Block> blocks = new ArrayList<>(raw.size());
        for (final byte[] bytes : raw) {
            final Block block = codec.decode(bytes);
            if (block == null) {
                malformed(from);
                return;
            }
            blocks.add(block);
        }
        intake.onBlocks(from, requestId, blocks, nowNs);
    }

    private void malformed(final int from) {
        malformed++;
        core.onMalformed(from);
    }

    public long malformedCount() {
        return malformed;
    }
}
