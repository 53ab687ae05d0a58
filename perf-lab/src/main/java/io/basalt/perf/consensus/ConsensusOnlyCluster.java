package io.basalt.perf.consensus;

import io.basalt.perf.RingStorage;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.PeerKeyAgreement;
import io.basalt.crypto.SignatureCheck;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.Committee;
import io.basalt.dag.ConsensusAdapter;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.CoreConfig;
import io.basalt.dag.SignatureScheme;
import io.basalt.node.net.AeronMedia;
import io.basalt.node.net.ConsensusOutbox;
import io.basalt.node.net.ConsensusTransport;
import io.basalt.node.net.Doorbell;
import io.basalt.node.net.PeerAuth;
import io.basalt.node.net.TransportCounters;
import io.basalt.node.runtime.IdleMode;
import io.basalt.protocol.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OffsetEpochNanoClock;

/**
 * One shard of n real {@link ConsensusCore}s in this process, ordering opaque payloads:
 *
 * <pre>
 *   submitter thread ──queue──▶ bench-vK-consensus (ValidatorAgent: poll, submit, tick) ──▶ PayloadSink
 *                                      │  ConsensusOutbox ─▶ ConsensusTransport (Aeron IPC)
 *                                      ▼
 *                     one embedded media driver, one IPC stream per validator
 * </pre>
 *
 * Each core has a real {@link BlockCodec} that signs its blocks with Ed25519 (the provider
 * {@link Ed25519#fromSystemProperties()} picks: libsodium when it loads), an
 * {@link AuthorSignatureVerifier}, a {@link RingStorage} and its own agent thread. What the
 * node adds and this leaves out: client gateways, signature verification of transactions,
 * admission, execution, the commit log and durable block storage.
 */
final class ConsensusOnlyCluster implements AutoCloseable {
    static final int SHARD = 0;
    /** Network id the bench derives its channel keys under; any value works, it has no genesis. */
    static final int NETWORK_ID = 0;
    /** Rounds of blocks each in-memory store keeps: above the core's gcDepth, for sync requests. */
    static final int RETENTION_ROUNDS = 200;
    /** Payloads waiting between the submitter and one validator's agent. */
    static final int QUEUE_CAPACITY = 1 << 17;
    private static final long CONNECT_TIMEOUT_NS = 10_000_000_000L;

    /**
     * @param blockSize          most transactions (payloads) per block, as the node's maxBlockTransactions
     * @param termLength         Aeron term length of the consensus streams; a message is at most a term / 8
     * @param keepOrder          record every validator's commit order (tests)
     */
    record Options(int validators, int payloadBytes, int blockSize, String idleStrategy, long leaderTimeoutNs,
                   long minRoundIntervalNs, long idleRoundIntervalNs, int termLength, boolean keepOrder) {
        Options {
            if (validators < 4) {
                throw new IllegalArgumentException("--validators must be at least 4 (n = 3f+1 with f >= 1)");
            }
            IdleMode.parse(idleStrategy);
            new Payloads(payloadBytes);
        }

        static Options defaults() {
            return new Options(4, 100, 1_000, "backoff", 50_000_000L, 1_000_000L, 50_000_000L,
                ConsensusTransport.DEFAULT_TERM_LENGTH, false);
        }
    }

    private final Options options;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private final IntendedTimes intended = new IntendedTimes();
    private final ArrayDeque<AutoCloseable> opened = new ArrayDeque<>();
    private final ValidatorAgent[] agents;
    private final PayloadSink[] sinks;
    private final ManyToOneConcurrentArrayQueue<byte[]>[] queues;
    /** Each validator agent's doorbell: submitters and IPC peers wake it, as in the node. */
    private final Doorbell[] doorbells;
    private final Ed25519 ed25519 = Ed25519.fromSystemProperties();
    private CoreConfig coreConfig;

    @SuppressWarnings("unchecked")
    private ConsensusOnlyCluster(final Options options) {
        this.options = options;
        final int n = options.validators();
        this.agents = new ValidatorAgent[n];
        this.sinks = new PayloadSink[n];
        this.queues = new ManyToOneConcurrentArrayQueue[n];
        this.doorbells = new Doorbell[n];
    }

    static ConsensusOnlyCluster start(final Options options) {
        final ConsensusOnlyCluster cluster = new ConsensusOnlyCluster(options);
        try {
            cluster.open();
            return cluster;
        } catch (final RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void open() {
        final int n = options.validators();
        final IdleMode idle = IdleMode.parse(options.idleStrategy());
        final SecureRandom random = new SecureRandom();
        final KeyPair[] keys = new KeyPair[n];
        final byte[][] publicKeys = new byte[n][];
        for (int v = 0; v < n; v++) {
            keys[v] = ed25519.generateKeyPair(random);
            publicKeys[v] = keys[v].publicKey();
        }
        final Committee committee = Committee.ofEqualStake(SHARD, publicKeys);
        final SignatureScheme scheme = (publicKey, keyOffset, message, offset, length, signature, signatureOffset) ->
            ed25519.check(publicKey, keyOffset, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID;

        final PeerKeyAgreement keyAgreement = PeerKeyAgreement.fromSystemProperties();
        final AeronMedia media = AeronMedia.embedded(aeronDirectory(), idle.dedicatedCores());
        opened.push(media);
        final ConsensusTransport[] transports = new ConsensusTransport[n];
        int maxMessageBytes = Integer.MAX_VALUE;
        for (int v = 0; v < n; v++) {
            // Authenticated like the node's links, so the bench pays the per-message MAC the node pays.
            final PeerAuth auth = PeerAuth.consensus(keyAgreement, keys[v], NETWORK_ID, SHARD, v, publicKeys,
                PeerAuth.firstSequence(System.currentTimeMillis()));
            transports[v] = ConsensusTransport.ipc(media.aeron(), media.doorbells(), SHARD, v, n, options.termLength(),
                auth, new TransportCounters());
            doorbells[v] = media.doorbells().forStream(ConsensusTransport.ipcStreamId(SHARD, v));
            opened.push(transports[v]);
            maxMessageBytes = Math.min(maxMessageBytes, transports[v].maxMessageBytes());
        }
        awaitConnected(transports);
        coreConfig = coreConfig(options, n, maxMessageBytes);

        final ConsensusCore[] cores = new ConsensusCore[n];
        for (int v = 0; v < n; v++) {
            final KeyPair key = keys[v];
            final BlockCodec codec = new BlockCodec((digest, signatureOut) ->
                ed25519.sign(key, digest, 0, digest.length, signatureOut, 0));
            sinks[v] = new PayloadSink(v, n, clock, intended, options.keepOrder());
            queues[v] = new ManyToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
            cores[v] = new ConsensusCore(coreConfig, committee, v, codec, new AuthorSignatureVerifier(scheme),
                new RingStorage(RETENTION_ROUNDS, n), new ConsensusOutbox(transports[v], v, n), sinks[v]);
            agents[v] = new ValidatorAgent("bench-v" + v + "-consensus", clock, transports[v], queues[v],
                coreConfig.maxBlockTransactions(), cores[v], new ConsensusAdapter(cores[v], codec));
        }
        for (int v = 0; v < n; v++) {
            // On this thread; each agent thread starts after, so it sees everything start wrote.
            cores[v].start(clock.nanoTime());
        }
        for (int v = 0; v < n; v++) {
            final AgentRunner runner = new AgentRunner(idle.agentIdleStrategy(doorbells[v]), Throwable::printStackTrace, null,
                agents[v]);
            final String name = agents[v].roleName();
            AgentRunner.startOnThread(runner, r -> {
                final Thread thread = new Thread(r, name);
                thread.setDaemon(true);
                return thread;
            });
            opened.push(runner);
        }
    }

    /**
     * The node's bound (ValidatorNode.coreConfig, package-private there, so stated again here): a block of
     * {@code blockSize} payloads must fit one transport message, so the block byte limit is the smaller of
     * the core's default and the message size minus the block's own overhead.
     */
    static CoreConfig coreConfig(final Options options, final int committeeSize, final int maxMessageBytes) {
        final CoreConfig defaults = CoreConfig.defaults();
        final long overhead = Layout.blockLength(committeeSize, options.blockSize(), 0);
        final long payload = Math.min(defaults.maxBlockPayloadBytes(), maxMessageBytes - overhead);
        if (payload < Payloads.encodedLength(options.payloadBytes())) {
            throw new IllegalArgumentException("transport messages of " + maxMessageBytes + " bytes cannot carry a block of "
                + options.blockSize() + " payloads; raise the term length");
        }
        return defaults
            .withTimes(options.leaderTimeoutNs(), options.minRoundIntervalNs(), defaults.syncRetryNs())
            .withBlockLimits(options.blockSize(), (int) payload)
            .withIdleRoundInterval(options.idleRoundIntervalNs());
    }

    private static Path aeronDirectory() {
        try {
            final Path shm = Path.of("/dev/shm");
            final Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(parent, "basalt-consensus-bench-");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitConnected(final ConsensusTransport[] transports) {
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NS;
        for (int v = 0; v < transports.length; v++) {
            for (int peer = 0; peer < transports.length; peer++) {
                while (peer != v && !transports[v].isConnected(peer)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("validator " + v + " is not connected to " + peer);
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Hands payload {@code seq} to its validator ({@code seq % n}); false when that queue is full. */
    boolean offer(final long seq, final long intendedNs, final byte[] payload) {
        intended.put(seq, intendedNs);
        final int v = (int) (seq % agents.length);
        if (!queues[v].offer(payload)) {
            return false;
        }
        doorbells[v].ring();
        return true;
    }

    /** Every sink records into {@code step} from now on (null: none). */
    void step(final Step step) {
        for (final PayloadSink sink : sinks) {
            sink.step(step);
        }
    }

    EpochNanoClock clock() {
        return clock;
    }

    int validators() {
        return agents.length;
    }

    ValidatorAgent agent(final int v) {
        return agents[v];
    }

    PayloadSink sink(final int v) {
        return sinks[v];
    }

    CoreConfig coreConfig() {
        return coreConfig;
    }

    Options options() {
        return options;
    }

    String cryptoProvider() {
        return ed25519.providerDescription();
    }

    /** Payloads refused by the cores' mempools so far, all validators. */
    long mempoolRefused() {
        long total = 0;
        for (final ValidatorAgent agent : agents) {
            total += agent.refused();
        }
        return total;
    }

    /** Stops the agents (joining their threads), then the transports, then the media driver. */
    @Override
    public void close() {
        while (!opened.isEmpty()) {
            CloseHelper.quietClose(opened.pop());
        }
    }
}
