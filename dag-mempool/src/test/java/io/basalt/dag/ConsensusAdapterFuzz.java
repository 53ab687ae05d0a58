package io.basalt.dag;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of what a peer's bytes reach in the consensus core (docs/fuzzing.md).
 * Contract: {@link ConsensusAdapter#onMessage}, driving a real core, never throws and counts each
 * refused message against its sender. The block decoder alone is {@link BlockCodecFuzz} (one target
 * per class: Jazzer fuzzes one target per JVM, and the short run in scripts/test forks per class).
 *
 * <p>Input framing of {@link #onMessage} (so that seeds are plain files): repeated
 * {@code from u8 | length u16 LE | message bytes}; a frame cut short ends the run.
 */
final class ConsensusAdapterFuzz {
    private static final int PEERS = 4;

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
}
