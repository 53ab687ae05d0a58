package io.basalt.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whole networks under seeded random traffic ({@link RandomTraffic}): the money and settlement
 * oracles hold, and execution is a function of the heights alone.
 */
class NetworkProperties {
    @Property(tries = 60)
    void moneyIsConservedAndEveryCrossShardOutcomeSettlesOnce(@ForAll final long seed,
                                                             @ForAll @IntRange(min = 2, max = 3) final int shards,
                                                             @ForAll final boolean free) {
        final TestNetwork net = new TestNetwork(shards, seed, free ? 0 : TestNetwork.FEE, List.of());
        final RandomTraffic traffic = new RandomTraffic(net, seed);

        traffic.run(80);
        traffic.checkAfterDrain();
    }

    /** The oracle itself: one unit of asset 0 created behind the rules' back (consistently on its shard) is caught. */
    @Example
    void theMoneyOracleCatchesSupplyCreatedOutsideTheRules() {
        final TestNetwork net = new TestNetwork(2, 83);
        final RandomTraffic traffic = new RandomTraffic(net, 83);
        traffic.run(30);
        final TestNetwork.Shard s0 = net.shard(0);
        final io.basalt.crypto.KeyPair alice = net.account(0, 0);
        final HeightEffects forged = new HeightEffects(s0.state.height() + 1, net.nowMs + 1);
        forged.balances.add(new HeightEffects.BalanceImage(alice.publicKey(), 0, s0.balance(alice, 0) + 1));
        forged.assets.add(new HeightEffects.AssetImage(0, new byte[32], s0.supply(0) + 1, s0.escrowed(0)));
        s0.state.commit(forged); // the shard's own invariant holds: balances and supply moved together

        assertThrows(org.opentest4j.AssertionFailedError.class, traffic::checkAfterDrain);
    }

    /**
     * Two networks of the same seed, one executing every transaction from an offset inside a
     * larger buffer with a new executor for every height, write byte-identical records.
     */
    @Property(tries = 15)
    void twoIndependentExecutorsWriteIdenticalRecords(@ForAll final long seed) {
        final TestNetwork x = new TestNetwork(2, seed);
        final TestNetwork y = new TestNetwork(2, seed);
        y.txOffset = 37;
        y.freshExecutorEachHeight = true;

        new RandomTraffic(x, seed).run(40);
        new RandomTraffic(y, seed).run(40);

        for (int s = 0; s < 2; s++) {
            assertEquals(x.shard(s).heights.size(), y.shard(s).heights.size());
            for (int h = 0; h < x.shard(s).heights.size(); h++) {
                assertArrayEquals(x.shard(s).heights.get(h).record(), y.shard(s).heights.get(h).record(),
                    "shard " + s + " height " + (h + 1));
            }
            assertArrayEquals(x.shard(s).state.digest(), y.shard(s).state.digest());
        }
    }

    @Example
    void theSameScriptTwiceGivesTheSameDigestsAndAnyChangedTransactionChangesThem() {
        final TestNetwork x = script(81, 300);
        final TestNetwork y = script(81, 300);
        final TestNetwork z = script(81, 301);

        assertTrue(RandomTraffic.sameRecords(x, y));
        for (int s = 0; s < 2; s++) {
            assertArrayEquals(x.shard(s).state.digest(), y.shard(s).state.digest());
        }
        assertFalse(Arrays.equals(x.shard(0).state.digest(), z.shard(0).state.digest()), "shard 0 ran another amount");
        assertFalse(Arrays.equals(x.shard(1).state.digest(), z.shard(1).state.digest()), "and so did the credit");
    }

    /** Transfers, a mint, a committed and an aborted swap, relays: the same bytes for the same seed. */
    private static TestNetwork script(final long seed, final long amount) {
        final TestNetwork net = new TestNetwork(2, seed);
        net.txOffset = (int) (amount % 7);
        net.shard(1).run(net.createAsset(net.account(1, 0), 5, 1_000));
        net.shard(0).run(net.transfer(net.account(0, 0), net.account(1, 1), 0, amount),
            net.swap(net.account(0, 1), 0, 10, net.account(1, 0), 5, 20),
            net.swap(net.account(0, 2), 0, 10, net.account(1, 2), 5, 20));
        net.drain();
        assertEquals(List.of(), net.pendingPrefixes(0, 1));
        return net;
    }
}
