package io.basalt.exec;

import static io.basalt.exec.TestNetwork.FEE;
import static io.basalt.exec.TestNetwork.FUNDS;
import static io.basalt.exec.TestNetwork.NETWORK_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user-transaction rules inside one shard, with exact balances, fees and supplies. */
class SameShardRulesTest {
    private final TestNetwork net = new TestNetwork(2, 11);
    private final TestNetwork.Shard s0 = net.shard(0);
    private final KeyPair alice = net.account(0, 0);
    private final KeyPair bob = net.account(0, 1);
    private final long shardNative = TestNetwork.FUNDED_PER_SHARD * FUNDS;

    @Test
    void transferMovesTheAmountAndBurnsTheFee() {
        final TestNetwork.Height h = s0.run(net.transfer(alice, bob, 0, 250));

        assertEquals(ExecResult.SUCCESS, h.result(0));
        assertEquals(FUNDS - 250 - FEE, s0.balance(alice, 0));
        assertEquals(FUNDS + 250, s0.balance(bob, 0));
        assertEquals(shardNative - FEE, s0.supply(0));
        assertTrue(h.effects().batches.isEmpty(), "a same-shard transfer cuts no batch");
        assertTrue(h.effects().settled.isEmpty());
    }

    @Test
    void transferOfTheWholeBalanceAfterTheFeeEmptiesTheAccount() {
        final TestNetwork.Height h = s0.run(net.transfer(alice, bob, 0, FUNDS - FEE));

        assertEquals(ExecResult.SUCCESS, h.result(0));
        assertEquals(0, s0.balance(alice, 0));
        assertEquals(2 * FUNDS - FEE, s0.balance(bob, 0));
    }

    @Test
    void insufficientBalanceChargesTheFeeOnly() {
        // The fee is taken first, so FUNDS - FEE is left: one more than that is too much.
        final byte[] tx = net.transfer(alice, bob, 0, FUNDS - FEE + 1);
        final TestNetwork.Height h = s0.run(tx);

        assertEquals(ExecResult.INSUFFICIENT_BALANCE, h.result(0));
        assertEquals(FUNDS - FEE, s0.balance(alice, 0));
        assertEquals(FUNDS, s0.balance(bob, 0));
        assertEquals(shardNative - FEE, s0.supply(0));
        // Charged, so the id is spent: the same bytes again are a no-op.
        assertEquals(ExecResult.DUPLICATE, s0.run(tx).result(0));
        assertEquals(FUNDS - FEE, s0.balance(alice, 0));
    }

    @Test
    void anAmountAboveTwoToTheSixtyThreeIsInsufficient() {
        final TestNetwork.Height h = s0.run(net.transfer(alice, bob, 0, Long.MIN_VALUE));

        assertEquals(ExecResult.INSUFFICIENT_BALANCE, h.result(0));
        assertEquals(FUNDS - FEE, s0.balance(alice, 0));
        assertEquals(FUNDS, s0.balance(bob, 0));
    }

    @Test
    void aZeroTransferOfAnUnknownAssetCreatesNoBalance() {
        final TestNetwork.Height h = s0.run(net.transfer(alice, bob, 8, 0));

        assertEquals(ExecResult.INSUFFICIENT_BALANCE, h.result(0));
        assertEquals(FUNDS - FEE, s0.balance(alice, 0));
        assertNull(s0.state.assets().get(8));
        assertTrue(h.effects().balances.stream().noneMatch(b -> b.assetId() == 8));
    }

    @Test
    void aDuplicateInTheSameHeightAndInALaterHeightIsChargedOnce() {
        final byte[] tx = net.transfer(alice, bob, 0, 100);

        final TestNetwork.Height first = s0.run(tx, tx);
        assertEquals(List.of(ExecResult.SUCCESS, ExecResult.DUPLICATE), first.results());
        assertEquals(FUNDS - 100 - FEE, s0.balance(alice, 0));
        assertEquals(FUNDS + 100, s0.balance(bob, 0));

        final TestNetwork.Height later = s0.run(tx);
        assertEquals(ExecResult.DUPLICATE, later.result(0));
        assertEquals(FUNDS - 100 - FEE, s0.balance(alice, 0));
        assertEquals(FUNDS + 100, s0.balance(bob, 0));
        assertEquals(shardNative - FEE, s0.supply(0));
        assertTrue(later.effects().balances.isEmpty(), "a duplicate writes nothing");
    }

    @Test
    void guardFailuresAreNotCharged() {
        final KeyPair remote = net.account(1, 0);
        final KeyPair poor = net.unfunded(0);
        s0.run(net.transfer(alice, poor, 0, FEE - 1)); // poor can no longer pay a fee
        final long aliceBefore = s0.balance(alice, 0);
        final long at = net.nextTimeMs();
        final byte[] expired = net.transfer(NETWORK_ID, FEE, at, alice, bob.publicKey(), 0, 1);
        final byte[] tooFar = net.transfer(NETWORK_ID, FEE, at + ExecConfig.MAX_EXPIRY_AHEAD_MS + 1, alice,
            bob.publicKey(), 0, 1);
        final byte[] wrongNetwork = net.transfer(NETWORK_ID + 1, FEE, at + 5_000, alice, bob.publicKey(), 0, 1);
        final byte[] wrongShard = net.transfer(NETWORK_ID, FEE, at + 5_000, remote, bob.publicKey(), 0, 1);
        final byte[] lowFeeField = net.transfer(NETWORK_ID, FEE - 1, at + 5_000, alice, bob.publicKey(), 0, 1);
        final byte[] payerCannotPay = net.transfer(NETWORK_ID, FEE, at + 5_000, poor, bob.publicKey(), 0, 1);

        final TestNetwork.Height h = s0.runAt(at, expired, tooFar, wrongNetwork, wrongShard, lowFeeField,
            payerCannotPay);

        assertEquals(List.of(ExecResult.EXPIRED, ExecResult.EXPIRED, ExecResult.WRONG_NETWORK, ExecResult.WRONG_SHARD,
            ExecResult.INSUFFICIENT_FEE, ExecResult.INSUFFICIENT_FEE), h.results());
        assertEquals(aliceBefore, s0.balance(alice, 0));
        assertEquals(FEE - 1, s0.balance(poor, 0));
        assertEquals(FUNDS, s0.balance(bob, 0));
        assertTrue(h.effects().balances.isEmpty() && h.effects().assets.isEmpty() && h.effects().replay.isEmpty(),
            "guard failures write nothing: " + h.effects().balances);
        for (final byte[] tx : List.of(expired, tooFar, wrongNetwork, wrongShard, lowFeeField, payerCannotPay)) {
            assertEquals(StateView.ABSENT, s0.state.replayExpiry(TestNetwork.txId(tx)), "not in the replay set");
        }
    }

    @Test
    void expiryExactlySixtySecondsAheadIsAcceptedAndOneMillisecondMoreIsNot() {
        final long at = net.nextTimeMs();
        final byte[] edge = net.transfer(NETWORK_ID, FEE, at + ExecConfig.MAX_EXPIRY_AHEAD_MS, alice, bob.publicKey(),
            0, 5);
        final byte[] justExpired = net.transfer(NETWORK_ID, FEE, at + 1, alice, bob.publicKey(), 0, 7);

        final TestNetwork.Height h = s0.runAt(at, edge, justExpired);
        assertEquals(List.of(ExecResult.SUCCESS, ExecResult.SUCCESS), h.results());
        assertEquals(FUNDS - 12 - 2 * FEE, s0.balance(alice, 0));
    }

    @Test
    void createAssetMintsToTheIssuer() {
        final TestNetwork.Height h = s0.run(net.createAsset(alice, 4, 5_000));

        assertEquals(ExecResult.SUCCESS, h.result(0));
        assertEquals(5_000, s0.balance(alice, 4));
        assertEquals(5_000, s0.supply(4));
        assertEquals(0, s0.escrowed(4));
        assertEquals(FUNDS - FEE, s0.balance(alice, 0));
        assertTrue(java.util.Arrays.equals(alice.publicKey(), s0.state.assetIssuer(4)));
    }

    @Test
    void secondCreateIsAssetExistsAndChargesTheFee() {
        s0.run(net.createAsset(alice, 4, 5_000));
        final TestNetwork.Height h = s0.run(net.createAsset(bob, 4, 9_999));

        assertEquals(ExecResult.ASSET_EXISTS, h.result(0));
        assertEquals(5_000, s0.supply(4));
        assertEquals(5_000, s0.balance(alice, 4));
        assertEquals(0, s0.balance(bob, 4));
        assertEquals(FUNDS - FEE, s0.balance(bob, 0));
        assertTrue(java.util.Arrays.equals(alice.publicKey(), s0.state.assetIssuer(4)));
    }

    @Test
    void assetZeroIsInvalidAndAnIdOfAnotherShardIsRefused() {
        final TestNetwork.Height h = s0.run(net.createAsset(alice, 0, 1_000), net.createAsset(alice, 5, 1_000),
            net.createAsset(alice, 0xFFFF_FFFF, 1_000));

        assertEquals(List.of(ExecResult.INVALID, ExecResult.ASSET_ID_OF_OTHER_SHARD,
            ExecResult.ASSET_ID_OF_OTHER_SHARD), h.results());
        assertEquals(FUNDS - 3 * FEE, s0.balance(alice, 0), "each charged the fee");
        assertEquals(shardNative - 3 * FEE, s0.supply(0), "asset 0 was not minted");
        assertNull(s0.state.assets().get(5));
        assertNull(s0.state.assets().get(0xFFFF_FFFF));
    }

    @Test
    void assetIdsAreReadAsUnsigned() {
        // 2^32 - 1 is odd (shard 1 of 2), but as a signed int it is -1; and 2^32 - 1 = 3 * 1431655765.
        final TestNetwork.Shard s1 = net.shard(1);
        final KeyPair carol = net.account(1, 0);
        assertEquals(ExecResult.SUCCESS, s1.run(net.createAsset(carol, 0xFFFF_FFFF, 77)).result(0));
        assertEquals(77, s1.balance(carol, 0xFFFF_FFFF));

        final TestNetwork three = new TestNetwork(3, 12);
        final KeyPair dave = three.account(0, 0);
        assertEquals(ExecResult.SUCCESS, three.shard(0).run(three.createAsset(dave, 0xFFFF_FFFF, 5)).result(0));
        final KeyPair erin = three.account(2, 0);
        assertEquals(ExecResult.SUCCESS, three.shard(2).run(three.createAsset(erin, 0xFFFF_FFFE, 5)).result(0),
            "(2^32 - 2) mod 3 is 2");
        assertEquals(ExecResult.ASSET_ID_OF_OTHER_SHARD,
            three.shard(2).run(three.createAsset(erin, 0xFFFF_FFFD, 5)).result(0), "(2^32 - 3) mod 3 is 0");
    }

    @Test
    void aSupplyAboveTwoToTheSixtyThreeOverflows() {
        final TestNetwork.Height h = s0.run(net.createAsset(alice, 6, Long.MIN_VALUE));

        assertEquals(ExecResult.OVERFLOW, h.result(0));
        assertNull(s0.state.assets().get(6));
        assertEquals(FUNDS - FEE, s0.balance(alice, 0));
    }

    @Test
    void sameShardSwapExchangesBothLegs() {
        s0.run(net.createAsset(alice, 6, 1_000));
        final TestNetwork.Height h = s0.run(net.swap(alice, 6, 100, bob, 0, 500));

        assertEquals(ExecResult.SUCCESS, h.result(0));
        assertEquals(900, s0.balance(alice, 6));
        assertEquals(100, s0.balance(bob, 6));
        assertEquals(FUNDS - 2 * FEE + 500, s0.balance(alice, 0));
        assertEquals(FUNDS - 500, s0.balance(bob, 0));
        assertEquals(1_000, s0.supply(6));
        assertEquals(shardNative - 2 * FEE, s0.supply(0));
        assertTrue(s0.state.swaps().isEmpty(), "a same-shard swap keeps no record");
    }

    @Test
    void sameShardSwapIsAllOrNothing() {
        s0.run(net.createAsset(alice, 6, 1_000));
        // A's leg is covered, B's is not: A's leg must be undone.
        final TestNetwork.Height bLacks = s0.run(net.swap(alice, 6, 100, bob, 0, FUNDS + 1));
        // A's leg is not covered.
        final TestNetwork.Height aLacks = s0.run(net.swap(alice, 6, 1_001, bob, 0, 1));

        assertEquals(ExecResult.INSUFFICIENT_BALANCE, bLacks.result(0));
        assertEquals(ExecResult.INSUFFICIENT_BALANCE, aLacks.result(0));
        assertEquals(1_000, s0.balance(alice, 6));
        assertEquals(0, s0.balance(bob, 6));
        assertEquals(FUNDS - 3 * FEE, s0.balance(alice, 0));
        assertEquals(FUNDS, s0.balance(bob, 0));
        assertTrue(bLacks.effects().balances.stream().noneMatch(b -> b.assetId() == 6),
            "the undone leg leaves no image");
    }
}
