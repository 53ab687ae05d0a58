package io.basalt.perf;

import io.basalt.crypto.Sha256;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Sha256#digest(byte[], int, int, byte[], int)} (the JDK's intrinsified SHA-256) into a
 * caller array. Lengths: 32 (a digest, e.g. hashing a key or a Merkle node), 112 (a Transfer's
 * signed bytes: its transaction id), 180 (a whole encoded Transfer) and 182,000 (about the signed
 * bytes of a block of 1,000 Transfers: the block digest every proposer and receiver computes).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.ADD_EXPORTS, BenchmarkJvm.NATIVE_ACCESS,
    BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX, BenchmarkJvm.PRETOUCH})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class Sha256Benchmark {
    @Param({"32", "112", "180", "182000"})
    public int bytes;

    private final Sha256 sha256 = new Sha256();
    private final byte[] digest = new byte[Sha256.DIGEST_BYTES];
    private byte[] input;

    @Setup
    public void setUp() {
        input = new byte[bytes];
        new SplittableRandom(bytes).nextBytes(input);
    }

    @Benchmark
    public byte[] digest() {
        sha256.digest(input, 0, bytes, digest, 0);
        return digest;
    }
}
