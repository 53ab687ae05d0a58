package io.basalt.sim;

import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.Committee;
import io.basalt.dag.CommittedSubDag;
import io.basalt.dag.ConsensusAdapter;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.ConsensusPublisher;
import io.basalt.dag.CoreOutbox;
import io.basalt.dag.RejectReason;
import io.basalt.dag.SignedBlockVerifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Runs one {@link Scenario} in virtual time. Single-threaded and seeded: the same scenario gives
 * the same run, event for event, so a failing seed replays exactly.
 *
 * <pre>
 *   event queue (time, seq) ──▶ DELIVER bytes ──▶ ConsensusAdapter ──▶ ConsensusCore
 *                            ──▶ TICK          ──▶ core.tick                  │
 *                            ──▶ SUBMIT tx     ──▶ core.submit                 ▼
 *                            ──▶ CRASH/RESTART     outbox ──▶ network model ──▶ queue
 *                                                  sink   ──▶ Checker (agreement, integrity)
 * </pre>
 *
 * Every message crosses the network as SBE bytes and is decoded by the receiver, so Byzantine
 * bytes meet the same decoders a real node runs.
 */
public final class Simulation {
    private static final int DELIVER = 0;
    private static final int TICK = 1;
    private static final int CRASH = 2;
    private static final int RESTART = 3;
    private static final int SUBMIT = 4;
    private static final long STORAGE_RETENTION_ROUNDS = 2_000;
    private static final int SAMPLE_EVERY_EVENTS = 512;

    private final Scenario scenario;
    private final SplittableRandom random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final SimCrypto crypto;
    private final Committee committee;
    private final SignedBlockVerifier verifier;
    private final ConsensusPublisher publisher = new ConsensusPublisher();
    private final Node[] nodes;
    private final Checker checker;
    private final Map<BlockRef, Long> proposedAtNs = new HashMap<>();
    private final Histogram leaderLatency = new Histogram();
    private final Histogram transactionLatency = new Histogram();
    private final boolean measureLatency;
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

    /** One validator: its disk survives crashes, its core does not. */
    private final class Node {
        final int index;
        final Behaviour behaviour;
        final SimStorage storage = new SimStorage(STORAGE_RETENTION_ROUNDS);
        final BlockCodec codec;
        ConsensusCore core;
        ConsensusAdapter adapter;
        long scheduledTickNs = Long.MAX_VALUE;

        Node(final int index) {
            this.index = index;
            this.behaviour = scenario.behaviours()[index];
            this.codec = new BlockCodec(crypto.signer(index));
        }

        boolean isUp() {
            return core != null;
        }

        void start() {
            core = new ConsensusCore(scenario.core(), committee, index, codec, verifier, storage,
                new Outbox(this), subDag -> onCommit(index, subDag));
            adapter = new ConsensusAdapter(core, codec);
            core.start(nowNs);
            scheduleTick(this);
        }
    }

    public Simulation(final Scenario scenario) {
        this(scenario, false);
    }

    public Simulation(final Scenario scenario, final boolean measureLatency) {
        this.scenario = scenario;
        this.random = new SplittableRandom(scenario.seed());
        this.crypto = new SimCrypto(scenario.seed(), scenario.validators());
        this.committee = Committee.ofEqualStake(0, crypto.validatorKeys());
        this.verifier = new SignedBlockVerifier(crypto);
        this.checker = new Checker(scenario);
        this.measureLatency = measureLatency;
        this.nodes = new Node[scenario.validators()];
        this.roundAtCrash = new long[scenario.validators()];
        for (int v = 0; v < nodes.length; v++) {
            nodes[v] = new Node(v);
        }
    }

    public static SimResult run(final Scenario scenario) {
        return new Simulation(scenario).execute();
    }

    public SimResult execute() {
        final long wallStart = System.nanoTime();
        scheduleFaults();
        scheduleClients();
        for (final Node node : nodes) {
            node.start();
        }
        try {
            while (!queue.isEmpty() && queue.peek().timeNs() <= scenario.endAtNs()) {
                final Event event = queue.poll();
                nowNs = event.timeNs();
                dispatch(event);
                if (++events % SAMPLE_EVERY_EVENTS == 0) {
                    sample();
                }
                if (!checker.violations().isEmpty()) {
                    break;
                }
            }
            checker.checkLiveness(livenessDeadlineNs());
        } catch (final RuntimeException | AssertionError e) {
            // A broken invariant inside a validator is a finding of this seed, not a crash of the campaign.
            checker.crash(nowNs, e);
        }
        return result(System.nanoTime() - wallStart);
    }

    /** Transactions submitted after this may still be in flight at the end and are not judged. */
    private long livenessDeadlineNs() {
        return scenario.endAtNs() - Math.max(100 * Scenario.MS, 40 * scenario.maxDelayNs());
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
                roundAtCrash[node.index] = clusterRound();
                node.core = null;
                node.adapter = null;
                node.scheduledTickNs = Long.MAX_VALUE;
            }
            case RESTART -> {
                maxRoundsMissed = Math.max(maxRoundsMissed, clusterRound() - roundAtCrash[node.index]);
                node.start();
            }
            case SUBMIT -> submit(node, event.from());
            default -> throw new IllegalStateException("unknown event " + event.type());
        }
    }

    private void submit(final Node node, final long nonce) {
        if (!node.isUp()) {
            return;
        }
        final byte[] tx = crypto.transaction(nonce, true);
        if (node.core.submit(tx)) {
            submitted++;
            checker.onSubmit(nonce, node.index, nowNs);
            scheduleTick(node);
        }
    }

    private void onCommit(final int validator, final CommittedSubDag subDag) {
        checker.onCommit(validator, subDag, nowNs, SimCrypto::nonce);
        if (!measureLatency) {
            return;
        }
        final Long proposed = proposedAtNs.get(subDag.leader());
        if (proposed != null) {
            leaderLatency.record(nowNs - proposed);
        }
    }

    private void scheduleTick(final Node node) {
        final long wake = Math.max(node.core.nextWakeupNs(), nowNs + 1);
        if (wake < node.scheduledTickNs) {
            node.scheduledTickNs = wake;
            push(wake, TICK, node.index, -1, null);
        }
    }

    private void scheduleFaults() {
        for (final Scenario.Crash crash : scenario.crashes()) {
            push(crash.atNs(), CRASH, crash.validator(), -1, null);
            push(crash.restartNs(), RESTART, crash.validator(), -1, null);
        }
    }

    private void scheduleClients() {
        final long last = livenessDeadlineNs();
        for (int i = 0; i < scenario.transactions(); i++) {
            final long at = Math.min(last, i * scenario.submitIntervalNs() + random.nextLong(scenario.submitIntervalNs()));
            push(at, SUBMIT, random.nextInt(nodes.length), i + 1, null);
        }
    }

    // -------------------------------------------------------------------------------------------
    // Network model
    // -------------------------------------------------------------------------------------------

    private void send(final int from, final int to, final byte[] bytes) {
        if (from == to || !nodes[from].isUp()) {
            return;
        }
        final boolean faultsActive = nowNs < scenario.healAtNs();
        if (faultsActive && (isPartitioned(from, to) || random.nextDouble() < scenario.lossProbability())) {
            return;
        }
        push(nowNs + delay(), DELIVER, to, from, bytes);
        if (faultsActive && random.nextDouble() < scenario.duplicateProbability()) {
            push(nowNs + delay(), DELIVER, to, from, bytes);
        }
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

    private boolean isPartitioned(final int a, final int b) {
        for (final Scenario.Partition partition : scenario.partitions()) {
            if (nowNs >= partition.startNs() && nowNs < partition.endNs() && partition.separates(a, b)) {
                return true;
            }
        }
        return false;
    }

    private void push(final long timeNs, final int type, final int target, final long from, final byte[] bytes) {
        queue.add(new Event(timeNs, seq++, type, target, (int) from, bytes));
        if (type == SUBMIT) {
            // the nonce rides in `from` for SUBMIT events; it fits: at most a few million per run
            assert from <= Integer.MAX_VALUE;
        }
    }

    // -------------------------------------------------------------------------------------------
    // Outbox: honest sending plus the Byzantine behaviours
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
            switch (node.behaviour) {
                case EQUIVOCATE -> equivocate(node, block);
                case WITHHOLD -> withhold(node, block);
                case INVALID -> {
                    broadcast(node.index, block.encoded());
                    sendInvalid(node, block);
                }
                case FLOOD_AHEAD -> {
                    broadcast(node.index, block.encoded());
                    flood(node, block);
                }
                default -> broadcast(node.index, block.encoded());
            }
        }

        @Override
        public void sendBlockRequest(final int peer, final long requestId, final List<BlockRef> refs) {
            send(node.index, peer, publisher.blockRequest(node.index, requestId, refs));
        }

        @Override
        public void sendRangeRequest(final int peer, final long requestId, final long fromRound, final long toRound) {
            send(node.index, peer, publisher.rangeRequest(node.index, requestId, fromRound, toRound));
        }

        @Override
        public void sendBlocks(final int peer, final long requestId, final List<Block> blocks) {
            if (node.behaviour != Behaviour.WITHHOLD) {
                send(node.index, peer, publisher.blocks(node.index, requestId, blocks));
            }
        }
    }

    private void broadcast(final int from, final byte[] bytes) {
        for (int to = 0; to < nodes.length; to++) {
            send(from, to, bytes);
        }
    }

    /** Two blocks for the round: half the peers get the real one, the rest a twin with no payload. */
    private void equivocate(final Node node, final Block block) {
        final Block twin = node.codec.build(block.shardId(), block.author(), block.round(), block.timestampMs() + 1,
            parentsOf(block), new byte[0][]);
        for (int to = 0; to < nodes.length; to++) {
            send(node.index, to, to % 2 == 0 ? block.encoded() : twin.encoded());
        }
    }

    /** Only f peers ever see this validator's blocks. */
    private void withhold(final Node node, final Block block) {
        int sent = 0;
        for (int to = 0; to < nodes.length && sent < scenario.maxFaulty(); to++) {
            if (to != node.index) {
                send(node.index, to, block.encoded());
                sent++;
            }
        }
    }

    /** Each peer gets one kind of bad message: flipped bits, a forged signature, a bad transaction, garbage. */
    private void sendInvalid(final Node node, final Block block) {
        for (int to = 0; to < nodes.length; to++) {
            if (to == node.index) {
                continue;
            }
            final byte[] bad = switch (random.nextInt(5)) {
                case 0 -> flipOneBit(block.encoded());
                case 1 -> new BlockCodec(crypto.forger(random.nextLong())).build(block.shardId(), block.author(),
                    block.round(), block.timestampMs() + 2, parentsOf(block), new byte[0][]).encoded();
                case 2 -> node.codec.build(block.shardId(), block.author(), block.round(), block.timestampMs() + 3,
                    parentsOf(block), new byte[][] {crypto.transaction(-random.nextInt(1_000_000) - 1, false)}).encoded();
                case 3 -> java.util.Arrays.copyOf(block.encoded(), random.nextInt(block.encoded().length));
                default -> garbage();
            };
            send(node.index, to, bad);
        }
    }

    /** Validly signed blocks far ahead, and near blocks whose parents nobody has. */
    private void flood(final Node node, final Block block) {
        final long far = block.round() + 1_000 + random.nextInt(1_000);
        broadcast(node.index, node.codec.build(block.shardId(), node.index, far, block.timestampMs(),
            inventedParents(node.index, far), new byte[0][]).encoded());
        final long near = block.round() + 1 + random.nextInt(5);
        broadcast(node.index, node.codec.build(block.shardId(), node.index, near, block.timestampMs(),
            inventedParents(node.index, near), new byte[0][]).encoded());
    }

    private BlockRef[] inventedParents(final int author, final long round) {
        final BlockRef[] parents = new BlockRef[nodes.length];
        parents[0] = new BlockRef(author, round - 1, randomDigest());
        int i = 1;
        for (int a = 0; a < nodes.length; a++) {
            if (a != author) {
                parents[i++] = new BlockRef(a, round - 1, randomDigest());
            }
        }
        return parents;
    }

    private byte[] randomDigest() {
        final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
        for (int i = 0; i < digest.length; i++) {
            digest[i] = (byte) random.nextInt(256);
        }
        return digest;
    }

    private byte[] flipOneBit(final byte[] bytes) {
        final byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    private byte[] garbage() {
        final byte[] bytes = new byte[random.nextInt(300)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static BlockRef[] parentsOf(final Block block) {
        final BlockRef[] parents = new BlockRef[block.parentCount()];
        for (int i = 0; i < parents.length; i++) {
            parents[i] = block.parent(i);
        }
        return parents;
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
        long committed = 0;
        long rejected = 0;
        long round = 0;
        for (final Node node : nodes) {
            if (node.isUp() && scenario.behaviours()[node.index] == Behaviour.HONEST) {
                committed = Math.max(committed, node.core.committedTransactions());
                round = Math.max(round, node.core.quorumRound());
                for (final RejectReason reason : RejectReason.values()) {
                    if (reason != RejectReason.DUPLICATE) {
                        rejected += node.core.rejectCount(reason);
                    }
                }
            }
        }
        if (measureLatency) {
            for (final Checker.Submission s : checker.submissions()) {
                if (s.commitAtSubmitterNs >= 0) {
                    transactionLatency.record(s.commitAtSubmitterNs - s.submittedNs);
                }
            }
        }
        return new SimResult(scenario, new ArrayList<>(checker.violations()), checker.canonicalHeight(), committed,
            submitted, events, maxDagBlocks, maxPendingBlocks, maxStoredBlocks, rejected, round, leaderLatency,
            transactionLatency, wallNanos);
    }

    /** How many rounds validator {@code validator} counted against {@code peer} for {@code reason}. */
    public long rejectCount(final int validator, final int peer, final RejectReason reason) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.rejectCount(peer, reason);
    }

    /** The highest quorum round among running validators. */
    public long clusterRound() {
        long round = 0;
        for (final Node node : nodes) {
            if (node.isUp()) {
                round = Math.max(round, node.core.quorumRound());
            }
        }
        return round;
    }

    /** The most rounds the cluster advanced while one validator was down. */
    public long maxRoundsMissed() {
        return maxRoundsMissed;
    }

    /** Blocks validator {@code validator} holds in its DAG and pending buffer now. */
    public long dagBlocks(final int validator) {
        return nodes[validator].core == null ? 0 : nodes[validator].core.dagSize() + nodes[validator].core.pendingSize();
    }

    public long height(final int validator) {
        return checker.height(validator);
    }
}
