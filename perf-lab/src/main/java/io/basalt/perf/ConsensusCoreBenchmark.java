package io.basalt.perf;

import io.basalt.crypto.CryptoConfig;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.BlockSigner;
import io.basalt.dag.BlockVerifier;
import io.basalt.dag.Committee;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.CoreConfig;
import io.basalt.dag.CoreOutbox;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The consensus core alone: n {@link ConsensusCore}s driven on one thread, blocks of 1,000
 * Transfers, nothing else (issue 3, item 8).
 *
 * <pre>
 *   invocation k:  refill every mempool with 1,000 txs
 *                  deliver every block broadcast in invocation k-1 (the same Block objects, FIFO)
 *                     └─ each core, on its quorum of round r plus the leader ─▶ proposes round r+1
 *                        (BlockCodec.build: real SBE payload, SHA-256 digest, zero signature)
 *                        ─▶ held for invocation k+1: one message delay per invocation
 *                  commits (leader of round r-2) ─▶ counting CommitSink
 * </pre>
 *
 * So one invocation advances the cluster by exactly one round: n blocks built, n(n-1) deliveries,
 * about one leader committed at every core. No encoding or decoding per delivery, no signature
 * checks ({@link BlockVerifier} accepts everything), storage is {@link RingStorage} (last 200
 * rounds, allocation-free). The clock is a counter advanced by {@link #ROUND_NS} per invocation.
 *
 * <p>Scores: the primary score is rounds per second of this one thread, which does the work of all
 * n cores. The auxiliary counter {@code committedTxs} sums the transactions every core commits, so
 * committedTxs/s = committed transactions per second of one core's CPU (each core commits the
 * same transactions while using 1/n of the thread). With {@code -prof gc},
 * {@code gc.alloc.rate.norm} is bytes per round: divide by n for bytes per block proposed (a block
 * is built once and received n-1 times).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.ADD_EXPORTS, BenchmarkJvm.NATIVE_ACCESS,
    BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX, BenchmarkJvm.PRETOUCH})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class ConsensusCoreBenchmark {
    static final int TXS_PER_BLOCK = 1_000;
    static final int MAX_BLOCK_PAYLOAD_BYTES = 512 * 1024;
    static final int STORAGE_RETENTION_ROUNDS = 200;
    /** Virtual time per round; block timestamps (ms) advance with it. */
    static final long ROUND_NS = 1_000_000L;
    /** Distinct signed Transfers the mempools are refilled from, cycled. */
    private static final int TRANSACTION_POOL = 16_384;
    private static final long SEED = 0xC0DEL;
    private static final BlockSigner ZERO_SIGNER = (digest, signatureOut) -> Arrays.fill(signatureOut, (byte) 0);
    private static final BlockVerifier ACCEPT_ALL = (block, committee) -> null;

    @Param({"4", "10"})
    public int validators;

    private ConsensusCore[] cores;
    private LockstepNetwork network;
    private byte[][] transactions;
    private int nextTransaction;
    private long nowNs;
    private long committedTxs;
    private long committedTxsReported;

    /** Reported per second next to the primary score; reset by JMH every iteration. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        /** Transactions committed, summed over every core. */
        public long committedTxs;

        @Setup(Level.Iteration)
        public void reset() {
            committedTxs = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        final Ed25519 ed25519 = Ed25519.create(CryptoConfig.AUTO);
        final SecureRandom random = TransferFixtures.random(SEED);
        final KeyPair[] senders = TransferFixtures.keyPairs(ed25519, 1024, random);
        transactions = TransferFixtures.signedTransfers(ed25519, senders, TRANSACTION_POOL, random);

        final byte[][] validatorKeys = new byte[validators][Ed25519.PUBLIC_KEY_BYTES];
        for (final byte[] key : validatorKeys) {
            random.nextBytes(key); // never checked: ACCEPT_ALL stands in for the signature stage
        }
        final Committee committee = Committee.ofEqualStake(0, validatorKeys);
        final CoreConfig config = CoreConfig.defaults()
            .withTimes(20_000_000L, 0L, 50_000_000L)
            .withBlockLimits(TXS_PER_BLOCK, MAX_BLOCK_PAYLOAD_BYTES);
        network = new LockstepNetwork(validators);
        cores = new ConsensusCore[validators];
        for (int v = 0; v < validators; v++) {
            cores[v] = new ConsensusCore(config, committee, v, new BlockCodec(ZERO_SIGNER), ACCEPT_ALL,
                new RingStorage(STORAGE_RETENTION_ROUNDS, validators), network.outbox(v),
                subDag -> committedTxs += subDag.transactionCount());
        }
        nowNs = ROUND_NS;
        for (final ConsensusCore core : cores) {
            refill(core);
            core.start(nowNs); // proposes round 1 at once
        }
        if (network.takeProposals() != validators) {
            throw new IllegalStateException("every core should propose round 1 on start");
        }
    }

    @Benchmark
    public void round(final Counters counters) {
        nowNs += ROUND_NS;
        for (final ConsensusCore core : cores) {
            refill(core);
            if (core.nextWakeupNs() <= nowNs) {
                core.tick(nowNs);
            }
        }
        network.deliver(cores, nowNs);
        if (network.takeProposals() != validators || network.unexpected != 0) {
            throw new IllegalStateException(describeStall());
        }
        counters.committedTxs += committedTxs - committedTxsReported;
        committedTxsReported = committedTxs;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        final ConsensusCore core = cores[0];
        System.out.printf(Locale.ROOT, "%n[%s] n=%d: round %d, height %d, dag %d blocks, gc round %d, "
                + "mempool %d, pending %d, committed txs at core 0: %d%n",
            ConsensusCoreBenchmark.class.getSimpleName(), validators, core.lastOwnRound(), core.height(),
            core.dagSize(), core.gcRound(), core.mempoolSize(), core.pendingSize(), core.committedTransactions());
    }

    /** Tops the core's mempool up to one block's worth; the core takes exactly that when it proposes. */
    private void refill(final ConsensusCore core) {
        for (int i = core.mempoolSize(); i < TXS_PER_BLOCK; i++) {
            if (!core.submit(transactions[nextTransaction])) {
                throw new IllegalStateException("mempool refused a transaction");
            }
            nextTransaction = (nextTransaction + 1) % TRANSACTION_POOL;
        }
    }

    private String describeStall() {
        final StringBuilder text = new StringBuilder("cluster did not advance by one round: ")
            .append(network.lastProposals).append(" proposals, ").append(network.unexpected)
            .append(" sync messages;");
        for (final ConsensusCore core : cores) {
            text.append(" core ").append(core.self()).append(" round ").append(core.lastOwnRound())
                .append(" quorum ").append(core.quorumRound()).append(" pending ").append(core.pendingSize())
                .append(';');
        }
        return text.toString();
    }

    /**
     * A network with one message delay per invocation: what cores broadcast while a round is being
     * delivered waits for the next {@link #deliver}. Deliveries are (from, to, block) in preallocated
     * arrays that grow only if a round ever carries more, so the harness allocates nothing per round.
     */
    static final class LockstepNetwork {
        private final int validators;
        private int[] fromNow;
        private int[] toNow;
        private Block[] blocksNow;
        private int[] fromNext;
        private int[] toNext;
        private Block[] blocksNext;
        private int next;
        private int proposals;
        int lastProposals;
        /** Sync requests and answers: a lockstep cluster never needs them, so any is a bug here. */
        long unexpected;

        LockstepNetwork(final int validators) {
            this.validators = validators;
            final int capacity = 2 * validators * validators;
            fromNow = new int[capacity];
            toNow = new int[capacity];
            blocksNow = new Block[capacity];
            fromNext = new int[capacity];
            toNext = new int[capacity];
            blocksNext = new Block[capacity];
        }

        CoreOutbox outbox(final int self) {
            return new CoreOutbox() {
                @Override
                public void broadcastBlock(final Block block) {
                    if (block.author() == self) {
                        proposals++;
                    }
                    for (int to = 0; to < validators; to++) {
                        if (to != self) {
                            enqueue(self, to, block);
                        }
                    }
                }

                @Override
                public void sendBlockRequest(final int peer, final long requestId, final List<BlockRef> refs) {
                    unexpected++;
                }

                @Override
                public void sendRangeRequest(final int peer, final long requestId, final long fromRound,
                    final long toRound) {
                    unexpected++;
                }

                @Override
                public void sendBlocks(final int peer, final long requestId, final List<Block> blocks) {
                    unexpected++;
                }
            };
        }

        private void enqueue(final int from, final int to, final Block block) {
            if (next == blocksNext.length) {
                fromNext = Arrays.copyOf(fromNext, 2 * next);
                toNext = Arrays.copyOf(toNext, 2 * next);
                blocksNext = Arrays.copyOf(blocksNext, 2 * next);
            }
            fromNext[next] = from;
            toNext[next] = to;
            blocksNext[next] = block;
            next++;
        }

        /** Delivers everything sent before this call; what is sent meanwhile waits for the next call. */
        void deliver(final ConsensusCore[] cores, final long nowNs) {
            final int count = next;
            swap();
            for (int i = 0; i < count; i++) {
                cores[toNow[i]].onBlock(fromNow[i], blocksNow[i], nowNs);
                blocksNow[i] = null;
            }
        }

        /** Own blocks broadcast since the last call. */
        int takeProposals() {
            lastProposals = proposals;
            proposals = 0;
            return lastProposals;
        }

        private void swap() {
            final int[] from = fromNow;
            final int[] to = toNow;
            final Block[] blocks = blocksNow;
            fromNow = fromNext;
            toNow = toNext;
            blocksNow = blocksNext;
            fromNext = from;
            toNext = to;
            blocksNext = blocks;
            next = 0;
        }
    }
}
