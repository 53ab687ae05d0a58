package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Blocks survive the wire; hostile bytes into the decoder and the adapter never throw. */
class BlockCodecProperties {
    private static final BlockRef[] PARENTS = {
        ConsensusCore.genesisRef(0, 2), ConsensusCore.genesisRef(0, 0), ConsensusCore.genesisRef(0, 1)};

    @Property(tries = 200)
    void roundTrip(@ForAll @IntRange(min = 1, max = 1_000_000) final int round,
                   @ForAll @IntRange(min = 0, max = 50) final int transactions) {
        final byte[][] payload = new byte[transactions][];
        for (int i = 0; i < transactions; i++) {
            payload[i] = TestTransactions.transfer(round * 100L + i);
        }
        final Block built = new BlockCodec(TestKeys.signer(2)).build(0, 2, round, 77, PARENTS, payload);
        final Block decoded = new BlockCodec(null).decode(built.encoded());
        assertNotNull(decoded);
        assertEquals(built.ref(), decoded.ref());
        assertEquals(3, decoded.parentCount());
        assertEquals(PARENTS[1], decoded.parent(1));
        assertEquals(transactions, decoded.transactionCount());
        for (int i = 0; i < transactions; i++) {
            assertArrayEquals(payload[i], decoded.transaction(i));
        }
        assertArrayEquals(built.encoded(), decoded.encoded());
    }

    @Property(tries = 1_000)
    void mutatedBlocksNeverThrow(@ForAll @IntRange(min = 0, max = 10_000) final int position,
                                 @ForAll final byte value,
                                 @ForAll @IntRange(min = 0, max = 400) final int truncateTo) {
        final Block built = new BlockCodec(TestKeys.signer(2)).build(0, 2, 5, 77, PARENTS, new byte[0][]);
        final byte[] bytes = built.encoded().clone();
        bytes[position % bytes.length] = value;
        final byte[] cut = java.util.Arrays.copyOf(bytes, Math.min(bytes.length, truncateTo));
        final BlockCodec decoder = new BlockCodec(null);
        decoder.decode(bytes);
        final Block truncated = decoder.decode(cut);
        if (cut.length < bytes.length) {
            assertEquals(null, truncated, "a truncated block must not decode");
        }
    }

    @Property(tries = 500)
    void adapterCountsGarbageAndNeverThrows(@ForAll @Size(max = 600) final byte[] garbage) {
        final ConsensusCore core = new ConsensusCore(CoreConfig.defaults(), TestKeys.committee(4), 0,
            new BlockCodec(TestKeys.signer(0)), new SignedBlockVerifier(new TestKeys()), new MemoryStorage(),
            new RecordingOutbox(null), subDag -> { });
        core.start(0);
        final ConsensusAdapter adapter = new ConsensusAdapter(core, new BlockCodec(null));
        adapter.onMessage(1, garbage, 1);
        assertEquals(1, adapter.malformedCount() + core.rejectCount(1, RejectReason.DUPLICATE)
            + countAll(core), "every garbage message is counted once");
    }

    private static long countAll(final ConsensusCore core) {
        long total = 0;
        for (final RejectReason reason : RejectReason.values()) {
            if (reason != RejectReason.MALFORMED && reason != RejectReason.DUPLICATE) {
                total += core.rejectCount(1, reason);
            }
        }
        return total;
    }
}
