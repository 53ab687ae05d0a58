package io.basalt.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.protocol.ExecResult;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The commit-log record: a lossless encoding of a height's effects, chained by its digest. */
class EffectsCodecProperties {
    @Property(tries = 200)
    void decodeThenEncodeGivesTheSameRecord(@ForAll final long seed) {
        final HeightEffects e = randomEffects(new Random(seed));
        final byte[] previous = bytes(new Random(~seed), 32);
        final byte[] record = EffectsCodec.encode(e, previous);

        final HeightEffects decoded = EffectsCodec.decode(record, record.length, previous);

        assertArrayEquals(record, EffectsCodec.encode(decoded, previous));
        assertEquals(e.height, decoded.height);
        assertEquals(e.consensusTimeMs, decoded.consensusTimeMs);
        assertEquals(e.results.size(), decoded.results.size());
        assertEquals(e.batches.size(), decoded.batches.size());
        assertEquals(e.height, EffectsCodec.heightOf(record));
    }

    @Property(tries = 300)
    void aFlippedByteAnywhereBreaksTheChain(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 1 << 20) final int at,
                                           @ForAll @IntRange(min = 1, max = 255) final int mask) {
        final HeightEffects e = randomEffects(new Random(seed));
        final byte[] previous = new byte[32];
        final byte[] record = EffectsCodec.encode(e, previous);
        record[at % record.length] ^= (byte) mask;

        assertThrows(IllegalStateException.class, () -> EffectsCodec.decode(record, record.length, previous));
    }

    @Property(tries = 100)
    void theRecordChainsOntoThePreviousDigest(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 31) final int at) {
        final HeightEffects e = randomEffects(new Random(seed));
        final byte[] previous = bytes(new Random(seed + 1), 32);
        final byte[] record = EffectsCodec.encode(e, previous);
        final byte[] otherPrevious = previous.clone();
        otherPrevious[at] ^= 1;

        assertThrows(IllegalStateException.class, () -> EffectsCodec.decode(record, record.length, otherPrevious));
        assertArrayEquals(EffectsCodec.chain(previous, record, record.length - EffectsCodec.DIGEST_BYTES),
            EffectsCodec.digestOf(record, record.length));
    }

    @Example
    void aRecordInsideALargerBufferDecodesByItsLength() {
        final HeightEffects e = randomEffects(new Random(7));
        final byte[] record = EffectsCodec.encode(e, new byte[32]);
        final byte[] larger = java.util.Arrays.copyOf(record, record.length + 100);

        final HeightEffects decoded = EffectsCodec.decode(larger, record.length, new byte[32]);

        assertArrayEquals(record, EffectsCodec.encode(decoded, new byte[32]));
    }

    @Example
    void realEffectsOfACrossShardSwapRoundTripAndChainAcrossHeights() {
        final TestNetwork net = new TestNetwork(2, 61);
        final byte[] swap = net.swap(net.account(0, 0), 0, 100, net.account(1, 0), 0, 50);
        net.shard(0).run(swap, net.transfer(net.account(0, 1), net.account(1, 1), 0, 5));
        net.drain();

        for (final TestNetwork.Shard s : net.shards) {
            byte[] previous = GenesisState.of(s.config, net.genesis).digest();
            int withSwaps = 0;
            for (final TestNetwork.Height h : s.heights) {
                final HeightEffects decoded = EffectsCodec.decode(h.record(), h.record().length, previous);
                assertArrayEquals(h.record(), EffectsCodec.encode(decoded, previous));
                assertEquals(h.effects().swaps.size(), decoded.swaps.size());
                for (int i = 0; i < decoded.swaps.size(); i++) {
                    assertEquals(h.effects().swaps.get(i).record(), decoded.swaps.get(i).record());
                }
                withSwaps += decoded.swaps.isEmpty() ? 0 : 1;
                previous = EffectsCodec.digestOf(h.record(), h.record().length);
            }
            assertArrayEquals(s.state.digest(), previous, "the state's digest is the last record's");
            assertEquals(true, withSwaps >= 2, "the swap record was written and deleted on shard " + s.id);
        }
    }

    @Example
    void aTruncatedRecordWithAValidChainIsRefused() {
        // Keep the digest valid for the shorter body: only the counts can tell it is short. (Some cuts
        // surface as BufferUnderflowException rather than IllegalStateException: both stop a reader.)
        final HeightEffects e = new HeightEffects(3, 4);
        e.balances.add(new HeightEffects.BalanceImage(new byte[32], 1, 2));
        final byte[] record = EffectsCodec.encode(e, new byte[32]);
        for (final int cut : new int[] {1, 4, 5, 44 + 4 * 5}) {
            final int body = record.length - EffectsCodec.DIGEST_BYTES - cut;
            final byte[] truncated = java.util.Arrays.copyOf(record, body + EffectsCodec.DIGEST_BYTES);
            System.arraycopy(EffectsCodec.chain(new byte[32], record, body), 0, truncated, body,
                EffectsCodec.DIGEST_BYTES);

            assertThrows(RuntimeException.class, () -> EffectsCodec.decode(truncated, truncated.length, new byte[32]),
                "cut " + cut);
        }
    }

    // ------------------------------------------------------------------------------ generators

    static HeightEffects randomEffects(final Random r) {
        final HeightEffects e = new HeightEffects(r.nextLong(), r.nextLong());
        final ExecResult[] results = ExecResult.values();
        for (int i = r.nextInt(5); i > 0; i--) {
            e.results.add(new HeightEffects.Outcome(bytes(r, 32), results[r.nextInt(results.length)]));
        }
        for (int i = r.nextInt(4); i > 0; i--) {
            e.settled.add(new HeightEffects.Outcome(bytes(r, 32), results[r.nextInt(results.length)]));
        }
        for (int i = r.nextInt(5); i > 0; i--) {
            e.balances.add(new HeightEffects.BalanceImage(bytes(r, 32), r.nextInt(), r.nextLong() & Long.MAX_VALUE));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            e.assets.add(new HeightEffects.AssetImage(r.nextInt(), bytes(r, 32), r.nextLong(), r.nextLong()));
        }
        for (int i = r.nextInt(4); i > 0; i--) {
            e.replay.add(new HeightEffects.ReplayImage(bytes(r, 32), r.nextLong()));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            final byte[] id = bytes(r, 32);
            final SwapRecord record = r.nextBoolean() ? null : new SwapRecord(id, r.nextBoolean(), r.nextInt(1 << 16),
                r.nextInt(3), r.nextInt(3), bytes(r, 32), bytes(r, 32), r.nextInt(), r.nextLong(), r.nextLong(),
                r.nextLong(), r.nextInt(3), r.nextBoolean());
            e.swaps.add(new HeightEffects.SwapImage(id, record));
        }
        for (int i = r.nextInt(4); i > 0; i--) {
            e.streams.add(new HeightEffects.StreamImage(r.nextBoolean(), r.nextInt(1 << 16), r.nextLong()));
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            e.batches.add(new HeightEffects.OutboundBatch(r.nextInt(1 << 16), r.nextLong(), bytes(r, r.nextInt(300))));
        }
        return e;
    }

    static byte[] bytes(final Random r, final int n) {
        final byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
