package io.basalt.perf;

import io.basalt.crypto.CryptoConfig;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.protocol.BlockEncoding;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SBE codecs on the paths every transaction and block takes; run with {@code -prof gc} for
 * bytes allocated per operation.
 * <ul>
 *   <li>{@code encodeTransfer}: {@link TransactionEncoding#encodeTransfer} into a reused buffer (client, load generator).</li>
 *   <li>{@code validateDecodeTransfer}: {@link MessageValidator} then every field read through the
 *       generated flyweight into reused arrays (gateway ingest).</li>
 *   <li>{@code encodeBlock1000}: {@link BlockEncoding} of 4 parents and 1,000 Transfers into a reused buffer.</li>
 *   <li>{@code buildBlock1000}: {@link BlockCodec#build}: the same encoding plus SHA-256 of the signed
 *       bytes, a (zero-writing) signer, a copy to the block's own array and the parse into a
 *       {@link Block}: what a proposer pays per block.</li>
 *   <li>{@code decodeBlock1000}: {@link BlockCodec#decode}: validation of the block and of each of its
 *       1,000 transactions, SHA-256 of the signed bytes and the parse: what a receiver pays per block.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.ADD_EXPORTS, BenchmarkJvm.NATIVE_ACCESS,
    BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX, BenchmarkJvm.PRETOUCH})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SbeBenchmark {
    static final int BLOCK_TRANSACTIONS = 1_000;
    static final int BLOCK_PARENTS = 4;
    private static final long SEED = 0x5BEL;

    @State(Scope.Thread)
    public static class TransferState {
        final TransactionEncoding encoding = new TransactionEncoding();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer in = new UnsafeBuffer(new byte[0]);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TransferDecoder decoder = new TransferDecoder();
        final byte[] key = new byte[Layout.KEY_LENGTH];
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        byte[] from;
        byte[] to;
        byte[] transfer;
        long nonce;

        @Setup
        public void setUp() {
            final Ed25519 ed25519 = Ed25519.create(CryptoConfig.AUTO);
            final SecureRandom random = TransferFixtures.random(SEED);
            final KeyPair[] senders = TransferFixtures.keyPairs(ed25519, 1, random);
            transfer = TransferFixtures.signedTransfers(ed25519, senders, 1, random)[0];
            in.wrap(transfer);
            from = senders[0].publicKey();
            to = new byte[Layout.KEY_LENGTH];
            random.nextBytes(to);
        }
    }

    @State(Scope.Thread)
    public static class BlockState {
        final BlockEncoding encoding = new BlockEncoding();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256 * 1024]);
        final BlockCodec codec = new BlockCodec((digest, signatureOut) -> java.util.Arrays.fill(signatureOut, (byte) 0));
        byte[][] transactions;
        BlockRef[] parents;
        byte[] encodedBlock;
        long round = 100;

        @Setup
        public void setUp() {
            final Ed25519 ed25519 = Ed25519.create(CryptoConfig.AUTO);
            final SecureRandom random = TransferFixtures.random(SEED);
            final KeyPair[] senders = TransferFixtures.keyPairs(ed25519, 64, random);
            transactions = TransferFixtures.signedTransfers(ed25519, senders, BLOCK_TRANSACTIONS, random);
            parents = new BlockRef[BLOCK_PARENTS];
            for (int author = 0; author < BLOCK_PARENTS; author++) {
                final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
                random.nextBytes(digest);
                parents[author] = new BlockRef(author, round - 1, digest);
            }
            encodedBlock = codec.build(0, 0, round, 1_000L, parents, transactions).encoded();
            if (codec.decode(encodedBlock) == null) {
                throw new IllegalStateException("fixture block does not decode: " + codec.lastError());
            }
        }
    }

    @Benchmark
    public int encodeTransfer(final TransferState s) {
        return s.encoding.encodeTransfer(s.out, 0, TransferFixtures.NETWORK_ID, TransferFixtures.FEE, s.nonce++,
            TransferFixtures.EXPIRY_MS, s.from, s.to, 0, 1_000L);
    }

    @Benchmark
    public void validateDecodeTransfer(final TransferState s, final Blackhole bh) {
        final DecodeError error = MessageValidator.validateUserTransaction(s.in, 0, s.transfer.length);
        if (!error.isOk()) {
            throw new IllegalStateException(error.toString());
        }
        final TransferDecoder transfer = s.decoder.wrapAndApplyHeader(s.in, 0, s.header);
        bh.consume(transfer.networkId());
        bh.consume(transfer.fee());
        bh.consume(transfer.nonce());
        bh.consume(transfer.expiryMs());
        transfer.getFrom(s.key, 0, Layout.KEY_LENGTH);
        bh.consume(s.key);
        transfer.getTo(s.key, 0, Layout.KEY_LENGTH);
        bh.consume(s.key);
        bh.consume(transfer.assetId());
        bh.consume(transfer.amount());
        for (final TransferDecoder.SignaturesDecoder signature : transfer.signatures()) {
            signature.getSignature(s.signature, 0, Layout.SIGNATURE_LENGTH);
        }
        bh.consume(s.signature);
    }

    @Benchmark
    public int encodeBlock1000(final BlockState s) {
        s.encoding.begin(s.out, 0, 0, 0, s.round, 1_000L, s.parents.length);
        for (final BlockRef parent : s.parents) {
            s.encoding.parent(parent.author(), parent.round(), parent.digest());
        }
        s.encoding.transactions(s.transactions.length);
        for (final byte[] tx : s.transactions) {
            s.encoding.transaction(tx);
        }
        return s.encoding.finish();
    }

    @Benchmark
    public Block buildBlock1000(final BlockState s) {
        return s.codec.build(0, 0, s.round, 1_000L, s.parents, s.transactions);
    }

    @Benchmark
    public Block decodeBlock1000(final BlockState s) {
        return s.codec.decode(s.encodedBlock);
    }
}
