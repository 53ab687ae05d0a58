package io.basalt.perf.load;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.SignatureCheck;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * This machine's Ed25519 verification rate, measured in the run itself before any step, and the
 * throughput ceiling it implies. Every validator of a shard verifies every transaction of that
 * shard, and all validators of the local cluster share this machine's cores, so at best
 * <pre>
 *   ceiling (tx/s) = cores × verifications per second per core ÷ validators per shard
 * </pre>
 * (consensus, execution and everything else only lower it). The pool is signed by the workload's
 * own senders, drawn at random as the workload draws them, so the provider's per-thread
 * prime-order key cache hits as often as it does in the validators.
 *
 * @param provider           the active provider ({@code Ed25519.providerDescription()})
 * @param senders            distinct sender keys in the pool (the workload's K)
 * @param pool               distinct signed Transfers cycled
 * @param checks             verifications timed
 * @param seconds            time they took
 * @param perSecond          verifications per second on one thread
 * @param cores              {@code availableProcessors()}
 * @param validatorsPerShard validators that each verify every transaction
 * @param ceilingTxPerSecond cores × perSecond ÷ validatorsPerShard
 */
record VerifyCalibration(String provider, int senders, int pool, long checks, double seconds, double perSecond,
                         int cores, int validatorsPerShard, double ceilingTxPerSecond) {
    static final int POOL = 4096;
    static final long WARMUP_NS = TimeUnit.MILLISECONDS.toNanos(300);
    static final long MEASURE_NS = TimeUnit.MILLISECONDS.toNanos(1500);

    /** The ceiling for a measured rate; pure, so tested without timing anything. */
    static double ceiling(final int cores, final double perSecond, final int validatorsPerShard) {
        return cores * perSecond / validatorsPerShard;
    }

    /** committed ÷ ceiling: how much of the machine's signature budget a step turned into committed transactions. */
    double ofCeiling(final double committedPerSecond) {
        return ceilingTxPerSecond > 0 ? committedPerSecond / ceilingTxPerSecond : Double.NaN;
    }

    static VerifyCalibration measure(final Ed25519 ed25519, final KeyPair[] senders, final int validatorsPerShard,
                                     final long seed) {
        final byte[][] pool = signPool(ed25519, senders, POOL, seed);
        for (final byte[] tx : pool) {
            if (check(ed25519, tx) != SignatureCheck.VALID) {
                throw new IllegalStateException("a calibration transfer does not verify");
            }
        }
        runFor(ed25519, pool, WARMUP_NS);
        final long[] timed = runFor(ed25519, pool, MEASURE_NS);
        final double seconds = timed[1] / 1e9;
        final double perSecond = timed[0] / seconds;
        final int cores = Runtime.getRuntime().availableProcessors();
        return new VerifyCalibration(ed25519.providerDescription(), senders.length, pool.length, timed[0], seconds,
            perSecond, cores, validatorsPerShard, ceiling(cores, perSecond, validatorsPerShard));
    }

    /** Verifies round the pool until {@code ns} has passed; returns {checks, elapsed ns}. */
    private static long[] runFor(final Ed25519 ed25519, final byte[][] pool, final long ns) {
        final long start = System.nanoTime();
        long checks = 0;
        long now;
        int invalid = 0;
        do {
            for (int i = 0; i < 256; i++) {
                if (check(ed25519, pool[(int) (checks++ % pool.length)]) != SignatureCheck.VALID) {
                    invalid++;
                }
            }
            now = System.nanoTime();
        } while (now - start < ns);
        if (invalid != 0) {
            throw new IllegalStateException(invalid + " calibration checks failed");
        }
        return new long[] {checks, now - start};
    }

    private static SignatureCheck check(final Ed25519 ed25519, final byte[] tx) {
        final int signed = SignedRegion.signedLength(new UnsafeBuffer(tx), 0, tx.length);
        return ed25519.check(tx, FROM_OFFSET, tx, 0, signed, tx, signed + Layout.GROUP_HEADER_LENGTH);
    }

    /** Where the sender's key sits in an encoded Transfer (after the message header, as TransferFixtures has it). */
    private static final int FROM_OFFSET = Layout.MESSAGE_HEADER_LENGTH
        + io.basalt.protocol.sbe.TransferDecoder.fromEncodingOffset();

    private static byte[][] signPool(final Ed25519 ed25519, final KeyPair[] senders, final int size, final long seed) {
        final TransactionEncoding encoding = new TransactionEncoding();
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        final byte[][] pool = new byte[size][];
        for (int i = 0; i < size; i++) {
            final int sender = random.nextInt(senders.length);
            final int recipient = (sender + 1 + random.nextInt(Math.max(1, senders.length - 1))) % senders.length;
            final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
            final UnsafeBuffer buffer = new UnsafeBuffer(tx);
            final int length = encoding.encodeTransfer(buffer, 0, 1, 1, i, 1_900_000_000_000L,
                senders[sender].publicKey(), senders[recipient].publicKey(), 0, 1);
            final int signed = SignedRegion.signedLength(buffer, 0, length);
            ed25519.sign(senders[sender], tx, 0, signed, signature, 0);
            SignedRegion.putSignature(buffer, 0, length, 0, signature);
            pool[i] = tx;
        }
        return pool;
    }
}
