package io.basalt.node.exec;

import io.basalt.protocol.ExecResult;

import static io.basalt.node.exec.LedgerFixture.FEE;
import static io.basalt.node.exec.LedgerFixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.basalt.crypto.Sha256;
import io.basalt.protocol.RejectCode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleLedgerTest {
    @TempDir
    Path dir;
    LedgerFixture fx;
    ChronicleLedger ledger;
    final LedgerFixture.Recorder rec = new LedgerFixture.Recorder();
    long height;
    long now = T0 + 1_000;

    @BeforeEach
    void open() {
        fx = new LedgerFixture(1, 3, 1_000);
        ledger = ChronicleLedger.open(dir, fx.genesis, 0, 10_000);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    private ExecResult run(final byte[] tx) {
        now += 10;
        ledger.apply(fx.subDag(++height, now, tx), rec);
        return rec.last();
    }

    private long bal(final byte[] account, final int asset) {
        return ledger.balance(account, asset);
    }

    private long exp() {
        return now + 30_000;
    }

    @Test
    void genesisAppliesOnlyThisShardsAllocations() {
        assertEquals(1_000, bal(fx.local[0], 0));
        assertEquals(0, bal(fx.remote, 0));
        assertEquals(3_000, ledger.supply(0));
        assertEquals(0, ledger.appliedHeight());
    }

    @Test
    void transferMovesAmountAndBurnsFee() {
        assertEquals(ExecResult.SUCCESS, run(fx.transfer(fx.local[0], fx.local[1], 0, 100, exp())));
        assertEquals(1_000 - 100 - FEE, bal(fx.local[0], 0));
        assertEquals(1_100, bal(fx.local[1], 0));
        assertEquals(3_000 - FEE, ledger.supply(0));
        assertEquals(1, ledger.appliedHeight());
    }

    @Test
    void insufficientFeeChangesNothing() {
        final byte[] poor = fx.accountOn(0);
        final byte[] before = ledger.stateDigest();
        assertEquals(ExecResult.INSUFFICIENT_FEE, run(fx.transfer(poor, fx.local[0], 0, 0, exp())));
        assertEquals(ExecResult.INSUFFICIENT_FEE,
            run(fx.transfer(LedgerFixture.NETWORK, FEE - 1, fx.local[0], fx.local[1], 0, 1, exp())));
        assertEquals(1_000, bal(fx.local[0], 0));
        assertEquals(3_000, ledger.supply(0));
        assertEquals(2, ledger.appliedHeight());
        assertEquals(false, java.util.Arrays.equals(before, ledger.stateDigest()), "results still enter the digest");
    }

    @Test
    void failedTransferIsChargedTheFee() {
        assertEquals(ExecResult.INSUFFICIENT_BALANCE, run(fx.transfer(fx.local[0], fx.local[1], 0, 995, exp())));
        assertEquals(1_000 - FEE, bal(fx.local[0], 0));
        assertEquals(1_000, bal(fx.local[1], 0));
        assertEquals(ExecResult.INSUFFICIENT_BALANCE, run(fx.transfer(fx.local[0], fx.local[1], 0, -1L, exp())));
    }

    /** Found by SupplyInvariantProperties: a zero transfer of a never-issued asset created balances for it. */
    @Test
    void movingAnAssetNobodyIssuedFailsAndCreatesNoBalance() {
        assertEquals(ExecResult.INSUFFICIENT_BALANCE, run(fx.transfer(fx.local[0], fx.local[1], 3, 0, exp())));
        assertEquals(ExecResult.INSUFFICIENT_BALANCE, run(fx.transfer(fx.local[0], fx.local[1], 3, 5, exp())));
        assertEquals(-1, ledger.supply(3), "asset 3 was never issued");
        assertEquals(1_000 - 2 * FEE, bal(fx.local[0], 0), "charged like any failed transfer");
        assertEquals(false, ledger.balances(fx.local[1]).containsKey(3));
        ledger.verifySupplyFully();
    }

    @Test
    void duplicateIsNeverChargedTwice() {
        final byte[] tx = fx.transfer(fx.local[0], fx.local[1], 0, 5, exp());
        now += 10;
        ledger.apply(fx.subDag(++height, now, tx, tx), rec);
        assertEquals(ExecResult.SUCCESS, rec.results.get(0));
        assertEquals(ExecResult.DUPLICATE, rec.results.get(1));
        assertEquals(ExecResult.DUPLICATE, run(tx));
        assertEquals(1_000 - 5 - FEE, bal(fx.local[0], 0));
        final byte[] id = new byte[32];
        new Sha256().digest(tx, 0, tx.length - 4 - 64, id, 0);
        assertEquals(ExecResult.SUCCESS, ledger.executed(id).result(), "the first result is kept");
        assertEquals(RejectCode.DUPLICATE, ledger.precheck(tx, 0, tx.length));
    }

    @Test
    void expiredTransactionsAreNotCharged() {
        assertEquals(ExecResult.EXPIRED, run(fx.transfer(fx.local[0], fx.local[1], 0, 5, now + 10)));
        assertEquals(ExecResult.EXPIRED, run(fx.transfer(fx.local[0], fx.local[1], 0, 5, now + 10 + 60_001)));
        assertEquals(ExecResult.SUCCESS, run(fx.transfer(fx.local[0], fx.local[1], 0, 5, now + 10 + 60_000)));
        assertEquals(1_000 - 5 - FEE, bal(fx.local[0], 0));
    }

    @Test
    void wrongNetworkAndWrongShard() {
        assertEquals(ExecResult.WRONG_NETWORK, run(fx.transfer(99, FEE, fx.local[0], fx.local[1], 0, 5, exp())));
        assertEquals(ExecResult.WRONG_SHARD, run(fx.transfer(fx.remote, fx.local[1], 0, 5, exp())));
        assertEquals(1_000, bal(fx.local[0], 0));
        // A transfer to another shard debits amount and fee here; the amount leaves this shard's
        // supply and waits in the outbound batch for shard 1.
        assertEquals(ExecResult.SUCCESS, run(fx.transfer(fx.local[0], fx.remote, 0, 5, exp())));
        assertEquals(1_000 - 5 - FEE, bal(fx.local[0], 0));
        assertEquals(1, ledger.outbox(1, 1, 10).size());
        assertEquals(2, ledger.outboundNext(1));
    }

    @Test
    void createAssetMintsOnceAndRefusesAssetZeroAndOverflow() {
        assertEquals(ExecResult.SUCCESS, run(fx.createAsset(fx.local[0], 42, 1_000_000, exp())));
        assertEquals(1_000_000, bal(fx.local[0], 42));
        assertEquals(1_000_000, ledger.supply(42));
        assertEquals(ExecResult.ASSET_EXISTS, run(fx.createAsset(fx.local[1], 42, 5, exp())));
        assertEquals(ExecResult.INVALID, run(fx.createAsset(fx.local[1], 0, 5, exp())));
        assertEquals(ExecResult.OVERFLOW, run(fx.createAsset(fx.local[1], 46, Long.MIN_VALUE, exp())));
        assertEquals(-1, ledger.supply(46));
        // Two shards: shard 0 mints even ids only, so that no two shards issue the same asset.
        assertEquals(ExecResult.ASSET_ID_OF_OTHER_SHARD, run(fx.createAsset(fx.local[1], 43, 5, exp())));
        assertEquals(-1, ledger.supply(43));
        assertEquals(1_000 - 4 * FEE, bal(fx.local[1], 0));
        assertEquals(ExecResult.SUCCESS, run(fx.createAsset(fx.local[1], 44, Long.MAX_VALUE, exp())));
        assertEquals(ExecResult.SUCCESS, run(fx.transfer(fx.local[1], fx.local[2], 44, Long.MAX_VALUE, exp())));
        assertEquals(Long.MAX_VALUE, bal(fx.local[2], 44));
        assertEquals(java.util.Map.of(0, 1_000L, 44, Long.MAX_VALUE), ledger.balances(fx.local[2]));
    }

    @Test
    void swapAppliesBothLegsOrNeither() {
        run(fx.createAsset(fx.local[1], 8, 500, exp()));
        assertEquals(ExecResult.SUCCESS, run(fx.swap(fx.local[0], 0, 100, fx.local[1], 8, 50, exp())));
        assertEquals(1_000 - 100 - FEE, bal(fx.local[0], 0));
        assertEquals(50, bal(fx.local[0], 8));
        assertEquals(1_000 - FEE + 100, bal(fx.local[1], 0));
        assertEquals(450, bal(fx.local[1], 8));
        // Leg B cannot be paid: leg A must not happen either; A still pays the fee.
        assertEquals(ExecResult.INSUFFICIENT_BALANCE, run(fx.swap(fx.local[0], 0, 100, fx.local[1], 8, 451, exp())));
        assertEquals(1_000 - 100 - 2 * FEE, bal(fx.local[0], 0));
        assertEquals(50, bal(fx.local[0], 8));
        assertEquals(450, bal(fx.local[1], 8));
        // Across shards, this shard escrows its own leg and votes PREPARED to shard 1.
        assertEquals(ExecResult.SUCCESS, run(fx.swap(fx.local[0], 0, 1, fx.remote, 0, 1, exp())));
        assertEquals(1_000 - 100 - 1 - 3 * FEE, bal(fx.local[0], 0));
        assertEquals(1, ledger.outbox(1, 1, 10).size());
    }

    @Test
    void precheckAnswersWithoutChangingState() {
        final byte[] ok = fx.transfer(fx.local[0], fx.local[1], 0, 1, exp());
        assertEquals(RejectCode.NONE, ledger.precheck(ok, 0, ok.length));
        final byte[] far = fx.transfer(fx.local[0], fx.local[1], 0, 1, T0 + 61_000);
        assertEquals(RejectCode.EXPIRY_TOO_FAR, ledger.precheck(far, 0, far.length));
        final byte[] wrong = fx.transfer(fx.remote, fx.local[1], 0, 1, exp());
        assertEquals(RejectCode.WRONG_SHARD, ledger.precheck(wrong, 0, wrong.length));
        final byte[] cross = fx.transfer(fx.local[0], fx.remote, 0, 1, exp());
        assertEquals(RejectCode.NONE, ledger.precheck(cross, 0, cross.length));
        final byte[] poor = fx.transfer(fx.accountOn(0), fx.local[1], 0, 0, exp());
        assertEquals(RejectCode.INSUFFICIENT_FEE_BALANCE, ledger.precheck(poor, 0, poor.length));
        assertEquals(RejectCode.MALFORMED, ledger.precheck(new byte[10], 0, 10));
        assertNull(ledger.executed(new byte[32]));
    }

    @Test
    void replayEntriesExpireAndAreRemoved() {
        final byte[] tx = fx.transfer(fx.local[0], fx.local[1], 0, 1, now + 2_000);
        assertEquals(ExecResult.SUCCESS, run(tx));
        now += 5_000;
        assertEquals(ExecResult.SUCCESS, run(fx.transfer(fx.local[1], fx.local[0], 0, 1, exp())));
        // The old one is now expired, so a repeat is EXPIRED (not charged), not a second execution.
        assertEquals(ExecResult.EXPIRED, run(tx));
    }

    @Test
    void stateSurvivesReopenAndDigestsMatchAFreshReplica(@TempDir final Path other) {
        final byte[][] txs = {
            fx.transfer(fx.local[0], fx.local[1], 0, 100, exp()),
            fx.createAsset(fx.local[2], 10, 77, exp()),
            fx.swap(fx.local[2], 10, 7, fx.local[0], 0, 3, exp()),
        };
        try (ChronicleLedger replica = ChronicleLedger.open(other, fx.genesis, 0, 10_000)) {
            assertArrayEquals(ledger.stateDigest(), replica.stateDigest());
            for (final byte[] tx : txs) {
                now += 10;
                ledger.apply(fx.subDag(++height, now, tx), rec);
                replica.apply(fx.subDag(height, now, tx), null);
                assertArrayEquals(ledger.stateDigest(), replica.stateDigest());
            }
        }
        final byte[] digest = ledger.stateDigest();
        ledger.close();
        ledger = ChronicleLedger.open(dir, fx.genesis, 0, 10_000);
        assertEquals(3, ledger.appliedHeight());
        assertArrayEquals(digest, ledger.stateDigest());
        assertEquals(70, bal(fx.local[2], 10));
        assertEquals(ExecResult.DUPLICATE, run(txs[0]));
        assertArrayEquals(rec.digests.getLast(), ledger.stateDigest());
        assertNotNull(ledger.executed(firstId(txs[1])));
    }

    @Test
    void corruptedBalanceTripsTheSupplyInvariant() {
        run(fx.transfer(fx.local[0], fx.local[1], 0, 100, exp()));
        ledger.corruptBalanceForTest(fx.local[1], 0, 5_000);
        assertThrows(IllegalStateException.class, ledger::verifySupplyFully);
        ledger.close();
        assertThrows(IllegalStateException.class, () -> ChronicleLedger.open(dir, fx.genesis, 0, 10_000));
        ledger = ChronicleLedger.open(dir.resolve("fresh"), fx.genesis, 0, 10_000);
    }

    private static byte[] firstId(final byte[] tx) {
        final byte[] id = new byte[32];
        new Sha256().digest(tx, 0, tx.length - 4 - 64, id, 0);
        return id;
    }
}
