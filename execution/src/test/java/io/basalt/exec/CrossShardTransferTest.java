package io.basalt.exec;

import static io.basalt.exec.TestNetwork.FEE;
import static io.basalt.exec.TestNetwork.FUNDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import io.basalt.xshard.BatchCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transfers between two shards through the certified stream, with exact balances and supplies. */
class CrossShardTransferTest {
    private final TestNetwork net = new TestNetwork(2, 21);
    private final TestNetwork.Shard s0 = net.shard(0);
    private final TestNetwork.Shard s1 = net.shard(1);
    private final KeyPair alice = net.account(0, 0);
    private final KeyPair bob = net.account(1, 0);
    private final long shardNative = TestNetwork.FUNDED_PER_SHARD * FUNDS;
    private final long genesisNative = 2 * shardNative;

    @Test
    void theSourceDebitsAtCommitAndTheDestinationCreditsOnceOnRelay() {
        final byte[] tx = net.transfer(alice, bob, 0, 300);
        final TestNetwork.Height sent = s0.run(tx);

        assertEquals(ExecResult.SUCCESS, sent.result(0));
        assertEquals(FUNDS - 300 - FEE, s0.balance(alice, 0));
        assertEquals(shardNative - 300 - FEE, s0.supply(0), "the amount left shard 0's supply, the fee was burned");
        assertEquals(1, sent.effects().batches.size());
        final HeightEffects.OutboundBatch batch = sent.effects().batches.get(0);
        assertEquals(1, batch.destShard());
        assertEquals(1, batch.seq());
        assertEquals(List.of(1L), List.copyOf(s0.state.outbox(1, 1).keySet()));
        final List<BatchCodec.Receipt> receipts = TestNetwork.receipts(batch.prefix());
        assertEquals(1, receipts.size());
        assertArrayEquals(TestNetwork.txId(tx), receipts.get(0).txId());
        assertArrayEquals(bob.publicKey(), receipts.get(0).to());
        assertEquals(300, receipts.get(0).amount());
        assertEquals(FUNDS, s1.balance(bob, 0), "nothing arrives before the relay");
        assertEquals(300, net.inFlight(0));
        assertEquals(genesisNative - FEE, net.networkSupply(0));

        final TestNetwork.Delivery delivered = net.relay(0, 1);

        assertEquals(List.of(ExecResult.SUCCESS), delivered.height().results());
        assertEquals(FUNDS + 300, s1.balance(bob, 0));
        assertEquals(shardNative + 300, s1.supply(0));
        assertEquals(ExecResult.SUCCESS, delivered.height().settled(TestNetwork.txId(tx)));
        assertEquals(2, s1.state.inboundNext(0));
        assertEquals(0, net.inFlight(0));
        assertEquals(genesisNative - FEE, net.networkSupply(0));
        assertTrue(delivered.height().effects().batches.isEmpty(), "a credit sends nothing back");

        final TestNetwork.Height again = s1.run(delivered.certified().get(0));

        assertEquals(ExecResult.DUPLICATE, again.result(0));
        assertEquals(FUNDS + 300, s1.balance(bob, 0));
        assertEquals(shardNative + 300, s1.supply(0));
        assertTrue(again.effects().settled.isEmpty());
        assertTrue(again.effects().balances.isEmpty() && again.effects().streams.isEmpty());
        assertEquals(List.of(ExecResult.SUCCESS), s1.settledHistory(TestNetwork.txId(tx)));
    }

    @Test
    void theSameCertifiedBatchTwiceInOneHeightAppliesOnce() {
        s0.run(net.transfer(alice, bob, 0, 40));
        final byte[] certified = net.certified(0, 1, 1);

        final TestNetwork.Height h = s1.run(certified, certified);

        assertEquals(List.of(ExecResult.SUCCESS, ExecResult.DUPLICATE), h.results());
        assertEquals(FUNDS + 40, s1.balance(bob, 0));
    }

    @Test
    void aBatchAheadOfItsStreamWaitsAndChangesNothing() {
        final byte[][] txs = {net.transfer(alice, bob, 0, 1), net.transfer(alice, bob, 0, 20),
            net.transfer(alice, bob, 0, 300)};
        for (final byte[] tx : txs) {
            assertEquals(ExecResult.SUCCESS, s0.run(tx).result(0));
        }
        assertEquals(List.of(1L, 2L, 3L), List.copyOf(s0.state.outbox(1, 1).keySet()));
        assertEquals(genesisNative - 3 * FEE, net.networkSupply(0));
        final byte[] one = net.certified(0, 1, 1);
        final byte[] two = net.certified(0, 1, 2);
        final byte[] three = net.certified(0, 1, 3);

        assertEquals(ExecResult.SUCCESS, s1.run(one).result(0));
        assertEquals(FUNDS + 1, s1.balance(bob, 0));

        final TestNetwork.Height early = s1.run(three);
        assertEquals(ExecResult.OUT_OF_ORDER, early.result(0));
        assertEquals(FUNDS + 1, s1.balance(bob, 0));
        assertEquals(2, s1.state.inboundNext(0));
        assertTrue(early.effects().settled.isEmpty() && early.effects().balances.isEmpty());
        assertEquals(genesisNative - 3 * FEE, net.networkSupply(0));

        final TestNetwork.Height inOrder = s1.run(two, three);
        assertEquals(List.of(ExecResult.SUCCESS, ExecResult.SUCCESS), inOrder.results());
        assertEquals(FUNDS + 321, s1.balance(bob, 0));
        assertEquals(4, s1.state.inboundNext(0));
        assertEquals(ExecResult.SUCCESS, inOrder.settled(TestNetwork.txId(txs[1])));
        assertEquals(ExecResult.SUCCESS, inOrder.settled(TestNetwork.txId(txs[2])));

        assertEquals(List.of(ExecResult.DUPLICATE, ExecResult.DUPLICATE), s1.run(two, one).results());
        assertEquals(FUNDS + 321, s1.balance(bob, 0));
        assertEquals(0, net.inFlight(0));
        assertEquals(genesisNative - 3 * FEE, net.networkSupply(0));
    }

    @Test
    void manyTransfersOfOneHeightTravelInOneBatchInOrder() {
        final KeyPair bob2 = net.account(1, 1);
        final KeyPair carol = net.account(0, 1);
        final TestNetwork.Height sent = s0.run(net.transfer(alice, bob, 0, 5), net.transfer(carol, bob2, 0, 6),
            net.transfer(alice, carol, 0, 7), net.transfer(carol, bob, 0, 8));

        assertEquals(1, sent.effects().batches.size(), "one destination, one batch");
        final List<BatchCodec.Receipt> receipts = TestNetwork.receipts(sent.effects().batches.get(0).prefix());
        assertEquals(List.of(5L, 6L, 8L), receipts.stream().map(BatchCodec.Receipt::amount).toList());
        assertEquals(FUNDS - 5 - 7 - 2 * FEE, s0.balance(alice, 0));
        assertEquals(FUNDS + 7 - 6 - 8 - 2 * FEE, s0.balance(carol, 0));

        net.relay(0, 1);

        assertEquals(FUNDS + 13, s1.balance(bob, 0));
        assertEquals(FUNDS + 6, s1.balance(bob2, 0));
        assertEquals(genesisNative - 4 * FEE, net.networkSupply(0));
        assertEquals(genesisNative - 4 * FEE, net.heldByAccounts(0));
    }

    @Test
    void moreReceiptsThanABatchHoldsSplitIntoConsecutiveBatches() {
        final int n = io.basalt.protocol.ProtocolLimits.MAX_RECEIPTS + 3;
        final byte[][] txs = new byte[n][];
        final KeyPair[] senders = {alice, net.account(0, 1), net.account(0, 2)};
        for (int i = 0; i < n; i++) {
            txs[i] = net.transfer(senders[i % 3], bob, 0, 1);
        }
        final TestNetwork.Height sent = s0.run(txs);

        assertEquals(2, sent.effects().batches.size());
        assertEquals(List.of(1L, 2L), sent.effects().batches.stream().map(HeightEffects.OutboundBatch::seq).toList());
        assertEquals(io.basalt.protocol.ProtocolLimits.MAX_RECEIPTS,
            TestNetwork.receipts(sent.effects().batches.get(0).prefix()).size());
        assertEquals(3, TestNetwork.receipts(sent.effects().batches.get(1).prefix()).size());
        assertEquals(3, s0.state.outboundNext(1));

        final TestNetwork.Delivery d = net.relay(0, 1);
        assertEquals(List.of(ExecResult.SUCCESS, ExecResult.SUCCESS), d.height().results());
        assertEquals(FUNDS + n, s1.balance(bob, 0));
        assertEquals(n, d.height().effects().settled.size());
        assertEquals(genesisNative - n * FEE, net.networkSupply(0));
    }

    @Test
    void anInsufficientCrossShardTransferSendsNothing() {
        final TestNetwork.Height h = s0.run(net.transfer(alice, bob, 0, FUNDS));

        assertEquals(ExecResult.INSUFFICIENT_BALANCE, h.result(0));
        assertTrue(h.effects().batches.isEmpty());
        assertEquals(FUNDS - FEE, s0.balance(alice, 0));
        assertEquals(shardNative - FEE, s0.supply(0));
        assertEquals(1, s0.state.outboundNext(1), "no batch number was used");
    }

    @Test
    void anIssuedAssetTravelsAndComesBackWithItsSupplyConserved() {
        s0.run(net.createAsset(alice, 2, 1_000));
        s0.run(net.transfer(alice, bob, 2, 600));
        assertEquals(400, s0.supply(2));
        assertEquals(1_000, net.networkSupply(2));

        net.relay(0, 1);
        assertEquals(600, s1.balance(bob, 2));
        assertEquals(600, s1.supply(2), "shard 1 learned asset 2 from the receipt");
        assertArrayEquals(new byte[32], s1.state.assetIssuer(2), "an arrived asset has no issuer here");

        final TestNetwork.Height back = s1.run(net.transfer(bob, alice, 2, 250));
        assertEquals(ExecResult.SUCCESS, back.result(0));
        assertEquals(350, s1.supply(2));
        assertEquals(1_000, net.networkSupply(2));
        assertEquals(1, back.effects().batches.get(0).seq(), "the stream 1 -> 0 numbers from 1 on its own");

        net.relay(1, 0);
        assertEquals(650, s0.balance(alice, 2));
        assertEquals(650, s0.supply(2));
        assertEquals(1_000, net.networkSupply(2));
        assertArrayEquals(alice.publicKey(), s0.state.assetIssuer(2), "the home shard keeps the issuer");
        assertEquals(genesisNative - 3 * FEE, net.networkSupply(0));
    }

    @Test
    void aZeroAmountTransferOfAKnownAssetStillSettles() {
        final byte[] tx = net.transfer(alice, bob, 0, 0);
        s0.run(tx);
        final TestNetwork.Delivery d = net.relay(0, 1);

        assertEquals(ExecResult.SUCCESS, d.height().settled(TestNetwork.txId(tx)));
        assertEquals(FUNDS, s1.balance(bob, 0));
        assertEquals(genesisNative - FEE, net.networkSupply(0));
    }

    @Test
    void fromTheDestinationsSideItIsWrongShard() {
        final byte[] tx = net.transfer(alice, bob, 0, 300);

        assertEquals(ExecResult.WRONG_SHARD, s1.run(tx).result(0));
        assertEquals(FUNDS, s1.balance(bob, 0));
        assertTrue(s1.state.outbox(0, 1).isEmpty());
    }
}
