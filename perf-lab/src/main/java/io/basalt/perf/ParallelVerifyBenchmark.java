package io.basalt.perf;

import io.basalt.crypto.CryptoConfig;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.ParallelVerifier;
import io.basalt.crypto.SignatureCheck;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ParallelVerifier#verifyAll} of a batch of 1,024 Transfer signatures with libsodium; the
 * score is signatures per second ({@code @OperationsPerInvocation(1024)}).
 *
 * <pre>
 *   JMH thread ── verifyAll(1024) ──▶ worker 1 ┐  claim 4 items at a time from a shared counter
 *        (parked on the latch)    ──▶ worker 2 ┘  (workers = 2 uses both cores of this machine)
 * </pre>
 *
 * Each worker thread has its own prime-order key cache. {@code accounts} = 1: every key is cached
 * (a busy account; also the best case of the node's signature stage); 16384: none is, each check
 * pays the subgroup check (many distinct senders). Batches are consecutive slices of the pool.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.ADD_EXPORTS, BenchmarkJvm.NATIVE_ACCESS,
    BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX, BenchmarkJvm.PRETOUCH})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ParallelVerifyBenchmark {
    static final int BATCH = 1024;
    private static final long SEED = 0xBA5A17L;

    @Param({"1", "2"})
    public int workers;

    @Param({"1", "16384"})
    public int accounts;

    private ParallelVerifier verifier;
    private byte[][][] keys;
    private byte[][][] messages;
    private byte[][][] signatures;
    private final int[] offsets = new int[BATCH];
    private final int[] lengths = new int[BATCH];
    private final SignatureCheck[] results = new SignatureCheck[BATCH];
    private int next;

    @Setup
    public void setUp() {
        final Ed25519 ed25519 = Ed25519.create(CryptoConfig.of("libsodium"));
        final SecureRandom random = TransferFixtures.random(SEED);
        final KeyPair[] senders = TransferFixtures.keyPairs(ed25519, accounts, random);
        final int pool = Math.max(BATCH, accounts);
        final byte[][] transfers = TransferFixtures.signedTransfers(ed25519, senders, pool, random);
        final int batches = pool / BATCH;
        keys = new byte[batches][BATCH][];
        messages = new byte[batches][BATCH][];
        signatures = new byte[batches][BATCH][];
        for (int i = 0; i < pool; i++) {
            final byte[] tx = transfers[i];
            keys[i / BATCH][i % BATCH] = Arrays.copyOfRange(tx, TransferFixtures.FROM_OFFSET,
                TransferFixtures.FROM_OFFSET + Ed25519.PUBLIC_KEY_BYTES);
            messages[i / BATCH][i % BATCH] = tx;
            signatures[i / BATCH][i % BATCH] = Arrays.copyOfRange(tx, TransferFixtures.SIGNATURE_OFFSET,
                TransferFixtures.SIGNATURE_OFFSET + Ed25519.SIGNATURE_BYTES);
        }
        Arrays.fill(lengths, TransferFixtures.SIGNED_LENGTH);
        verifier = new ParallelVerifier(ed25519, workers);
        verifyBatch(0);
        for (final SignatureCheck result : results) {
            if (result != SignatureCheck.VALID) {
                throw new IllegalStateException("fixture does not verify: " + result);
            }
        }
        System.out.printf(Locale.ROOT, "%n[%s] %s, %d workers, %d accounts, %d batches of %d%n",
            ParallelVerifyBenchmark.class.getSimpleName(), ed25519.providerDescription(), workers, accounts,
            batches, BATCH);
    }

    @TearDown
    public void tearDown() {
        verifier.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public SignatureCheck[] verifyAll() {
        final int batch = next;
        next = (batch + 1) % keys.length;
        verifyBatch(batch);
        return results;
    }

    private void verifyBatch(final int batch) {
        verifier.verifyAll(BATCH, keys[batch], messages[batch], offsets, lengths, signatures[batch], results);
    }
}
