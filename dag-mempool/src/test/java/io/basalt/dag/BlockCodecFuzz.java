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

/**
 * Coverage-guided fuzzing of the block decoder a peer's bytes reach first (docs/fuzzing.md). Contract:
 * {@link BlockCodec#decode} returns a block or null with a typed error, never throws, and a block it
 * returns re-encodes to exactly its input bytes (block digests hash the bytes, so two encodings of one
 * block would be two blocks).
 */
final class BlockCodecFuzz {
    @FuzzTest(maxDuration = "60s")
    void decode(final byte[] data) {
        final BlockCodec codec = new BlockCodec(null);
        final Block block = codec.decode(data);
        if (block == null) {
            assertNotEquals(DecodeError.OK, codec.lastError());
            return;
        }
        assertEquals(DecodeError.OK, codec.lastError());
        assertArrayEquals(data, reencode(block));
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
