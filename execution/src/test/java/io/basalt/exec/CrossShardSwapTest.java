package io.basalt.exec;

import static io.basalt.exec.TestNetwork.FEE;
import static io.basalt.exec.TestNetwork.FUNDS;
import static io.basalt.exec.TestNetwork.NETWORK_ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.sbe.SwapVote;
import io.basalt.xshard.BatchCodec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shard-led two-phase commit of a swap between A on shard 0 (gives {@value #AMOUNT_A} of
 * asset 0) and B on shard 1 (gives {@value #AMOUNT_B} of asset {@value #X}, minted on shard 1).
 */
class CrossShardSwapTest {
    static final int X = 3;
    static final long X_SUPPLY = 10_000;
    static final long AMOUNT_A = 400;
    static final long AMOUNT_B = 250;

    private final TestNetwork net = new TestNetwork(2, 41);
    private final TestNetwork.Shard s0 = net.shard(0);
    private final TestNetwork.Shard s1 = net.shard(1);
    private final KeyPair a = net.account(0, 0);
    private final KeyPair b = net.account(1, 0);
    private final long shardNative = TestNetwork.FUNDED_PER_SHARD * FUNDS;
    /** Asset 0 of the network once B has paid the fee of minting X. */
    private final long genesisNative = 2 * shardNative - FEE;

    @BeforeEach
    void mintX() {
        assertEquals(1, X % 2, "X is minted on shard 1");
        assertEquals(ExecResult.SUCCESS, s1.run(net.createAsset(b, X, X_SUPPLY)).result(0));
    }

    @Test
    void submittedToTheShardOfA() {
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, X, AMOUNT_B);
        final byte[] id = TestNetwork.txId(swap);

        final TestNetwork.Height ordered = s0.run(swap);
        assertEquals(ExecResult.SUCCESS, ordered.result(0));
        assertEquals(FUNDS - FEE - AMOUNT_A, s0.balance(a, 0));
        assertEquals(shardNative - FEE, s0.supply(0), "an escrow stays in the shard's supply");
        assertEquals(AMOUNT_A, s0.escrowed(0));
        assertEquals(AMOUNT_A, s0.state.escrowedInRecords(0));
        final SwapRecord record0 = only(s0.state.swaps());
        assertEquals(SwapRecord.PREPARED, record0.myVote());
        assertEquals(SwapRecord.NONE, record0.otherVote());
        assertTrue(record0.aSide());
        assertEquals(1, ordered.effects().batches.size());
        assertEquals(List.of(SwapVote.PREPARED), voteKinds(ordered.effects().batches.get(0).prefix()));
        assertConserved();

        final TestNetwork.Delivery toB = net.relay(0, 1);
        assertEquals(ExecResult.SUCCESS, toB.result(0));
        assertEquals(X_SUPPLY - AMOUNT_B, s1.balance(b, X));
        assertEquals(X_SUPPLY - AMOUNT_B, s1.supply(X), "B's leg left shard 1 at the commit");
        assertEquals(0, s1.escrowed(X));
        final SwapRecord record1 = only(s1.state.swaps());
        assertEquals(SwapRecord.COMMITTED, record1.decision());
        assertEquals(0, record1.escrowed());
        assertNull(toB.height().settled(id), "shard 1 settles when A's leg arrives");
        final byte[] back = toB.height().effects().batches.get(0).prefix();
        assertEquals(List.of(SwapVote.PREPARED), voteKinds(back));
        final List<BatchCodec.Receipt> legB = TestNetwork.receipts(back);
        assertEquals(1, legB.size());
        assertArrayEquals(a.publicKey(), legB.get(0).to());
        assertEquals(X, legB.get(0).assetId());
        assertEquals(AMOUNT_B, legB.get(0).amount());
        assertConserved();

        final TestNetwork.Delivery toA = net.relay(1, 0);
        assertEquals(ExecResult.SUCCESS, toA.result(0));
        assertEquals(AMOUNT_B, s0.balance(a, X));
        assertEquals(ExecResult.SUCCESS, toA.height().settled(id));
        assertEquals(FUNDS - FEE - AMOUNT_A, s0.balance(a, 0));
        assertEquals(shardNative - FEE - AMOUNT_A, s0.supply(0), "A's leg left shard 0 at the commit");
        assertEquals(0, s0.escrowed(0));
        assertTrue(s0.state.swaps().isEmpty());
        assertConserved();

        final TestNetwork.Delivery again = net.relay(0, 1);
        assertEquals(ExecResult.SUCCESS, again.result(0));
        assertEquals(FUNDS - FEE + AMOUNT_A, s1.balance(b, 0));
        assertEquals(ExecResult.SUCCESS, again.height().settled(id));
        assertTrue(s1.state.swaps().isEmpty());

        assertSettledOnce(id, ExecResult.SUCCESS);
        assertCommittedBalances();
        assertEquals(0, net.drain(), "nothing more to send");
    }

    @Test
    void submittedToTheShardOfB() {
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, X, AMOUNT_B);

        final TestNetwork.Height ordered = s1.run(swap);
        assertEquals(ExecResult.SUCCESS, ordered.result(0));
        assertEquals(X_SUPPLY - AMOUNT_B, s1.balance(b, X));
        assertEquals(X_SUPPLY, s1.supply(X));
        assertEquals(AMOUNT_B, s1.escrowed(X));
        assertEquals(FUNDS - FEE, s1.balance(b, 0), "B's shard charges no fee for the swap (B paid the mint)");
        assertTrue(!only(s1.state.swaps()).aSide());
        assertEquals(genesisNative, net.networkSupply(0), "A's shard has not charged the fee yet");
        assertEquals(X_SUPPLY, net.networkSupply(X));

        final TestNetwork.Delivery toA = net.relay(1, 0);
        assertEquals(ExecResult.SUCCESS, toA.result(0));
        assertEquals(FUNDS - FEE - AMOUNT_A, s0.balance(a, 0), "A's shard charged the fee when it learned the swap");
        assertEquals(shardNative - FEE - AMOUNT_A, s0.supply(0));
        assertEquals(0, s0.escrowed(0), "escrowed and committed in one step");
        assertConserved();

        net.relay(0, 1);
        assertEquals(FUNDS - FEE + AMOUNT_A, s1.balance(b, 0));
        assertEquals(0, s1.escrowed(X));
        net.relay(1, 0);

        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SUCCESS);
        assertCommittedBalances();
        assertEquals(0, net.drain());
    }

    @Test
    void submittedToBothShardsSettlesOnce() {
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, X, AMOUNT_B);

        assertEquals(ExecResult.SUCCESS, s0.run(swap).result(0));
        assertEquals(ExecResult.SUCCESS, s1.run(swap).result(0));
        assertEquals(AMOUNT_A, s0.escrowed(0));
        assertEquals(AMOUNT_B, s1.escrowed(X));
        assertConserved();

        net.drain();

        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SUCCESS);
        assertCommittedBalances();
    }

    @Test
    void aClientCopyAfterTheVoteIsADuplicate() {
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, X, AMOUNT_B);
        s0.run(swap);
        net.relay(0, 1);

        final TestNetwork.Height copy = s1.run(swap);
        assertEquals(ExecResult.DUPLICATE, copy.result(0));
        assertTrue(copy.effects().batches.isEmpty() && copy.effects().balances.isEmpty());
        assertEquals(X_SUPPLY - AMOUNT_B, s1.balance(b, X));

        net.drain();
        assertEquals(ExecResult.DUPLICATE, s0.run(swap).result(0), "and after it finished, on A's shard too");
        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SUCCESS);
        assertCommittedBalances();
    }

    @Test
    void bLacksItsLegSoBothSidesRefund() {
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, X, X_SUPPLY + 1);
        final byte[] id = TestNetwork.txId(swap);

        assertEquals(ExecResult.SUCCESS, s0.run(swap).result(0));
        assertEquals(AMOUNT_A, s0.escrowed(0));

        final TestNetwork.Delivery toB = net.relay(0, 1);
        assertEquals(ExecResult.SUCCESS, toB.result(0), "the batch applied; the swap is what aborts");
        assertEquals(ExecResult.SWAP_ABORTED, toB.height().settled(id));
        assertEquals(List.of(SwapVote.ABORT), voteKinds(toB.height().effects().batches.get(0).prefix()));
        assertTrue(TestNetwork.receipts(toB.height().effects().batches.get(0).prefix()).isEmpty());
        assertTrue(s1.state.swaps().isEmpty());
        assertEquals(X_SUPPLY, s1.balance(b, X));
        assertEquals(0, s1.escrowed(X));

        final TestNetwork.Delivery toA = net.relay(1, 0);
        assertEquals(ExecResult.SWAP_ABORTED, toA.height().settled(id));
        assertTrue(toA.height().effects().batches.isEmpty(), "an abort sends nothing more");

        assertAbortedBalances();
        assertSettledOnce(id, ExecResult.SWAP_ABORTED);
    }

    @Test
    void aLacksItsLegSoTheFeeIsAllItPays() {
        final byte[] swap = net.swap(a, 0, FUNDS, b, X, AMOUNT_B);

        assertEquals(ExecResult.INSUFFICIENT_BALANCE, s0.run(swap).result(0));
        assertEquals(FUNDS - FEE, s0.balance(a, 0));
        assertEquals(0, s0.escrowed(0));
        assertEquals(SwapRecord.ABORT, only(s0.state.swaps()).myVote());

        net.drain();

        assertAbortedBalances();
        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SWAP_ABORTED);
    }

    @Test
    void theVoteReachesBAfterTheExpirySoBothRefund() {
        final long expiry = net.nextTimeMs() + 5_000;
        final byte[] swap = net.swap(NETWORK_ID, FEE, expiry, a, 0, AMOUNT_A, b, X, AMOUNT_B);
        final byte[] id = TestNetwork.txId(swap);
        assertEquals(ExecResult.SUCCESS, s0.run(swap).result(0));

        final byte[] vote = net.certified(0, 1, 1);
        final TestNetwork.Height late = s1.runAt(expiry, vote);
        assertEquals(ExecResult.SUCCESS, late.result(0));
        assertEquals(ExecResult.SWAP_ABORTED, late.settled(id));
        assertEquals(X_SUPPLY, s1.balance(b, X), "no escrow is taken at or after the expiry");
        assertEquals(List.of(SwapVote.ABORT), voteKinds(late.effects().batches.get(0).prefix()));

        net.drain();

        assertAbortedBalances();
        assertSettledOnce(id, ExecResult.SWAP_ABORTED);
    }

    @Test
    void theVoteReachesBOneMillisecondBeforeTheExpirySoItCommits() {
        final long expiry = net.nextTimeMs() + 5_000;
        final byte[] swap = net.swap(NETWORK_ID, FEE, expiry, a, 0, AMOUNT_A, b, X, AMOUNT_B);
        s0.run(swap);

        s1.runAt(expiry - 1, net.certified(0, 1, 1));
        net.advance(60_000); // the rest arrives long after the expiry: a decided swap still finishes
        net.drain();

        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SUCCESS);
        assertCommittedBalances();
    }

    @Test
    void theVoteReachesAAfterTheExpirySoBRefundsAndANeverPays() {
        final long expiry = net.nextTimeMs() + 5_000;
        final byte[] swap = net.swap(NETWORK_ID, FEE, expiry, a, 0, AMOUNT_A, b, X, AMOUNT_B);
        assertEquals(ExecResult.SUCCESS, s1.run(swap).result(0));
        assertEquals(AMOUNT_B, s1.escrowed(X));

        final TestNetwork.Height late = s0.runAt(expiry + 1, net.certified(1, 0, 1));
        assertEquals(ExecResult.SWAP_ABORTED, late.settled(TestNetwork.txId(swap)));
        assertEquals(FUNDS, s0.balance(a, 0), "no fee is taken for a swap A's shard learns of too late");
        net.drain();

        assertEquals(FUNDS, s0.balance(a, 0));
        assertEquals(X_SUPPLY, s1.balance(b, X));
        assertEquals(0, s1.escrowed(X));
        assertTrue(s0.state.swaps().isEmpty() && s1.state.swaps().isEmpty());
        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SWAP_ABORTED);
        assertEquals(2 * shardNative - FEE, net.networkSupply(0));
    }

    @Test
    void aReplayedBatchWithThePreparedVoteIsADuplicate() {
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, X, AMOUNT_B);
        s0.run(swap);
        final TestNetwork.Delivery toB = net.relay(0, 1);

        final TestNetwork.Height replayed = s1.run(toB.certified().get(0));
        assertEquals(ExecResult.DUPLICATE, replayed.result(0));
        assertTrue(replayed.effects().batches.isEmpty(), "no second vote, no second leg");
        assertEquals(X_SUPPLY - AMOUNT_B, s1.balance(b, X));
        assertEquals(0, s1.escrowed(X));

        final TestNetwork.Delivery toA = net.relay(1, 0);
        assertEquals(ExecResult.DUPLICATE, s0.run(toA.certified().get(0)).result(0));
        assertEquals(AMOUNT_B, s0.balance(a, X), "the leg was paid once");

        net.drain();
        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SUCCESS);
        assertCommittedBalances();
    }

    @Test
    void aSecondCertifiedBatchRepeatingTheVoteChangesNothing() {
        // Not a replay of the same batch (that is DUPLICATE by seq): a later batch number carrying
        // the same vote again. The record's vote slot, then the replay set, must absorb it.
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, X, AMOUNT_B);
        final byte[] id = TestNetwork.txId(swap);
        final BatchCodec codec = new BatchCodec();
        s0.run(swap);
        net.relay(0, 1);
        net.relay(1, 0);
        // Shard 0's batch 2 carries A's leg to B; the forgery adds the vote B's shard applied in batch 1.
        final byte[] genuine = net.prefix(0, 1, 2);
        final byte[] withRepeat = codec.encodePrefix(0, 1, 2, net.nowMs, TestNetwork.receipts(genuine),
            List.of(new BatchCodec.Vote(id, SwapVote.PREPARED, swap)));

        final TestNetwork.Height whileOpen = s1.run(net.certify(withRepeat, 0, new int[] {0, 1, 2}));
        assertEquals(ExecResult.SUCCESS, whileOpen.result(0));
        assertTrue(whileOpen.effects().batches.isEmpty(), "no second vote, no second leg");
        assertEquals(ExecResult.SUCCESS, whileOpen.settled(id));
        assertCommittedBalances();

        final byte[] repeatAgain = codec.encodePrefix(0, 1, 3, net.nowMs, List.of(),
            List.of(new BatchCodec.Vote(id, SwapVote.PREPARED, swap)));
        final TestNetwork.Height afterFinish = s1.run(net.certify(repeatAgain, 0, new int[] {0, 1, 2}));
        assertEquals(ExecResult.SUCCESS, afterFinish.result(0));
        assertTrue(afterFinish.effects().batches.isEmpty() && afterFinish.effects().balances.isEmpty()
            && afterFinish.effects().settled.isEmpty() && afterFinish.effects().swaps.isEmpty());
        assertCommittedBalances();
        assertSettledOnce(id, ExecResult.SUCCESS);
    }

    @Test
    void aSwapWhoseLegIsAnAssetUnknownOnItsShardAborts() {
        // B offers asset 5, which nobody minted: shard 1 cannot escrow it.
        final byte[] swap = net.swap(a, 0, AMOUNT_A, b, 5, 1);
        s0.run(swap);
        net.drain();

        assertAbortedBalances();
        assertNull(s1.state.assets().get(5));
        assertSettledOnce(TestNetwork.txId(swap), ExecResult.SWAP_ABORTED);
    }

    @Test
    void moreSwapsThanABatchHoldsSplitAndALegMayArriveBeforeItsVote() {
        final int swaps = io.basalt.protocol.ProtocolLimits.MAX_VOTES + 8;
        final byte[][] txs = new byte[swaps][];
        for (int i = 0; i < swaps; i++) {
            txs[i] = net.swap(a, 0, 1 + i, b, X, 2 + i);
        }
        final TestNetwork.Height ordered = s0.run(txs);
        assertEquals(2, ordered.effects().batches.size(), "votes beyond MAX_VOTES go in a second batch");
        net.relay(0, 1);
        assertEquals(List.of(1L, 2L), List.copyOf(s1.state.outbox(0, 1).keySet()));
        // Batch 1 from shard 1 carries every leg but only the first MAX_VOTES votes.
        assertEquals(swaps, TestNetwork.receipts(net.prefix(1, 0, 1)).size());

        final TestNetwork.Height first = s0.run(net.certified(1, 0, 1));
        assertEquals(ExecResult.SUCCESS, first.result(0));
        assertEquals(8, s0.state.swaps().size(), "8 swaps have their leg but not yet the vote");
        for (final SwapRecord r : s0.state.swaps()) {
            assertTrue(r.incomingReceived() && r.decision() == SwapRecord.OPEN, r.toString());
        }
        assertNull(first.settled(TestNetwork.txId(txs[swaps - 1])));
        assertEquals(ExecResult.SUCCESS, first.settled(TestNetwork.txId(txs[0])));
        assertConserved(swaps);

        final TestNetwork.Height second = s0.run(net.certified(1, 0, 2));
        assertEquals(ExecResult.SUCCESS, second.settled(TestNetwork.txId(txs[swaps - 1])));
        assertTrue(s0.state.swaps().isEmpty());
        net.drain();

        long sumA = 0;
        long sumB = 0;
        for (int i = 0; i < swaps; i++) {
            sumA += 1 + i;
            sumB += 2 + i;
            assertSettledOnce(TestNetwork.txId(txs[i]), ExecResult.SUCCESS);
        }
        assertEquals(FUNDS - swaps * FEE - sumA, s0.balance(a, 0));
        assertEquals(sumB, s0.balance(a, X));
        assertEquals(FUNDS - FEE + sumA, s1.balance(b, 0));
        assertEquals(X_SUPPLY - sumB, s1.balance(b, X));
        assertNoOpenSwaps();
        assertConserved(swaps);
    }

    @Test
    void aThirdShardCannotOrderTheSwap() {
        final TestNetwork three = new TestNetwork(3, 42);
        final byte[] swap = three.swap(three.account(0, 0), 0, 1, three.account(1, 0), 0, 1);

        assertEquals(ExecResult.WRONG_SHARD, three.shard(2).run(swap).result(0));
        assertTrue(three.shard(2).state.swaps().isEmpty());
    }

    // ------------------------------------------------------------------------------ oracles

    /** Every unit of asset 0 and of X is on a shard (balance or escrow) or in flight, minus fees burned. */
    private void assertConserved() {
        assertConserved(1);
    }

    private void assertConserved(final int swapFees) {
        assertEquals(genesisNative - swapFees * FEE, net.networkSupply(0), "asset 0, after the swaps' fees");
        assertEquals(X_SUPPLY, net.networkSupply(X));
    }

    private void assertCommittedBalances() {
        assertEquals(FUNDS - FEE - AMOUNT_A, s0.balance(a, 0));
        assertEquals(AMOUNT_B, s0.balance(a, X));
        assertEquals(FUNDS - FEE + AMOUNT_A, s1.balance(b, 0));
        assertEquals(X_SUPPLY - AMOUNT_B, s1.balance(b, X));
        assertNoOpenSwaps();
        assertEquals(0, net.inFlight(0) + net.inFlight(X));
        assertConserved();
        assertEquals(genesisNative - FEE, net.heldByAccounts(0));
        assertEquals(X_SUPPLY, net.heldByAccounts(X));
    }

    private void assertAbortedBalances() {
        assertEquals(FUNDS - FEE, s0.balance(a, 0), "A is back where it was, less the fee");
        assertEquals(0, s0.balance(a, X));
        assertEquals(FUNDS - FEE, s1.balance(b, 0), "B paid the mint, nothing more");
        assertEquals(X_SUPPLY, s1.balance(b, X));
        assertNoOpenSwaps();
        assertConserved();
        assertNull(s0.state.assets().get(X), "X never reached shard 0");
    }

    private void assertNoOpenSwaps() {
        assertTrue(s0.state.swaps().isEmpty(), "shard 0 keeps " + s0.state.swaps());
        assertTrue(s1.state.swaps().isEmpty(), "shard 1 keeps " + s1.state.swaps());
        assertEquals(0, s0.escrowed(0));
        assertEquals(0, s1.escrowed(X));
        assertEquals(0, s1.escrowed(0));
        assertEquals(0, s0.escrowed(X));
    }

    private void assertSettledOnce(final byte[] id, final ExecResult expected) {
        assertEquals(List.of(expected), s0.settledHistory(id), "shard 0");
        assertEquals(List.of(expected), s1.settledHistory(id), "shard 1");
    }

    private static List<SwapVote> voteKinds(final byte[] prefix) {
        return TestNetwork.votes(prefix).stream().map(java.util.Map.Entry::getValue).toList();
    }

    private static SwapRecord only(final java.util.Collection<SwapRecord> records) {
        assertEquals(1, records.size(), "records: " + records);
        return records.iterator().next();
    }
}
