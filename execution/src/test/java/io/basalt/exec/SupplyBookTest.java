package io.basalt.exec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The always-on money invariant: balances plus escrows equal the shard's supply of every asset. */
class SupplyBookTest {
    @Test
    void consistentFiguresPass() {
        final SupplyBook book = new SupplyBook(0);
        book.balanceChanged(0, 0, 70);
        book.balanceChanged(0, 0, 20);
        book.balanceChanged(0, 20, 15);
        book.asset(0, 95, 10);

        assertDoesNotThrow(() -> book.check(0, 1));
        assertDoesNotThrow(() -> book.checkAll(1));
    }

    @Test
    void aSupplyOneAboveTheBalancesAndEscrowsIsCaught() {
        final SupplyBook book = new SupplyBook(3);
        book.balanceChanged(7, 0, 100);
        book.asset(7, 101, 0);

        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> book.check(7, 12));
        assertTrue(e.getMessage().contains("shard 3") && e.getMessage().contains("height 12"), e.getMessage());
    }

    @Test
    void anEscrowThatIsNotInTheSupplyIsCaught() {
        final SupplyBook book = new SupplyBook(0);
        book.balanceChanged(0, 0, 100);
        book.asset(0, 100, 1);

        assertThrows(IllegalStateException.class, () -> book.check(0, 1));
    }

    @Test
    void balancesOfAnAssetNobodyRegisteredAreCaught() {
        final SupplyBook book = new SupplyBook(0);
        book.balanceChanged(9, 0, 1);

        assertThrows(IllegalStateException.class, () -> book.checkAll(0));
    }

    @Test
    void aNegativeBalanceIsCaught() {
        assertThrows(IllegalStateException.class, () -> new SupplyBook(0).balanceChanged(0, 5, -1));
    }

    @Test
    void checkingAHeightLooksAtEveryAssetItTouched() {
        final SupplyBook book = new SupplyBook(0);
        book.balanceChanged(1, 0, 10);
        book.asset(1, 10, 0);
        book.balanceChanged(2, 0, 10);
        book.asset(2, 11, 0); // broken, and only asset 2's image names it
        final HeightEffects e = new HeightEffects(5, 0);
        e.assets.add(new HeightEffects.AssetImage(2, new byte[32], 11, 0));

        assertThrows(IllegalStateException.class, () -> book.check(e));
        final HeightEffects untouched = new HeightEffects(5, 0);
        untouched.balances.add(new HeightEffects.BalanceImage(new byte[32], 1, 10));
        assertDoesNotThrow(() -> book.check(untouched));
    }

    @Test
    void aStateFedAnInconsistentAssetImageStops() {
        final TestNetwork net = new TestNetwork(2, 71);
        final MemoryState state = net.shard(0).state;
        final long supply = net.shard(0).supply(0);
        final HeightEffects forged = new HeightEffects(1, net.nowMs + 1);
        forged.assets.add(new HeightEffects.AssetImage(0, new byte[32], supply + 1, 0));

        assertThrows(IllegalStateException.class, () -> state.commit(forged));
    }

    @Test
    void aStateFedABalanceImageWithoutItsAssetImageStops() {
        final TestNetwork net = new TestNetwork(2, 72);
        final KeyPair alice = net.account(0, 0);
        final HeightEffects forged = new HeightEffects(1, net.nowMs + 1);
        forged.balances.add(new HeightEffects.BalanceImage(alice.publicKey(), 0, TestNetwork.FUNDS + 1));

        assertThrows(IllegalStateException.class, () -> net.shard(0).state.commit(forged));
    }

    @Test
    void aStateFedConsistentImagesAccepts() {
        final TestNetwork net = new TestNetwork(2, 73);
        final KeyPair alice = net.account(0, 0);
        final long supply = net.shard(0).supply(0);
        final HeightEffects burn = new HeightEffects(1, net.nowMs + 1);
        burn.balances.add(new HeightEffects.BalanceImage(alice.publicKey(), 0, TestNetwork.FUNDS - 1));
        burn.assets.add(new HeightEffects.AssetImage(0, new byte[32], supply - 1, 0));

        net.shard(0).state.commit(burn);

        assertEquals(TestNetwork.FUNDS - 1, net.shard(0).balance(alice, 0));
        assertEquals(List.of(0), List.copyOf(net.shard(0).state.assets().keySet()));
    }
}
