package io.basalt.perf;

import io.basalt.crypto.CryptoConfig;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.SignatureCheck;
import java.security.SecureRandom;
import java.util.Locale;
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
 * Ed25519 sign and strict verify of one Transfer, per provider, on one thread.
 *
 * <p>The message is a Transfer's signed bytes ({@link TransferFixtures#SIGNED_LENGTH} = 112 bytes,
 * the whole encoded Transfer being 180), checked in place the way a validator does it: key, signed
 * bytes and signature are ranges of the one encoded array.
 *
 * <p>Verification cost depends on the facade's per-thread prime-order key cache (1,024
 * direct-mapped slots): a cached key skips a scalar multiplication by L. {@code accounts} sets how
 * many distinct senders the cycled pool of signatures has, and so the hit rate (each setup prints
 * the rate it expects):
 * <ul>
 *   <li>1: every check hits: an account, or a validator, whose signatures are checked over and over;</li>
 *   <li>1024: 1,024 distinct senders cycled, about 37% hits (keys that share a slot evict each other);</li>
 *   <li>16384: no key is still cached when it comes round again: every check pays the subgroup check.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.ADD_EXPORTS, BenchmarkJvm.NATIVE_ACCESS,
    BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX, BenchmarkJvm.PRETOUCH})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Ed25519Benchmark {
    private static final long SEED = 0xBA5A17L;
    /** Sign pool size: distinct keys and messages, cycled. */
    private static final int SIGN_POOL = 1024;

    @State(Scope.Thread)
    public static class Signing {
        @Param({"libsodium", "bouncycastle"})
        public String provider;

        Ed25519 ed25519;
        KeyPair[] keyPairs;
        byte[][] transfers;
        final byte[] signature = new byte[Ed25519.SIGNATURE_BYTES];
        int next;

        @Setup
        public void setUp() {
            ed25519 = Ed25519.create(CryptoConfig.of(provider));
            final SecureRandom random = TransferFixtures.random(SEED);
            keyPairs = TransferFixtures.keyPairs(ed25519, SIGN_POOL, random);
            transfers = TransferFixtures.signedTransfers(ed25519, keyPairs, SIGN_POOL, random);
        }
    }

    @State(Scope.Thread)
    public static class Verifying {
        @Param({"libsodium", "bouncycastle"})
        public String provider;

        @Param({"1", "1024", "16384"})
        public int accounts;

        Ed25519 ed25519;
        /** Signed Transfers, {@code max(1024, accounts)} of them (a power of two), by {@code accounts} senders. */
        byte[][] transfers;
        int mask;
        int next;

        @Setup
        public void setUp() {
            if (Integer.bitCount(accounts) != 1) {
                throw new IllegalArgumentException("accounts must be a power of two: " + accounts);
            }
            ed25519 = Ed25519.create(CryptoConfig.of(provider));
            final SecureRandom random = TransferFixtures.random(SEED);
            final KeyPair[] senders = TransferFixtures.keyPairs(ed25519, accounts, random);
            final int pool = Math.max(1024, accounts);
            transfers = TransferFixtures.signedTransfers(ed25519, senders, pool, random);
            mask = pool - 1;
            for (int i = 0; i < Math.min(pool, 256); i++) {
                final SignatureCheck check = verify(ed25519, transfers[i]);
                if (check != SignatureCheck.VALID) {
                    throw new IllegalStateException("fixture " + i + " does not verify: " + check);
                }
            }
            System.out.printf(Locale.ROOT, "%n[%s] %s, %d accounts, pool %d: expected key cache hit rate %.1f%%%n",
                Ed25519Benchmark.class.getSimpleName(), ed25519.providerDescription(), accounts, pool,
                100 * TransferFixtures.expectedKeyCacheHitRate(transfers, TransferFixtures.FROM_OFFSET));
        }
    }

    @Benchmark
    public byte[] sign(final Signing s) {
        final int i = s.next;
        s.next = (i + 1) & (SIGN_POOL - 1);
        s.ed25519.sign(s.keyPairs[i], s.transfers[i], 0, TransferFixtures.SIGNED_LENGTH, s.signature, 0);
        return s.signature;
    }

    @Benchmark
    public SignatureCheck verify(final Verifying v) {
        final int i = v.next;
        v.next = (i + 1) & v.mask;
        return verify(v.ed25519, v.transfers[i]);
    }

    /** The key, the signed bytes and the signature, all read in place from the encoded Transfer. */
    static SignatureCheck verify(final Ed25519 ed25519, final byte[] transfer) {
        return ed25519.check(transfer, TransferFixtures.FROM_OFFSET, transfer, 0, TransferFixtures.SIGNED_LENGTH,
            transfer, TransferFixtures.SIGNATURE_OFFSET);
    }
}
