package io.basalt.node.runtime;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.PeerKeyAgreement;
import io.basalt.crypto.SignatureCheck;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.Committee;
import io.basalt.dag.ConsensusAdapter;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.CoreConfig;
import io.basalt.dag.CoreStorage;
import io.basalt.dag.SignatureScheme;
import io.basalt.dag.SignedBlockVerifier;
import io.basalt.node.api.FinalityListener;
import io.basalt.node.api.NodeApi;
import io.basalt.node.api.NodeStatus;
import io.basalt.node.api.SubmitCallback;
import io.basalt.node.api.SubmitResult;
import io.basalt.node.api.TxStatus;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.exec.ChronicleLedger;
import io.basalt.node.exec.Ledger;
import io.basalt.node.gateway.AeronClientGateway;
import io.basalt.node.net.AeronMedia;
import io.basalt.node.net.ConsensusOutbox;
import io.basalt.node.net.ConsensusTransport;
import io.basalt.node.net.CrossShardCounters;
import io.basalt.node.net.CrossShardTransport;
import io.basalt.node.net.Doorbell;
import io.basalt.node.net.PeerAuth;
import io.basalt.node.net.TransportCounters;
import io.basalt.node.net.WakeableIdleStrategy;
import io.basalt.node.store.FileBlockStore;
import io.basalt.protocol.Layout;
import io.basalt.protocol.ProtocolLimits;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import io.basalt.xshard.CrossShardRelay;
import io.basalt.xshard.RelayConfig;
import io.basalt.xshard.SignatureVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One validator: consensus, execution and admission wired to Aeron, Disruptor rings and durable
 * state. Thread topology (docs/node.md has the full picture):
 *
 * <pre>
 *  HTTP gateway threads ─ submit() ─ decode once · verify · admit (caller's thread) ──────┐
 *  Aeron gateway ─ submitAsync() ─▶ ingest ring ─▶ the same, on k handlers ──────────────┤
 *                                                             AdmittedTx queue (MPSC) + doorbell
 *                                                                                         │
 *  Aeron subscription ──▶ consensus agent (single writer of ConsensusCore) ◀──────────────┘
 *        peers' blocks ──┤  ▲ verified blocks + doorbell
 *                        ▼  │
 *       block verification ring: k handlers, tx index % k (no signature is checked on the agent)
 *                           │ outbox ──▶ Aeron publications (one per peer, never blocks; IPC rings the peer)
 *                           │ storage ─▶ block store (persist own block before sending)
 *                           ▼ commits
 *                         execution ring ──▶ execution thread (single writer of Ledger)
 *                                              ├─▶ finality listeners, in-flight set, status, stage times
 *                                              └─▶ cross-shard agent (batches cut, streams applied)
 *                                                    │ CrossShardTransport ◀──▶ other shards' validators
 *                                                    └ certified batches ──▶ certified queue ──▶ consensus agent
 * </pre>
 */
public final class ValidatorNode implements NodeApi, AutoCloseable {
    /** Rounds of blocks kept on disk for peers that catch up. */
    public static final long STORE_RETENTION_ROUNDS = 10_000;
    /** Admitted transactions waiting for the consensus agent. */
    public static final int ADMISSION_QUEUE_CAPACITY = 16_384;
    /** Certified cross-shard batches waiting for the consensus agent. */
    static final int CERTIFIED_QUEUE_CAPACITY = 1_024;

    private static final Logger LOG = LoggerFactory.getLogger(ValidatorNode.class);

    private final NodeConfig config;
    private final Genesis genesis;
    private final Committee committee;
    private final String name;
    private final List<AutoCloseable> closeables; // most recently opened first
    private final NodeMetrics metrics;
    private final TransportCounters transportCounters;
    private final Ledger ledger;
    private final InFlight inFlight;
    private final FinalityHub finality = new FinalityHub();
    private final Admission admission;
    private final ConsensusTransport transport;
    private final ExecutionStage execution;
    private final IngestPipeline ingest;
    private final AgentRunner consensusRunner;
    private final CrossShardAgent crossShard;
    /** Stream of SubmitTx on the client endpoint; responses on the next stream id. */
    public static final int CLIENT_SUBMIT_STREAM_ID = 20;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean ready;
    private volatile boolean closed;

    /** A validator in its own process, from its config file's paths. */
    public static ValidatorNode start(final NodeConfig config) throws IOException {
        return start(config, NodeResources.standalone());
    }

    public static ValidatorNode start(final NodeConfig config, final NodeResources resources) throws IOException {
        return start(config, Genesis.read(config.genesis()), KeyFiles.read(config.keyFile()), resources);
    }

    /**
     * Opens (or takes from {@code resources}) everything the validator needs, starts the core with
     * {@code ledger.appliedHeight()} so that commits the ledger had not applied are replayed, and
     * starts its threads. Throws, leaving nothing open, when the config does not match the genesis.
     */
    public static ValidatorNode start(final NodeConfig config, final Genesis genesis, final KeyPair key,
                                      final NodeResources resources) {
        final ArrayDeque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            return new ValidatorNode(config, genesis, key, resources, opened);
        } catch (final RuntimeException | Error e) {
            while (!opened.isEmpty()) {
                closeQuietly(opened.pop());
            }
            throw e;
        }
    }

    private ValidatorNode(final NodeConfig config, final Genesis genesis, final KeyPair key,
                          final NodeResources resources, final ArrayDeque<AutoCloseable> opened) {
        this.config = config;
        this.genesis = genesis;
        final int shardId = config.shardId();
        final int self = config.validatorIndex();
        if (shardId < 0 || shardId >= genesis.shardCount()
            || self < 0 || self >= genesis.shards().get(shardId).validators().size()) {
            throw new IllegalArgumentException("validator " + shardId + "/" + self + " is not in the genesis");
        }
        this.committee = genesis.committee(shardId);
        if (!Arrays.equals(committee.publicKey(self), key.publicKey())) {
            throw new IllegalArgumentException("key file of validator " + shardId + "/" + self
                + " does not match its public key in the genesis");
        }
        this.name = "s" + shardId + "v" + self;
        final IdleMode idle = IdleMode.parse(config.idleStrategy());
        final Ed25519 ed25519 = Crypto.ED25519;

        final AeronMedia media = resources.media() != null ? resources.media() : openMedia(config, idle, opened);
        this.transportCounters = new TransportCounters();
        this.metrics = new NodeMetrics(shardId, self, transportCounters);
        // Channel keys from the genesis identities (docs/node.md, "Peer authentication").
        final byte[][][] peerKeys = peerKeys(genesis);
        final long firstSequence = PeerAuth.firstSequence(System.currentTimeMillis());
        final PeerAuth consensusAuth = PeerAuth.consensus(Crypto.KEY_AGREEMENT, key, genesis.networkId(), shardId, self,
            peerKeys[shardId], firstSequence);
        this.transport = resources.ipc()
            ? ConsensusTransport.ipc(media.aeron(), media.doorbells(), shardId, self, committee.size(), resources.termLength(),
                consensusAuth, transportCounters)
            : ConsensusTransport.udp(media.aeron(), shardId, self, consensusEndpoints(genesis, shardId),
                config.bindEndpoint(genesis.validator(shardId, self).consensusEndpoint()), resources.termLength(),
                consensusAuth, transportCounters);
        opened.push(transport);
        final CoreConfig coreConfig = coreConfig(config, committee.size(), transport.maxMessageBytes());

        final CoreStorage storage = resources.storage() != null ? resources.storage()
            : FileBlockStore.open(config.dataDir().resolve("blocks"), STORE_RETENTION_ROUNDS);
        if (storage instanceof AutoCloseable closeable) {
            opened.push(closeable);
        }
        this.ledger = resources.ledger() != null ? resources.ledger()
            : ChronicleLedger.open(config.dataDir().resolve("state"), genesis, shardId, config.stateEntries());
        opened.push(ledger);

        this.inFlight = new InFlight(coreConfig.maxMempoolTransactions());
        if (ADMISSION_QUEUE_CAPACITY > inFlight.capacity()) {
            throw new IllegalArgumentException("the admission queue must not outgrow the in-flight set");
        }
        final ManyToOneConcurrentArrayQueue<AdmittedTx> admitted = new ManyToOneConcurrentArrayQueue<>(ADMISSION_QUEUE_CAPACITY);
        final ManyToOneConcurrentArrayQueue<byte[]> certified = new ManyToOneConcurrentArrayQueue<>(CERTIFIED_QUEUE_CAPACITY);
        // The consensus agent's doorbell: IPC peers ring it through the shared registry.
        final Doorbell consensusDoorbell = resources.ipc()
            ? media.doorbells().forStream(ConsensusTransport.ipcStreamId(shardId, self)) : new Doorbell();
        final SignatureScheme scheme = (publicKey, keyOffset, message, offset, length, signature, signatureOffset) ->
            ed25519.check(publicKey, keyOffset, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID;
        this.admission = new Admission(ledger, inFlight, admitted, consensusDoorbell, metrics, finality, this::isReady,
            () -> new SignedBlockVerifier(scheme));

        this.crossShard = genesis.shardCount() > 1
            ? crossShardAgent(resources, media, key, ed25519, PeerAuth.crossShard(Crypto.KEY_AGREEMENT, key,
                genesis.networkId(), shardId, self, peerKeys, firstSequence), certified, consensusDoorbell, opened)
            : null;
        final OwnBlockTimes ownBlockTimes = new OwnBlockTimes();
        this.execution = new ExecutionStage(ledger, inFlight, ownBlockTimes, metrics, finality,
            crossShard == null ? ExecutionStage.CrossShardSink.NONE : new ExecutionStage.CrossShardSink() {
                @Override
                public void onBatch(final int destShard, final long seq, final byte[] prefix) {
                    crossShard.onBatch(destShard, seq, prefix);
                }

                @Override
                public void onHeight() {
                    crossShard.onHeight();
                }
            }, this::fail, idle, threads("exec"));
        opened.push(execution);

        final BlockVerification verification = new BlockVerification(committee, inFlight, metrics, config.verifierThreads(),
            () -> new SignedBlockVerifier(scheme), consensusDoorbell, this::fail, idle, threads("verify"));
        opened.push(verification);
        final BlockVerification.Verdicts verdicts = new BlockVerification.Verdicts(new SignedBlockVerifier(scheme));
        final IdleStrategy consensusIdle = idle.agentIdleStrategy(consensusDoorbell);
        final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
        final ConsensusAgent agent = new ConsensusAgent("basalt-" + name + "-consensus", clock, transport,
            new ConsensusAgent.Inputs(admitted, certified, verification, verdicts), coreConfig.maxBlockTransactions(),
            execution, inFlight, ownBlockTimes, () -> execution.executed().consensusTimeMs(), metrics,
            () -> failure.get() != null, consensusIdle instanceof WakeableIdleStrategy w ? w : null);
        final BlockCodec codec = new BlockCodec((digest, signatureOut) ->
            ed25519.sign(key, digest, 0, digest.length, signatureOut, 0));
        final ConsensusCore core = new ConsensusCore(coreConfig, committee, self, codec, verdicts,
            storage, new ConsensusOutbox(transport, self, committee.size()), agent);
        agent.attach(core, new ConsensusAdapter(core, codec, agent));
        // Runs on this thread; the agent thread starts after, so it sees everything start wrote.
        core.start(clock.nanoTime(), ledger.appliedHeight());

        this.ingest = new IngestPipeline(admission, config.verifierThreads(), () -> new SignedBlockVerifier(scheme),
            idle, threads("ingest"));
        opened.push(ingest);
        this.consensusRunner = new AgentRunner(consensusIdle, this::fail, null, agent);
        AgentRunner.startOnThread(consensusRunner, threads("consensus"));
        opened.push(consensusRunner);
        if (crossShard != null) {
            final AgentRunner crossShardRunner = new AgentRunner(idle.agentIdleStrategy(crossShard.doorbell()), this::fail, null,
                crossShard);
            AgentRunner.startOnThread(crossShardRunner, threads("xshard"));
            opened.push(crossShardRunner);
        }
        if (resources.clientGateway()) {
            startClientGateway(config.bindEndpoint(genesis.validator(shardId, self).clientEndpoint()), media, idle, opened);
        }
        this.closeables = new ArrayList<>(opened);
        if (resources.media() == null) {
            // Owned media closes last: it is at the bottom of the stack.
            assert closeables.getLast() == media;
        }
        this.ready = true;
        LOG.info("validator {} started: consensus {}, committee {}, executed height {}",
            name, transport.channel(), committee.size(), ledger.appliedHeight());
    }

    /**
     * The links to every validator of the other shards (Aeron IPC inside one process, UDP on the
     * genesis consensus endpoints otherwise, stream {@link CrossShardTransport#CROSS_SHARD_STREAM_ID})
     * and the agent that runs this validator's {@link CrossShardRelay} on them.
     */
    private CrossShardAgent crossShardAgent(final NodeResources resources, final AeronMedia media, final KeyPair key,
                                            final Ed25519 ed25519, final PeerAuth auth,
                                            final ManyToOneConcurrentArrayQueue<byte[]> certified,
                                            final Doorbell consensusDoorbell, final ArrayDeque<AutoCloseable> opened) {
        final int shardId = config.shardId();
        final int self = config.validatorIndex();
        final CrossShardCounters counters = new CrossShardCounters();
        final CrossShardTransport link;
        if (resources.ipc()) {
            final int[] sizes = new int[genesis.shardCount()];
            for (int s = 0; s < sizes.length; s++) {
                sizes[s] = genesis.shards().get(s).validators().size();
            }
            link = CrossShardTransport.ipc(media.aeron(), shardId, self, sizes, CrossShardTransport.DEFAULT_TERM_LENGTH, auth,
                counters);
        } else {
            final List<List<String>> endpoints = new ArrayList<>();
            for (int s = 0; s < genesis.shardCount(); s++) {
                endpoints.add(consensusEndpoints(genesis, s));
            }
            link = CrossShardTransport.udp(media.aeron(), shardId, self, endpoints,
                config.bindEndpoint(genesis.validator(shardId, self).consensusEndpoint()), CrossShardTransport.DEFAULT_TERM_LENGTH,
                auth, counters);
        }
        opened.push(link);
        final SignatureVerifier verifier = (publicKey, message, offset, length, signature, signatureOffset) ->
            ed25519.check(publicKey, 0, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID;
        final CrossShardRelay.Signer signer = digest -> {
            final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
            ed25519.sign(key, digest, 0, digest.length, signature, 0);
            return signature;
        };
        final CrossShardAgent agent = new CrossShardAgent("basalt-" + name + "-xshard", new OffsetEpochNanoClock(), link,
            outbox -> new CrossShardRelay(genesis.networkId(), shardId, self, genesis.shardCommittees(), verifier, signer,
                outbox, RelayConfig.defaults()),
            certified, consensusDoorbell, ledger, finality, shardId, genesis.shardCount(), () -> failure.get() != null);
        metrics.relay = agent.counters();
        metrics.crossShardTransport = counters;
        return agent;
    }

    /**
     * The Aeron fast path for trading clients: SubmitTx in on {@code aeron:udp?endpoint=HOST:PORT}
     * (the clientEndpoint of the genesis, on the bindHost if the config names one), SubmitAck and FinalityEvent out on a dynamic
     * multi-destination channel whose control port is PORT+1 (docs/api.md). Closed before the
     * consensus agent, so no submission arrives at a stopping node; its counters join this
     * validator's registry. None without an endpoint.
     */
    private void startClientGateway(final String endpoint, final AeronMedia media, final IdleMode idle,
                                    final ArrayDeque<AutoCloseable> opened) {
        if (endpoint == null || endpoint.isBlank()) {
            return;
        }
        final int colon = endpoint.lastIndexOf(':');
        final String controlEndpoint = endpoint.substring(0, colon) + ":" + (Integer.parseInt(endpoint.substring(colon + 1)) + 1);
        final AeronClientGateway gateway = new AeronClientGateway(media.aeron(), "aeron:udp?endpoint=" + endpoint,
            CLIENT_SUBMIT_STREAM_ID, "aeron:udp?control=" + controlEndpoint + "|control-mode=dynamic",
            CLIENT_SUBMIT_STREAM_ID + AeronClientGateway.RESPONSE_STREAM_OFFSET, this, SystemNanoClock.INSTANCE);
        gateway.registerMetrics(metrics.registry());
        final IdleStrategy gatewayIdle = idle.agentIdleStrategy(gateway.doorbell());
        if (gatewayIdle instanceof WakeableIdleStrategy wakeable) {
            gateway.paceWith(wakeable);
        }
        final AgentRunner runner = new AgentRunner(gatewayIdle, this::fail, null, gateway);
        AgentRunner.startOnThread(runner, threads("client-gateway"));
        opened.push(runner);
    }

    private static AeronMedia openMedia(final NodeConfig config, final IdleMode idle,
                                        final ArrayDeque<AutoCloseable> opened) {
        final AeronMedia media;
        if (config.embeddedMediaDriver()) {
            final Path dir = config.aeronDir() != null ? config.aeronDir() : config.dataDir().resolve("aeron");
            media = AeronMedia.embedded(dir, idle.dedicatedCores());
        } else {
            media = AeronMedia.external(config.aeronDir());
        }
        opened.push(media);
        return media;
    }

    /** Every validator's Ed25519 key by shard and index: the identities the channel keys are derived from. */
    private static byte[][][] peerKeys(final Genesis genesis) {
        final byte[][][] keys = new byte[genesis.shardCount()][][];
        for (int s = 0; s < keys.length; s++) {
            final Committee shard = genesis.committee(s);
            keys[s] = new byte[shard.size()][];
            for (int v = 0; v < keys[s].length; v++) {
                keys[s][v] = shard.publicKey(v);
            }
        }
        return keys;
    }

    private static List<String> consensusEndpoints(final Genesis genesis, final int shardId) {
        final List<String> endpoints = new ArrayList<>();
        for (final Genesis.Validator validator : genesis.shards().get(shardId).validators()) {
            endpoints.add(validator.consensusEndpoint());
        }
        return endpoints;
    }

    /**
     * The core's limits from the node config, with the block payload bounded so that a full block
     * (all parents, all transactions) fits one transport message.
     */
    static CoreConfig coreConfig(final NodeConfig config, final int committeeSize, final int maxMessageBytes) {
        final CoreConfig defaults = CoreConfig.defaults();
        final long overhead = Layout.blockLength(committeeSize, config.maxBlockTransactions(), 0);
        final long payload = Math.min(defaults.maxBlockPayloadBytes(), maxMessageBytes - overhead);
        if (payload < ProtocolLimits.MAX_TX_BYTES) {
            throw new IllegalArgumentException("transport messages of " + maxMessageBytes
                + " bytes cannot carry a block of " + config.maxBlockTransactions() + " transactions; raise the term length");
        }
        return defaults
            .withTimes(config.leaderTimeoutMs() * 1_000_000L, config.minRoundIntervalMs() * 1_000_000L,
                defaults.syncRetryNs())
            .withBlockLimits(config.maxBlockTransactions(), (int) payload)
            .withIdleRoundInterval(config.idleRoundIntervalMs() * 1_000_000L);
    }

    private ThreadFactory threads(final String role) {
        final AtomicInteger count = new AtomicInteger();
        return runnable -> {
            final Thread thread = new Thread(runnable, "basalt-" + name + "-" + role + "-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A broken invariant or a failed disk: stop taking work and report; close() still cleans up. */
    private void fail(final Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            ready = false;
            LOG.error("validator {} stopped on an internal failure", name, cause);
        }
    }

    // -------------------------------------------------------------------------------------------
    // NodeApi
    // -------------------------------------------------------------------------------------------

    /**
     * Runs decode, signature verification and admission on the caller's thread and answers at once:
     * no hand-off to another thread, so the answer costs one verification plus a queue offer.
     */
    @Override
    public SubmitResult submit(final byte[] transaction) {
        return admission.submit(transaction);
    }

    /**
     * The same checks through the ingest Disruptor, for callers that must not spend their own thread
     * on verification (the Aeron client gateway). The callback runs on one of the pipeline's
     * handlers, or on the caller's with OVERLOADED when the ring is full.
     */
    @Override
    public void submitAsync(final byte[] transaction, final long correlationId, final SubmitCallback callback) {
        if (closed || !ingest.tryPublish(transaction, correlationId, callback)) {
            metrics.submitted.incrementAndGet();
            metrics.rejected(RejectCode.OVERLOADED);
            callback.onAdmission(correlationId, Admission.NO_ID, RejectCode.OVERLOADED);
        }
    }

    @Override
    public TxStatus txStatus(final byte[] txId) {
        if (txId == null || txId.length != Layout.HASH_LENGTH) {
            return TxStatus.UNKNOWN;
        }
        final Ledger.TxRecord settled = ledger.settled(txId);
        if (settled != null) {
            return new TxStatus(TxState.SETTLED, settled.result().code(), RejectCode.NONE, settled.height(),
                settled.consensusTimeMs());
        }
        final Ledger.TxRecord record = ledger.executed(txId);
        if (record != null && ledger.transferSettled(txId)) {
            return new TxStatus(TxState.SETTLED, record.result().code(), RejectCode.NONE, record.height(),
                record.consensusTimeMs());
        }
        if (record != null) {
            return new TxStatus(TxState.COMMITTED, record.result().code(), RejectCode.NONE, record.height(),
                record.consensusTimeMs());
        }
        // Never REJECTED: a refusal was the submitter's answer (see Admission#finish), and the id
        // it was refused under may belong to a genuine transaction pending or committed elsewhere.
        return inFlight.contains(txId) ? new TxStatus(TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0) : TxStatus.UNKNOWN;
    }

    @Override
    public Map<Integer, Long> balances(final byte[] account) {
        return ledger.balances(account);
    }

    @Override
    public NodeStatus status() {
        final ExecutionStage.Executed executed = execution.executed();
        return new NodeStatus(genesis.networkId(), config.shardId(), genesis.shardCount(), config.validatorIndex(),
            committee.size(), metrics.committedHeight, executed.height(), metrics.round,
            HexFormat.of().formatHex(executed.stateDigest()), executed.consensusTimeMs(), isReady());
    }

    /**
     * Ready for clients: started and not fetching rounds it fell behind on. A restarted validator
     * answers NOT_READY until it is back inside the window instead of admitting transactions
     * against a stale consensus time. Execution trailing consensus under load is not a readiness
     * matter: the bounded queues answer OVERLOADED then.
     */
    public boolean isReady() {
        return ready && !metrics.catchingUp;
    }

    @Override
    public AutoCloseable subscribe(final FinalityListener listener) {
        return finality.subscribe(listener);
    }

    @Override
    public String metricsText() {
        return metrics.render();
    }

    // -------------------------------------------------------------------------------------------
    // Operations
    // -------------------------------------------------------------------------------------------

    public NodeConfig config() {
        return config;
    }

    public Genesis genesis() {
        return genesis;
    }

    /** Where this validator listens for consensus traffic, e.g. {@code aeron:udp?endpoint=…}. */
    public String consensusChannel() {
        return transport.channel();
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /** The ledger this validator executes into (for operators' tools and tests; reads are thread-safe). */
    public Ledger ledger() {
        return ledger;
    }

    /** The internal failure that stopped this validator, or null while it is healthy. */
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public String failureReason() {
        final Throwable cause = failure.get();
        return cause == null ? null : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * Stops admission, then the consensus agent, lets execution apply what was committed (bounded
     * wait), and closes transport, ledger, store and, when this node opened them, Aeron and its driver.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        // The stack's order is the reverse of opening: runner, ingest, execution, ledger, store, transport, media.
        for (final AutoCloseable resource : closeables) {
            closeQuietly(resource);
        }
        LOG.info("validator {} stopped", name);
    }

    private static void closeQuietly(final AutoCloseable resource) {
        try {
            resource.close();
        } catch (final Exception e) {
            LOG.warn("closing {} failed", resource, e);
        }
    }

    /** One Ed25519 facade per process: it is immutable and thread-safe, and loading libsodium once is enough. */
    private static final class Crypto {
        static final Ed25519 ED25519 = Ed25519.fromSystemProperties();
        static final PeerKeyAgreement KEY_AGREEMENT = PeerKeyAgreement.fromSystemProperties();
    }
}
