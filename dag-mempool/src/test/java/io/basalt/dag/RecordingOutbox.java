package io.basalt.dag;

import java.util.ArrayList;
import java.util.List;

/** Keeps every broadcast block and, when given a log, notes each send in it. */
class RecordingOutbox implements CoreOutbox {
    final List<Block> sent = new ArrayList<>();
    /** Blocks sent in answer to requests, per peer asked for them. */
    final int[] servedTo = new int[16];
    private final List<String> log;

    RecordingOutbox(final List<String> log) {
        this.log = log;
    }

    @Override
    public void broadcastBlock(final Block block) {
        if (log != null) {
            log.add("send " + block.ref());
        }
        sent.add(block);
    }

    @Override
    public void sendBlockRequest(final int peer, final long requestId, final List<BlockRef> refs) {
    }

    @Override
    public void sendRangeRequest(final int peer, final long requestId, final long fromRound, final long toRound) {
    }

    @Override
    public void sendBlocks(final int peer, final long requestId, final List<Block> blocks) {
        servedTo[peer] += blocks.size();
    }
}
