package io.basalt.node.exec;

import io.basalt.protocol.ExecResult;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random transaction mixes never break conservation of supply (the ledger checks it itself on every height). */
class SupplyInvariantProperties {
    @Property(tries = 15)
    void supplyIsConservedOverRandomTransactions(
        @ForAll @Size(min = 1, max = 60) final List<@IntRange(min = 0, max = 1_000_000) Integer> ops,
        @ForAll final long seed) throws Exception {
        final Path dir = Files.createTempDirectory("ledger-prop");
        final LedgerFixture fx = new LedgerFixture(seed, 4, 500);
        long now = LedgerFixture.T0 + 1_000;
        long charged = 0;
        long minted = 0;
        final LedgerFixture.Recorder rec = new LedgerFixture.Recorder();
        try (ChronicleLedger ledger = ChronicleLedger.open(dir, fx.genesis, 0, 4096)) {
            int height = 0;
            for (final int op : ops) {
                now += 7;
                final byte[] a = fx.local[op % 4];
                final byte[] b = fx.local[(op / 4) % 4];
                final long amount = op % 700;
                final byte[] tx = switch ((op / 16) % 4) {
                    case 0 -> fx.transfer(a, b, 0, amount, now + 10_000);
                    case 1 -> fx.createAsset(a, 1 + (op / 64) % 5, amount, now + 10_000);
                    case 2 -> fx.swap(a, 0, amount, b, 1 + (op / 64) % 5, amount / 2, now + 10_000);
                    default -> fx.transfer(a, b, 1 + (op / 64) % 5, amount, now + 10_000);
                };
                ledger.apply(fx.subDag(++height, now, tx, tx), rec);
                final ExecResult r = rec.results.get(rec.results.size() - 2);
                // The repeat in the same height is a no-op once the first consumed the id, else fails alike.
                assertEquals(r == ExecResult.INSUFFICIENT_FEE ? r : ExecResult.DUPLICATE, rec.last());
                if (r != ExecResult.INSUFFICIENT_FEE) {
                    charged++;
                }
                if (r == ExecResult.SUCCESS && (op / 16) % 4 == 1) {
                    minted += amount;
                }
            }
            assertEquals(4 * 500 - charged * LedgerFixture.FEE, ledger.supply(0));
            long sum = 0;
            for (final byte[] account : fx.local) {
                sum += ledger.balance(account, 0);
            }
            assertEquals(ledger.supply(0), sum);
            long mintedSupply = 0;
            for (int asset = 1; asset <= 5; asset++) {
                mintedSupply += Math.max(0, ledger.supply(asset));
            }
            assertEquals(minted, mintedSupply);
            ledger.verifySupplyFully();
        } finally {
            LedgerRecoveryTest.deleteTree(dir);
        }
    }
}
