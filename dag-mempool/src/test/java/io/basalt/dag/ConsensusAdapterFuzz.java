package io.basalt.dag;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.basalt.protocol.BlockEncoding;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of what a peer's bytes reach in the consensus core (docs/fuzzing.md).
 * Contracts: {@link BlockCodec#decode} returns a block or null with a typed error, never throws, and a
 * block it returns re-encodes to exactly its input bytes (block digests hash the bytes, so two encodings
 * of one block would be two blocks); {@link ConsensusAdapter#onMessage}, driving a real core, never
 * throws and counts each refused message against its sender.
 *
 * <p>Input framing of {@link #onMessage} (so that seeds are plain files): repeated
 * {@code from u8 | length u16 LE | message bytes}; a frame cut short ends the run.
 */
final class ConsensusAdapterFuzz {
    private static final int PEERS = 4;

    @FuzzTest(maxDuration = "60s")
    void decodeBlock(final byte[] data) {
        final BlockCodec codec = new BlockCodec(null);
        final Block block = codec.decode(data);
        if (block == null) {
            assertNotEquals(DecodeError.OK, codec.lastError());
            return;
        }
        assertEquals(DecodeError.OK, codec.lastError());
        assertArrayEquals(data, reencode(block));
    }

    @FuzzTest(maxDuration = "60s")
    void onMessage(final byte[] data) {
        final ConsensusCore core = new ConsensusCore(CoreConfig.defaults(), TestKeys.committee(PEERS), 0,
            new BlockCodec(TestKeys.signer(0)), new SignedBlockVerifier(new TestKeys()), new MemoryStorage(),
            new RecordingOutbox(null), subDag -> { });
        core.start(0);
        final ConsensusAdapter adapter = new ConsensusAdapter(core, new BlockCodec(null));
        int p = 0;
        long nowNs = 1;
        long frames = 0;
        while (p + 3 <= data.length) {
            final int from = 1 + (data[p] & 0xFF) % (PEERS - 1);
            final int length = (data[p + 1] & 0xFF) | (data[p + 2] & 0xFF) << 8;
            p += 3;
            if (p + length > data.length) {
                break;
            }
            adapter.onMessage(from, Arrays.copyOfRange(data, p, p + length), nowNs);
            p += length;
            nowNs += 1_000_000L;
            frames++;
        }
        assertTrue(adapter.malformedCount() <= frames, "at most one malformed count per message");
    }

    /** The block's fields written again through the protocol's encoder, with its own signature. */
    private static byte[] reencode(final Block block) {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(block.encoded().length);
        final BlockEncoding encoding = new BlockEncoding();
        encoding.begin(out, 0, block.shardId(), block.author(), block.round(), block.timestampMs(), block.parentCount());
        for (int i = 0; i < block.parentCount(); i++) {
            final BlockRef parent = block.parent(i);
            encoding.parent(parent.author(), parent.round(), parent.digest());
        }
        encoding.transactions(block.transactionCount());
        for (int i = 0; i < block.transactionCount(); i++) {
            encoding.transaction(block.transaction(i));
        }
        final int length = encoding.finish();
        final byte[] signature = Arrays.copyOfRange(block.encoded(), BlockCodec.signatureOffset(block),
            BlockCodec.signatureOffset(block) + Layout.SIGNATURE_LENGTH);
        SignedRegion.putSignature(out, 0, length, 0, signature);
        return Arrays.copyOf(out.byteArray(), length);
    }
}
