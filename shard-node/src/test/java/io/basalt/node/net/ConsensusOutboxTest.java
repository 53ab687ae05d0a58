package io.basalt.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.ConsensusCore;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

final class ConsensusOutboxTest {
    private record Sent(int peer, byte[] message) {
    }

    @Test
    void responsesLargerThanOneMessageAreSplitAndLoseNoBlock() {
        final List<Sent> sent = new ArrayList<>();
        final int max = 1_000;
        final PeerLink link = new PeerLink() {
            @Override
            public boolean send(final int peer, final byte[] message) {
                sent.add(new Sent(peer, message));
                return true;
            }

            @Override
            public int maxMessageBytes() {
                return max;
            }
        };
        final BlockCodec codec = new BlockCodec((digest, signature) -> { });
        final List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            blocks.add(codec.build(0, i % 4, 1 + i / 4, 0, new BlockRef[] {ConsensusCore.genesisRef(0, i % 4)},
                new byte[0][]));
        }
        new ConsensusOutbox(link, 0, 4).sendBlocks(2, 99, blocks);

        assertTrue(sent.size() > 1, "split into several responses");
        int total = 0;
        for (final Sent s : sent) {
            assertEquals(2, s.peer());
            assertTrue(s.message().length <= max, "each fits: " + s.message().length);
            final UnsafeBuffer view = new UnsafeBuffer(s.message());
            assertTrue(MessageValidator.validate(view, 0, s.message().length).isOk());
            assertEquals(Templates.BLOCK_RESPONSE, Templates.templateId(view, 0));
            final BlockResponseDecoder decoder = new BlockResponseDecoder().wrapAndApplyHeader(view, 0, new MessageHeaderDecoder());
            assertEquals(99, decoder.requestId());
            total += decoder.blocks().count();
        }
        assertEquals(blocks.size(), total);
    }

    @Test
    void blocksGoToEveryPeerButSelf() {
        final List<Integer> peers = new ArrayList<>();
        final PeerLink link = new PeerLink() {
            @Override
            public boolean send(final int peer, final byte[] message) {
                peers.add(peer);
                return true;
            }

            @Override
            public int maxMessageBytes() {
                return 1 << 20;
            }
        };
        final Block block = new BlockCodec((digest, signature) -> { })
            .build(0, 1, 1, 0, new BlockRef[] {ConsensusCore.genesisRef(0, 1)}, new byte[0][]);
        new ConsensusOutbox(link, 1, 4).broadcastBlock(block);
        assertEquals(List.of(0, 2, 3), peers);
    }
}
