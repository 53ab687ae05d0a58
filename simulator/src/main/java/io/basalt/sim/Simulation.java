package io.basalt.sim;

import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CommittedSubDag;
import io.basalt.dag.Committee;
import io.basalt.dag.ConsensusAdapter;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.ConsensusPublisher;
import io.basalt.dag.CoreConfig;
import io.basalt.dag.CoreOutbox;
import io.basalt.dag.RejectReason;
import io.basalt.dag.SignedBlockVerifier;
import io.basalt.exec.HeightEffects;
import io.basalt.protocol.Layout;
import io.basalt.protocol.Templates;
import io.basalt.xshard.CrossShardRelay;
import io.basalt.xshard.RelayConfig;
import io.basalt.xshard.ShardCommittees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs one {@link Scenario} in virtual time: S shards of n validators, each validator a consensus
 * core, the real transaction rules over its own state and, with more than one shard, a cross-shard
 * relay. Single-threaded and seeded: the same scenario gives the same run, event for event, so a
 * failing seed replays exactly.
 *
 * <pre>
 *   event queue (time, seq)
 *    ├─▶ DELIVER bytes ─▶ ConsensusAdapter ─▶ ConsensusCore ─outbox─▶ ConsensusAdversary ─▶ shard network ─▶ queue
 *    ├─▶ TICK ──────────▶ core.tick               │
 *    ├─▶ SUBMIT tx ─────▶ core.submit             │ committed sub-DAG
 *    ├─▶ CRASH/RESTART                            ▼
 *    │        Checker (agreement, state) ◀── NodeLedger: HeightExecutor over MemoryState
 *    │        LedgerChecker (money, streams) ◀──┤ effects, results, state digest
 *    │                                          ▼ batches cut, streams applied
 *    ├─▶ XDELIVER bytes ─▶ CrossShardRelay ◀── onBatch / onApplied
 *    └─▶ XTICK ──────────▶ relay.tick     │ send ─▶ CrossShardAdversary ─▶ cross-shard network ─▶ queue
 *                                         │ propose ─▶ core.submit (a system transaction)
 *                                         └ acknowledged ─▶ outbox pruned, LedgerChecker
 * </pre>
 *
 * Every message crosses the network as SBE bytes and is decoded by the receiver, so Byzantine
 * bytes meet the same decoders a real node runs. A crash loses a validator's core and relay (its
 * memory) but keeps its storage and state (its disk); on restart the relay is refilled from the
 * state's outbox, as the node's cross-shard agent does.
 */
public final class Simulation {
    private static final int DELIVER = 0;
    private static final int TICK = 1;
    private static final int CRASH = 2;
    private static final int RESTART = 3;
    private static final int SUBMIT = 4;
    private static final int XDELIVER = 5;
    private static final int XTICK = 6;
    private static final long STORAGE_RETENTION_ROUNDS = 2_000;
    private static final int SAMPLE_EVERY_EVENTS = 512;
    /** The relay's duty cycle in virtual time. */
    static final long RELAY_TICK_NS = 2 * Scenario.MS;
    /** Relay timers scaled to the simulator's millisecond network: retries well inside the run's tail. */
    static final RelayConfig RELAY = new RelayConfig(20 * Scenario.MS, 15 * Scenario.MS, 50 * Scenario.MS, 256, 64);

    private final Scenario scenario;
    private final int n;
    private final SplittableRandom random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final SimCrypto crypto;
    private final Workload workload;
    private final Committee[] committees;
    private final ShardCommittees shardCommittees;
    private final SignedBlockVerifier verifier;
    private final ConsensusPublisher publisher = new ConsensusPublisher();
    private final Node[] nodes;
    /** Blocks each validator (global index) sent each peer of its shard in answer to requests. */
    private final long[][] servedBlocks;
    private final Violations violations = new Violations();
    private final Checker[] checkers;
    private final LedgerChecker ledger;
    private final CrossShardNetwork crossNetwork;
    private final CrossShardAdversary adversary;
    private final ConsensusAdversary blockAdversary;
    private final Map<BlockRef, Long> proposedAtNs = new HashMap<>();
    /** The consensus rules every validator runs: the scenario's, or a {@link WrongRule} of the round rule. */
    private final CoreConfig coreConfig;
    /** Reads a broadcast block's round for the scenario's {@link BlockSchedule}. */
    private final BlockCodec scheduleCodec = new BlockCodec(null);
    private final UnsafeBuffer scheduleView = new UnsafeBuffer(new byte[0]);
    private final Histogram leaderLatency = new Histogram();
    private final Histogram transactionLatency = new Histogram();
    private final boolean measureLatency;
    private boolean started;
    private long nowNs;
    private long seq;
    private long events;
    private long maxDagBlocks;
    private long maxPendingBlocks;
    private long maxStoredBlocks;
    private long submitted;
    private final long[] roundAtCrash;
    private long maxRoundsMissed;

    private record Event(long timeNs, long seq, int type, int target, int from, byte[] bytes)
        implements Comparable<Event> {
        @Override
        public int compareTo(final Event o) {
            final int c = Long.compare(timeNs, o.timeNs);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** One validator: its disk (storage, ledger) survives crashes, its core and relay do not. */
    private final class Node {
        final int shard;
        final int index;
        final int global;
        final Behaviour behaviour;
        final SimStorage storage = new SimStorage(STORAGE_RETENTION_ROUNDS);
        final BlockCodec codec;
        final NodeLedger ledger;
        final CrossShardAdversary.Actions actions;
        ConsensusCore core;
        ConsensusAdapter adapter;
        CrossShardRelay relay;
        long scheduledTickNs = Long.MAX_VALUE;
        long relayTickNs = Long.MAX_VALUE;

        Node(final int shard, final int index) {
            this.shard = shard;
            this.index = index;
            this.global = shard * n + index;
            this.behaviour = scenario.behaviour(shard, index);
            this.codec = new BlockCodec(crypto.signer(global));
            this.ledger = new NodeLedger(shard, scenario, workload.allocations(), shardCommittees, crypto);
            this.actions = actionsOf(this);
        }

        boolean isUp() {
            return core != null;
        }

        void start() {
            core = new ConsensusCore(coreConfig, committees[shard], index, codec, verifier, storage,
                new Outbox(this), subDag -> onCommit(this, subDag));
            adapter = new ConsensusAdapter(core, codec);
            if (scenario.shards() > 1) {
                relay = new CrossShardRelay(SimCrypto.NETWORK_ID, shard, index, shardCommittees,
                    crypto.crossShardVerifier(), digest -> crypto.signDigest(global, digest), new RelayOutbox(this), RELAY);
                reloadRelay(this);
                scheduleRelayTick(this);
            }
            core.start(nowNs, ledger.height());
            scheduleTick(this);
        }

        void crash() {
            core = null;
            adapter = null;
            relay = null;
            scheduledTickNs = Long.MAX_VALUE;
            relayTickNs = Long.MAX_VALUE;
        }
    }

    public Simulation(final Scenario scenario) {
        this(scenario, false);
    }

    public Simulation(final Scenario scenario, final boolean measureLatency) {
        this.scenario = scenario;
        this.n = scenario.validators();
        this.random = new SplittableRandom(scenario.seed());
        this.crypto = new SimCrypto(scenario.seed(), scenario.shards(), n);
        this.workload = new Workload(scenario, crypto);
        this.committees = new Committee[scenario.shards()];
        final byte[][][] keys = new byte[scenario.shards()][][];
        for (int s = 0; s < scenario.shards(); s++) {
            keys[s] = crypto.validatorKeys(s * n, n);
            committees[s] = Committee.ofEqualStake(s, keys[s]);
        }
        this.shardCommittees = ShardCommittees.ofEqualStake(keys);
        this.verifier = new SignedBlockVerifier(crypto);
        this.checkers = new Checker[scenario.shards()];
        for (int s = 0; s < checkers.length; s++) {
            checkers[s] = new Checker(scenario, s, violations);
        }
        this.ledger = new LedgerChecker(scenario, workload, violations);
        this.crossNetwork = new CrossShardNetwork(scenario, random.split(),
            (at, to, from, bytes) -> push(at, XDELIVER, to, from, bytes));
        this.adversary = new CrossShardAdversary(scenario, crypto, shardCommittees, workload, random.split());
        this.blockAdversary = new ConsensusAdversary(n, scenario.maxFaulty(), random, crypto, this::send);
        this.measureLatency = measureLatency;
        this.coreConfig = scenario.wrongRule() == WrongRule.UNSAFE_ROUND_ADVANCE
            ? scenario.core().withUnsafeRoundAdvance()
            : scenario.core();
        this.nodes = new Node[scenario.shards() * n];
        this.servedBlocks = new long[scenario.shards() * n][n];
        this.roundAtCrash = new long[nodes.length];
        for (int g = 0; g < nodes.length; g++) {
            nodes[g] = new Node(g / n, g % n);
        }
    }

    public static SimResult run(final Scenario scenario) {
        return new Simulation(scenario).execute();
    }

    public SimResult execute() {
        final long wallStart = System.nanoTime();
        try {
            runUntil(scenario.endAtNs());
            if (violations.isEmpty()) {
                checkEnd();
            }
        } catch (final RuntimeException | AssertionError e) {
            // A broken invariant inside a validator is a finding of this seed, not a crash of the campaign.
            violations.crash(nowNs, e);
        }
        return result(System.nanoTime() - wallStart);
    }

    /** Runs events up to {@code stopNs} (starting the run first if needed), or until a checker objects. */
    void runUntil(final long stopNs) {
        if (!started) {
            started = true;
            scheduleFaults();
            scheduleClients();
            for (final Node node : nodes) {
                node.start();
            }
        }
        while (!queue.isEmpty() && queue.peek().timeNs() <= stopNs) {
            final Event event = queue.poll();
            nowNs = event.timeNs();
            dispatch(event);
            if (++events % SAMPLE_EVERY_EVENTS == 0) {
                sample();
            }
            if (!violations.isEmpty()) {
                break;
            }
        }
    }

    private void checkEnd() {
        for (final Checker checker : checkers) {
            checker.checkLiveness(scenario.livenessDeadlineNs());
        }
        final List<LedgerChecker.FinalState> finals = new ArrayList<>();
        for (final Node node : nodes) {
            final boolean atTop = node.ledger.height() == checkers[node.shard].canonicalHeight();
            finals.add(new LedgerChecker.FinalState(node.shard, node.index, atTop, node.ledger.state(), node.relay));
        }
        ledger.checkEnd(finals);
    }

    private void dispatch(final Event event) {
        final Node node = nodes[event.target()];
        switch (event.type()) {
            case DELIVER -> {
                if (node.isUp()) {
                    node.adapter.onMessage(event.from(), event.bytes(), nowNs);
                    scheduleTick(node);
                }
            }
            case TICK -> {
                if (node.isUp() && event.timeNs() == node.scheduledTickNs) {
                    node.scheduledTickNs = Long.MAX_VALUE;
                    node.core.tick(nowNs);
                    scheduleTick(node);
                }
            }
            case CRASH -> {
                roundAtCrash[node.global] = clusterRound(node.shard);
                node.crash();
            }
            case RESTART -> {
                maxRoundsMissed = Math.max(maxRoundsMissed, clusterRound(node.shard) - roundAtCrash[node.global]);
                node.start();
            }
            case SUBMIT -> submit(node, workload.transactions().get(event.from()));
            case XDELIVER -> deliverCrossShard(node, event.from(), event.bytes());
            case XTICK -> relayTick(node, event.timeNs());
            default -> throw new IllegalStateException("unknown event " + event.type());
        }
    }

    private void submit(final Node node, final Workload.ClientTx tx) {
        if (node.isUp() && node.core.submit(tx.bytes())) {
            submitted++;
            checkers[node.shard].onSubmit(tx.nonce(), node.index, nowNs);
            scheduleTick(node);
        }
    }

    private void onCommit(final Node node, final CommittedSubDag subDag) {
        final boolean canonical = checkers[node.shard].onCommit(node.index, subDag, nowNs);
        final NodeLedger.Height height = node.ledger.apply(subDag);
        checkers[node.shard].onState(node.index, subDag.height(), height.digest(), canonical);
        if (canonical) {
            ledger.onHeight(node.shard, subDag, height.results(), height.effects(), nowNs);
        }
        if (node.relay != null) {
            feedRelay(node, height.effects());
        }
        if (measureLatency) {
            final Long proposed = proposedAtNs.get(subDag.leader());
            if (proposed != null) {
                leaderLatency.record(nowNs - proposed);
            }
        }
    }

    private void scheduleTick(final Node node) {
        final long wake = Math.max(node.core.nextWakeupNs(), nowNs + 1);
        if (wake < node.scheduledTickNs) {
            node.scheduledTickNs = wake;
            push(wake, TICK, node.global, -1, null);
        }
    }

    private void scheduleFaults() {
        for (int s = 0; s < scenario.shards(); s++) {
            for (final Scenario.Crash crash : scenario.plan(s).crashes()) {
                push(crash.atNs(), CRASH, s * n + crash.validator(), -1, null);
                push(crash.restartNs(), RESTART, s * n + crash.validator(), -1, null);
            }
        }
    }

    private void scheduleClients() {
        for (final Workload.ClientTx tx : workload.transactions()) {
            for (final Workload.Target target : tx.targets()) {
                push(target.atNs(), SUBMIT, target.shard() * n + target.validator(), tx.index(), null);
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // Cross-shard: the relay of each validator
    // -------------------------------------------------------------------------------------------

    /** After a height: the relay signs what execution cut and acknowledges what it applied. */
    private void feedRelay(final Node node, final HeightEffects effects) {
        for (final HeightEffects.OutboundBatch b : effects.batches) {
            node.relay.onBatch(b.destShard(), b.seq(), b.prefix(), nowNs);
        }
        // Only streams this height moved can have news; onApplied ignores the others anyway.
        for (final HeightEffects.StreamImage stream : effects.streams) {
            if (stream.inbound()) {
                node.relay.onApplied(stream.shard(), node.ledger.state().inboundNext(stream.shard()), nowNs);
            }
        }
    }

    /** A fresh relay (start or restart) learns from the state what is still unacknowledged and applied. */
    private void reloadRelay(final Node node) {
        for (int s = 0; s < scenario.shards(); s++) {
            if (s == node.shard) {
                continue;
            }
            for (final Map.Entry<Long, byte[]> e : node.ledger.state().outbox(s, 1).entrySet()) {
                node.relay.onBatch(s, e.getKey(), e.getValue(), nowNs);
            }
            node.relay.onApplied(s, node.ledger.state().inboundNext(s), nowNs);
        }
    }

    private void deliverCrossShard(final Node node, final int fromGlobal, final byte[] bytes) {
        if (node.relay != null) {
            adversary.observe(node.global, fromGlobal / n, fromGlobal % n, bytes, node.actions);
            node.relay.onMessage(fromGlobal / n, fromGlobal % n, bytes, nowNs);
        }
    }

    /** What a Byzantine relay may do: propose into its own validator's blocks, send to other shards. */
    private CrossShardAdversary.Actions actionsOf(final Node node) {
        return new CrossShardAdversary.Actions() {
            @Override
            public void propose(final byte[] transaction) {
                proposeSystem(node, transaction);
            }

            @Override
            public void send(final int shard, final int validator, final byte[] message) {
                crossNetwork.send(nowNs, node.global, shard * n + validator, message);
            }
        };
    }

    private void relayTick(final Node node, final long timeNs) {
        if (node.relay == null || timeNs != node.relayTickNs) {
            return;
        }
        node.relayTickNs = Long.MAX_VALUE;
        node.relay.tick(nowNs);
        adversary.act(node.global, node.ledger.state(), node.actions);
        scheduleRelayTick(node);
    }

    private void scheduleRelayTick(final Node node) {
        node.relayTickNs = nowNs + RELAY_TICK_NS;
        push(node.relayTickNs, XTICK, node.global, -1, null);
    }

    /** A certified batch (or a forgery) into this validator's mempool, as a system transaction. */
    private void proposeSystem(final Node node, final byte[] transaction) {
        if (node.isUp() && node.core.submit(transaction)) {
            scheduleTick(node);
        }
    }

    private final class RelayOutbox implements CrossShardRelay.Outbox {
        private final Node node;

        RelayOutbox(final Node node) {
            this.node = node;
        }

        @Override
        public void send(final int shard, final int validator, final byte[] message) {
            for (final byte[] bytes : adversary.outgoing(node.global, message)) {
                crossNetwork.send(nowNs, node.global, shard * n + validator, bytes);
            }
        }

        @Override
        public void propose(final byte[] certifiedMessage) {
            adversary.proposed(node.global, certifiedMessage);
            proposeSystem(node, certifiedMessage);
        }

        @Override
        public void acknowledged(final int destShard, final long seq, final byte[] prefix) {
            node.ledger.state().pruneOutbox(destShard, seq);
            ledger.onAcknowledged(node.shard, node.index, destShard, seq);
        }
    }

    // -------------------------------------------------------------------------------------------
    // Network model inside a shard
    // -------------------------------------------------------------------------------------------

    private void send(final int from, final int to, final byte[] bytes) {
        if (from == to || !nodes[from].isUp()) {
            return;
        }
        final boolean faultsActive = nowNs < scenario.healAtNs();
        final Node sender = nodes[from];
        if (faultsActive && (isPartitioned(sender.shard, sender.index, nodes[to].index)
            || random.nextDouble() < scenario.lossProbability())) {
            return;
        }
        push(nowNs + delayOf(sender.index, nodes[to].index, bytes), DELIVER, to, sender.index, bytes);
        if (faultsActive && random.nextDouble() < scenario.duplicateProbability()) {
            push(nowNs + delay(), DELIVER, to, sender.index, bytes);
        }
    }

    /** The scenario's adversarial schedule decides a block broadcast's delay; its delay model decides the rest. */
    private long delayOf(final int from, final int to, final byte[] bytes) {
        if (scenario.schedule() != BlockSchedule.NONE) {
            scheduleView.wrap(bytes);
            final boolean isBlock = bytes.length >= Layout.MESSAGE_HEADER_LENGTH
                && Templates.templateId(scheduleView, 0) == Templates.BLOCK;
            if (isBlock) {
                final Block block = scheduleCodec.decode(bytes);
                final long scheduled = block == null ? -1
                    : scenario.schedule().delayNs(block.author(), to, block.round());
                if (scheduled >= 0) {
                    return scheduled;
                }
            }
        }
        return delay();
    }

    private long delay() {
        long delay = scenario.minDelayNs();
        if (scenario.maxDelayNs() > scenario.minDelayNs()) {
            delay += random.nextLong(scenario.maxDelayNs() - scenario.minDelayNs());
        }
        if (scenario.slowTailProbability() > 0 && random.nextDouble() < scenario.slowTailProbability()) {
            delay *= 2 + random.nextInt(8);
        }
        return delay;
    }

    private boolean isPartitioned(final int shard, final int a, final int b) {
        for (final Scenario.Partition partition : scenario.plan(shard).partitions()) {
            if (nowNs >= partition.startNs() && nowNs < partition.endNs() && partition.separates(a, b)) {
                return true;
            }
        }
        return false;
    }

    private void push(final long timeNs, final int type, final int target, final long from, final byte[] bytes) {
        // `from` is a validator index, a global index (XDELIVER) or a transaction index (SUBMIT): all fit an int
        assert from <= Integer.MAX_VALUE;
        queue.add(new Event(timeNs, seq++, type, target, (int) from, bytes));
    }

    // -------------------------------------------------------------------------------------------
    // Outbox: what the core sends, through the Byzantine behaviours inside a shard
    // -------------------------------------------------------------------------------------------

    private final class Outbox implements CoreOutbox {
        private final Node node;

        Outbox(final Node node) {
            this.node = node;
        }

        @Override
        public void broadcastBlock(final Block block) {
            if (measureLatency && block.author() == node.index) {
                proposedAtNs.putIfAbsent(block.ref(), nowNs);
            }
            blockAdversary.broadcastBlock(node.global, node.behaviour, node.codec, block);
        }

        @Override
        public void sendBlockRequest(final int peer, final long requestId, final List<BlockRef> refs) {
            send(node.global, peerOf(node, peer), publisher.blockRequest(node.index, requestId, refs));
        }

        @Override
        public void sendRangeRequest(final int peer, final long requestId, final long fromRound, final long toRound) {
            send(node.global, peerOf(node, peer), publisher.rangeRequest(node.index, requestId, fromRound, toRound));
        }

        @Override
        public void sendBlocks(final int peer, final long requestId, final List<Block> blocks) {
            if (node.behaviour != Behaviour.WITHHOLD) {
                if (requestId != 0) {
                    // An answer to a request (pushes, which the core starts itself, carry id 0).
                    servedBlocks[node.global][peer] += blocks.size();
                }
                send(node.global, peerOf(node, peer), publisher.blocks(node.index, requestId, blocks));
            }
        }
    }

    private int peerOf(final Node node, final int peer) {
        return node.shard * n + peer;
    }

    // -------------------------------------------------------------------------------------------
    // Measurements
    // -------------------------------------------------------------------------------------------

    private void sample() {
        for (final Node node : nodes) {
            if (node.isUp()) {
                maxDagBlocks = Math.max(maxDagBlocks, node.core.dagSize());
                maxPendingBlocks = Math.max(maxPendingBlocks, node.core.pendingSize());
            }
            maxStoredBlocks = Math.max(maxStoredBlocks, node.storage.blockCount());
        }
    }

    private SimResult result(final long wallNanos) {
        sample();
        final long[] committedPerShard = new long[scenario.shards()];
        long rejected = 0;
        long round = 0;
        for (final Node node : nodes) {
            if (node.isUp() && node.behaviour == Behaviour.HONEST) {
                committedPerShard[node.shard] = Math.max(committedPerShard[node.shard], node.core.committedTransactions());
                round = Math.max(round, node.core.quorumRound());
                for (final RejectReason reason : RejectReason.values()) {
                    if (reason != RejectReason.DUPLICATE) {
                        rejected += node.core.rejectCount(reason);
                    }
                }
            }
        }
        long committed = 0;
        long height = Long.MAX_VALUE;
        for (int s = 0; s < scenario.shards(); s++) {
            committed += committedPerShard[s];
            height = Math.min(height, checkers[s].canonicalHeight());
        }
        if (measureLatency) {
            for (final Checker.Submission s : checkers[0].submissions()) {
                if (s.commitAtSubmitterNs >= 0) {
                    transactionLatency.record(s.commitAtSubmitterNs - s.submittedNs);
                }
            }
        }
        return new SimResult(scenario, violations.list(), height, committed, submitted, events, maxDagBlocks,
            maxPendingBlocks, maxStoredBlocks, rejected, round, leaderLatency, transactionLatency, wallNanos,
            crossShard());
    }

    private SimResult.CrossShard crossShard() {
        final CrossShardNetwork.Traffic t = crossNetwork.traffic();
        final LedgerChecker.Figures f = ledger.figures();
        final CrossShardAdversary.Tally a = adversary.tally();
        return new SimResult.CrossShard(t.signatureMessages, t.signatureBytes, t.ackMessages, t.ackBytes, t.ackRepeats,
            f.certifiedInBlocks(), f.certifiedBytes(), f.crossTransfers(), f.settledTransfers(), f.swapsCommitted(),
            f.swapsAborted(), t.dropped + t.duplicated + t.replayed, a.conflictingSignatures + a.forgeries + a.falseAcks
            + a.replays + a.withheld, f.maxHopNs(), f.certifiedResults(), f.drainChecked());
    }

    /** How many rounds validator {@code validator} of shard 0 counted against {@code peer} for {@code reason}. */
    /** Blocks validator {@code validator} (global index) sent peer {@code peer} (index in its shard) in answer to requests. */
    public long servedBlocks(final int validator, final int peer) {
        return servedBlocks[validator][peer];
    }

    /** Transactions validator {@code validator} (global index) proposed again after an own block left its DAG uncommitted. */
    public long reproposedTransactions(final int validator) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.reproposedTransactions();
    }

    /** A running validator's consensus time (its last committed leader's timestamp), ms; -1 when it is down. */
    public long consensusTimeMs(final int validator) {
        return nodes[validator].core == null ? -1 : nodes[validator].core.consensusTimeMs();
    }

    public long rejectCount(final int validator, final int peer, final RejectReason reason) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.rejectCount(peer, reason);
    }

    /** The highest quorum round among running validators of shard 0. */
    public long clusterRound() {
        return clusterRound(0);
    }

    private long clusterRound(final int shard) {
        long round = 0;
        for (int v = 0; v < n; v++) {
            final Node node = nodes[shard * n + v];
            if (node.isUp()) {
                round = Math.max(round, node.core.quorumRound());
            }
        }
        return round;
    }

    /** The most rounds a shard advanced while one of its validators was down. */
    public long maxRoundsMissed() {
        return maxRoundsMissed;
    }

    /** Blocks validator {@code validator} of shard 0 holds in its DAG and pending buffer now. */
    public long dagBlocks(final int validator) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.dagSize() + nodes[validator].core.pendingSize();
    }

    /** Heights validator {@code validator} of shard 0 committed. */
    public long height(final int validator) {
        return checkers[0].height(validator);
    }

    /** Leader timeouts validator {@code validator} of shard 0 paid since its last (re)start; 0 while it is down. */
    public long leaderTimeouts(final int validator) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.leaderTimeouts();
    }

    /** Leader slots validator {@code validator} of shard 0 decided SKIP since its last (re)start; 0 while it is down. */
    public long skippedSlots(final int validator) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.skippedSlots();
    }

    /** Safe jumps validator {@code validator} of shard 0 made since its last (re)start; 0 while it is down. */
    public long safeJumps(final int validator) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.safeJumps();
    }

    /** Validator {@code validator}'s (shard 0) core state in one line, for failure messages: round, catch-up, violation. */
    public String coreState(final int validator) {
        final var core = nodes[validator].core;
        return core == null ? "down" : "quorum round " + core.quorumRound() + ", catching up " + core.isCatchingUp()
            + ", height " + core.height() + ", violation " + core.violation();
    }

    /** The round of validator {@code validator}'s last own block, shard 0; 0 while it is down. */
    public long lastOwnRound(final int validator) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.lastOwnRound();
    }

    /** Batches validator {@code validator} of {@code shard} still holds in its outbox, over all destinations: for tests. */
    int outboxBatches(final int shard, final int validator) {
        int count = 0;
        for (int d = 0; d < scenario.shards(); d++) {
            count += d == shard ? 0 : nodes[shard * n + validator].ledger.state().outbox(d, 1).size();
        }
        return count;
    }

    /** Height validator {@code validator} of {@code shard} executed up to. */
    long executedHeight(final int shard, final int validator) {
        return nodes[shard * n + validator].ledger.height();
    }

    /** Validator {@code validator} of {@code shard}'s balance of an asset: for tests. */
    long balance(final int shard, final int validator, final byte[] account, final int assetId) {
        return nodes[shard * n + validator].ledger.state().balance(account, assetId);
    }
}
