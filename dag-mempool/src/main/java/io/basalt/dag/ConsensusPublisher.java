package io.basalt.dag;

import io.basalt.protocol.Layout;
import io.basalt.protocol.sbe.BlockRangeRequestEncoder;
import io.basalt.protocol.sbe.BlockRequestEncoder;
import io.basalt.protocol.sbe.BlockResponseEncoder;
import io.basalt.protocol.sbe.MessageHeaderEncoder;
import java.util.Arrays;
import java.util.List;
import org.agrona.ExpandableArrayBuffer;

/**
 * Encodes the consensus messages other than blocks (a block travels as its own encoded bytes):
 * block requests, range requests and responses. One instance per thread; the returned arrays are
 * fresh, because the transport may hold them (the simulator queues them, Aeron copies them).
 */
public final class ConsensusPublisher {
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final BlockRequestEncoder request = new BlockRequestEncoder();
    private final BlockRangeRequestEncoder rangeRequest = new BlockRangeRequestEncoder();
    private final BlockResponseEncoder response = new BlockResponseEncoder();

    public byte[] blockRequest(final int requester, final long requestId, final List<BlockRef> refs) {
        request.wrapAndApplyHeader(buffer, 0, header).requestId(requestId).requester(requester);
        final BlockRequestEncoder.RefsEncoder group = request.refsCount(refs.size());
        for (final BlockRef ref : refs) {
            group.next().author(ref.author()).round(ref.round()).putDigest(ref.digest(), 0, Layout.HASH_LENGTH);
        }
        return copy(request.limit());
    }

    public byte[] rangeRequest(final int requester, final long requestId, final long fromRound, final long toRound) {
        rangeRequest.wrapAndApplyHeader(buffer, 0, header)
            .requestId(requestId).requester(requester).fromRound(fromRound).toRound(toRound);
        return copy(rangeRequest.limit());
    }

    public byte[] blocks(final int responder, final long requestId, final List<Block> blocks) {
        response.wrapAndApplyHeader(buffer, 0, header).requestId(requestId).responder(responder);
        final BlockResponseEncoder.BlocksEncoder group = response.blocksCount(blocks.size());
        for (final Block block : blocks) {
            group.next().putBlock(block.encoded(), 0, block.encoded().length);
        }
        return copy(response.limit());
    }

    private byte[] copy(final int length) {
        return Arrays.copyOf(buffer.byteArray(), length);
    }
}
