package io.basalt.sim;

import java.io.PrintStream;

/**
 * What cross-shard settlement costs as shards are added (issue 7, item 9): clean runs of 2, 8, 32
 * and 64 shards x 4 validators, each with the same {@value #TRANSFERS} cross-shard transfers sent
 * over {@value #LOAD_MS} ms of virtual time, counting what the relays send (BatchSignature and
 * BatchAck messages and their bytes) and the certified batches consensus carries in blocks.
 *
 * <p>A fixed total load spreads thinner over more streams: with S shards each source splits its
 * transfers over S-1 destinations, so batches carry fewer receipts and each costs n x n
 * signatures and n x n acknowledgements (plus an acknowledgement repeated every
 * {@code ackIntervalNs} per active stream), whatever it carries.
 */
final class ScaleReport {
    static final int[] SHARDS = {2, 8, 32, 64};
    static final int TRANSFERS = 1_000;
    static final long LOAD_MS = 200;
    static final long END_MS = 400;
    static final long SEED = 1;

    private ScaleReport() {
    }

    static boolean print(final PrintStream out) {
        out.printf("cross-shard cost per transaction: %d cross-shard transfers over %d ms, run for %d ms (virtual)%n",
            TRANSFERS, LOAD_MS, END_MS);
        out.println("| shards x n | xfers settled | batches applied | BatchSignature msgs | BatchAck msgs (repeats)"
            + " | msgs/xfer | relay KiB | certified KiB in blocks | certified copies | bytes/xfer | wall s | result |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        boolean ok = true;
        for (final int shards : SHARDS) {
            final SimResult r = run(shards);
            ok &= r.passed();
            out.println(row(shards, r));
            if (!r.passed()) {
                out.println("  " + r.summary());
            }
        }
        return ok;
    }

    static SimResult run(final int shards) {
        return Simulation.run(Scenario.scale(SEED, shards, TRANSFERS, LOAD_MS * Scenario.MS, END_MS * Scenario.MS));
    }

    static String row(final int shards, final SimResult r) {
        final SimResult.CrossShard x = r.cross();
        final double per = Math.max(1, x.settledTransfers());
        final long batches = x.certifiedResults().getOrDefault(io.basalt.protocol.ExecResult.SUCCESS, 0L);
        return String.format("| %d x 4 | %d / %d | %d | %d | %d (%d) | %.1f | %.0f | %.0f | %d | %.0f | %.1f | %s |",
            shards, x.settledTransfers(), x.crossTransfers(), batches, x.signatureMessages(), x.ackMessages(), x.ackRepeats(),
            x.messages() / per, (x.signatureBytes() + x.ackBytes()) / 1024.0, x.certifiedBytes() / 1024.0,
            x.certifiedInBlocks(), x.bytes() / per, r.wallNanos() / 1e9, r.passed() ? "PASS" : "FAIL");
    }
}
