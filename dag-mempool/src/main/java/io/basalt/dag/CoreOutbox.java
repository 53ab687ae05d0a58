package io.basalt.dag;

import java.util.List;

/**
 * Messages the core sends. The node encodes them onto Aeron publications; the simulator onto its
 * virtual network. Implementations must not block: a message that cannot be sent now is dropped
 * and sync recovers it.
 */
public interface CoreOutbox {
    /** Sends an own block to every other validator. */
    void broadcastBlock(Block block);

    /** Asks {@code peer} for the named blocks. */
    void sendBlockRequest(int peer, long requestId, List<BlockRef> refs);

    /** Asks {@code peer} for every block it stores in rounds [fromRound, toRound]. */
    void sendRangeRequest(int peer, long requestId, long fromRound, long toRound);

    /** Answers a request. */
    void sendBlocks(int peer, long requestId, List<Block> blocks);
}
