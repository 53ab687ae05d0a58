package io.basalt.node.net;

import io.basalt.dag.Block;
import io.basalt.dag.BlockRef;
import io.basalt.dag.ConsensusPublisher;
import io.basalt.dag.CoreOutbox;
import io.basalt.protocol.Layout;
import java.util.List;

/**
 * The core's outbox on a real transport: encodes with {@link ConsensusPublisher} and sends to peers.
 * Never blocks; whatever the link drops, consensus recovers (re-broadcast, sync).
 *
 * <p>A response may hold up to 64 blocks of up to the block limit each, more than one transport
 * message carries; it is split into several responses with the same request id, each within
 * {@link PeerLink#maxMessageBytes()}. The requester treats each as an answer on its own.
 */
public final class ConsensusOutbox implements CoreOutbox {
    private final PeerLink link;
    private final int self;
    private final int committeeSize;
    private final ConsensusPublisher publisher = new ConsensusPublisher();

    public ConsensusOutbox(final PeerLink link, final int self, final int committeeSize) {
        this.link = link;
        this.self = self;
        this.committeeSize = committeeSize;
    }

    @Override
    public void broadcastBlock(final Block block) {
        for (int peer = 0; peer < committeeSize; peer++) {
            if (peer != self) {
                link.send(peer, block.encoded());
            }
        }
    }

    @Override
    public void sendBlockRequest(final int peer, final long requestId, final List<BlockRef> refs) {
        link.send(peer, publisher.blockRequest(self, requestId, refs));
    }

    @Override
    public void sendRangeRequest(final int peer, final long requestId, final long fromRound, final long toRound) {
        link.send(peer, publisher.rangeRequest(self, requestId, fromRound, toRound));
    }

    @Override
    public void sendBlocks(final int peer, final long requestId, final List<Block> blocks) {
        final int max = link.maxMessageBytes();
        int from = 0;
        long bytes = 0;
        for (int i = 0; i < blocks.size(); i++) {
            final int length = blocks.get(i).encoded().length;
            if (i > from && Layout.blockResponseLength(i - from + 1, bytes + length) > max) {
                link.send(peer, publisher.blocks(self, requestId, blocks.subList(from, i)));
                from = i;
                bytes = 0;
            }
            bytes += length;
        }
        if (from < blocks.size()) {
            link.send(peer, publisher.blocks(self, requestId, blocks.subList(from, blocks.size())));
        }
    }
}
