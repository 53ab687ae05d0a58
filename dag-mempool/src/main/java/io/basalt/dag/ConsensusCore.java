package io.basalt.dag;

import io.basalt.protocol.MessageValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One validator's consensus state machine: it proposes blocks, accepts peers' blocks, fetches
 * missing ancestors, decides leaders and emits committed sub-DAGs.
 *
 * <p>Single-threaded and pure: every input is a method call that carries the current time
 * ({@code nowNs}); every output goes through {@link CoreOutbox}, {@link CoreStorage} and
 * {@link CommitSink}. It never reads a clock, starts a thread or touches a file, and it iterates
 * only over ordered collections, so the same inputs produce the same outputs byte for byte. The
 * node drives it from its consensus agent; the simulator from virtual time.
 *
 * <pre>
 *   onBlock / onBlocks ──▶ receive: structure, signature, window ──▶ accept ──▶ DAG
 *                                                 └─ absent parents ──▶ pending ──▶ requests
 *   after every change: decide leaders ─▶ linearize ─▶ storage.storeCommit ─▶ sink
 *                       propose when a quorum of round r (and its leaders, or a timeout) is held
 * </pre>
 */
public final class ConsensusCore {
    private static final long NEVER = Long.MAX_VALUE;
    /** Own blocks whose reception by a quorum is still being watched (a power of two). */
    private static final int OWN_WATCH = 64;

    private final CoreConfig config;
    private final Committee committee;
    private final int self;
    private final LeaderSchedule schedule;
    private final Committer committer;
    private final LeaderReputation reputation;
    private final BlockFactory factory;
    private final BlockVerifier verifier;
    private final CoreStorage storage;
    private final CoreOutbox outbox;
    private final CommitSink sink;
    private final DagStore dag;
    private final PendingBlocks pending;
    private final Mempool mempool;

    private final long[][] rejects;
    /** Blocks served to each peer's requests, bounded per second (CoreConfig#servedBlocksPerPeerPerSecond). */
    private final ServeBudget serveBudget;
    private final long[] highestSignedRound;
    private final Block[] latestBlockOf;
    private final long[] lastReferencedRound;
    /** Per peer and author, the highest round of that author's blocks the peer's own blocks have referenced. */
    private final long[][] acknowledgedRound;
    private final int[] authorsByRound;
    private final boolean[] parentAuthorSeen;
    private final long[] watchedOwnRound = new long[OWN_WATCH];
    private final long[] watchedOwnStake = new long[OWN_WATCH];
    /** Per watched own block, the authors already counted: an equivocator's second block adds nothing. */
    private final boolean[][] watchedOwnAuthors;
    private CoreObserver observer = CoreObserver.NONE;
    /** Set when an always-on invariant broke; from then on every input throws it again. */
    private ConsensusInvariantViolation violation;
    private long leaderTimeouts;
    private long safeJumps;
    private long skippedSlots;

    private boolean started;
    private Block lastOwnBlock;
    private long quorumRound;
    private long quorumReachedNs;
    private long lastProgressNs;
    private long lastProposalNs = Long.MIN_VALUE / 2;
    private long proposalWakeupNs = NEVER;
    private long lastDecidedSlot;
    private long height;
    private long lastConsensusTimeMs;
    private long lastCommittedLeaderRound;
    private long nextRequestId = 1;
    private long reproposedTransactions;
    private long rangeRetryNs;
    private int rangeAttempts;
    private long committedTransactions;
    private final UnsafeBuffer submitView = new UnsafeBuffer(new byte[0]);

    public ConsensusCore(
        final CoreConfig config,
        final Committee committee,
        final int self,
        final BlockFactory factory,
        final BlockVerifier verifier,
        final CoreStorage storage,
        final CoreOutbox outbox,
        final CommitSink sink) {
        if (!committee.contains(self)) {
            throw new IllegalArgumentException("validator " + self + " is not in the committee");
        }
        this.config = config;
        this.committee = committee;
        this.self = self;
        this.schedule = new LeaderSchedule(committee.size(), config.leadersPerRound());
        this.committer = new Committer(committee, schedule, config.certificateVotesThreshold());
        this.reputation = new LeaderReputation(committee, schedule, config.reputationPeriodRounds());
        this.factory = factory;
        this.verifier = verifier;
        this.storage = storage;
        this.outbox = outbox;
        this.sink = sink;
        this.dag = new DagStore(committee);
        this.pending = new PendingBlocks(committee.size(), config.maxPendingBlocks(), config.maxPendingPerAuthor(),
            config.syncRetryNs() / 4);
        this.mempool = new Mempool(config.maxMempoolTransactions());
        this.rejects = new long[committee.size()][RejectReason.values().length];
        this.serveBudget = new ServeBudget(committee.size(), config.servedBlocksPerPeerPerSecond(), 2 * config.maxResponseBlocks());
        this.highestSignedRound = new long[committee.size()];
        this.latestBlockOf = new Block[committee.size()];
        this.lastReferencedRound = new long[committee.size()];
        this.acknowledgedRound = new long[committee.size()][committee.size()];
        this.authorsByRound = new int[committee.size()];
        this.parentAuthorSeen = new boolean[committee.size()];
        this.watchedOwnAuthors = new boolean[OWN_WATCH][committee.size()];
        this.lastDecidedSlot = schedule.slotsPerRound() - 1L;
        Arrays.fill(lastReferencedRound, -1L);
        Arrays.fill(watchedOwnRound, -1L);
    }

    /** Where the core reports its own progress; set before {@link #start}. */
    public void setObserver(final CoreObserver observer) {
        this.observer = observer;
    }

    // ---------------------------------------------------------------------------------------
    // Inputs
    // ---------------------------------------------------------------------------------------

    /** Loads genesis and whatever storage holds, re-derives the commit state, and starts. */
    public void start(final long nowNs) {
        start(nowNs, Long.MAX_VALUE);
    }

    /**
     * As {@link #start(long)}, and hands the sink again every persisted commit above
     * {@code executedHeight}: the node's execution applies a sub-DAG only after the core persisted
     * its commit record, so after a crash execution may lag the record by a few heights, and those
     * must be executed again in order. Throws when the records needed are no longer retained.
     */
    public void start(final long nowNs, final long executedHeight) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        for (final Block genesis : genesisBlocks(committee)) {
            addToDag(genesis, nowNs);
        }
        lastOwnBlock = latestBlockOf[self];
        recover(nowNs, executedHeight);
        started = true;
        lastProgressNs = nowNs;
        afterChange(nowNs);
    }

    /**
     * A transaction admitted by this validator's ingest pipeline. False when it is not a well-formed
     * transaction (the pipeline checks signatures and balances; the core only refuses bytes that
     * would make its own block invalid) or when the queue is full.
     */
    public boolean submit(final byte[] transaction) {
        if (transaction.length > config.maxBlockPayloadBytes()) {
            return false;
        }
        submitView.wrap(transaction);
        return MessageValidator.validateTransaction(submitView, 0, transaction.length).isOk()
            && enqueue(transaction, null);
    }

    /**
     * A transaction the caller has already validated as a block may carry it (the node's admission
     * decodes each transaction exactly once), with a tag that {@link CoreObserver#onProposed} hands
     * back when the transaction is put in a block. False when the queue is full.
     */
    public boolean submitAdmitted(final byte[] transaction, final Object tag) {
        assert transaction.length <= config.maxBlockPayloadBytes()
            && MessageValidator.validateTransaction(new UnsafeBuffer(transaction), 0, transaction.length).isOk()
            : "submitAdmitted takes validated transactions only";
        return enqueue(transaction, tag);
    }

    private boolean enqueue(final byte[] transaction, final Object tag) {
        if (!mempool.offer(transaction, tag)) {
            return false;
        }
        // Work arrived: an idle core that was waiting out the slow interval may propose sooner.
        proposalWakeupNs = Math.min(proposalWakeupNs, lastProposalNs + config.minRoundIntervalNs());
        return true;
    }

    /** Whether a block is already in the DAG or waiting for its ancestors: receiving it again changes nothing. */
    public boolean knows(final BlockRef ref) {
        return dag.contains(ref) || pending.contains(ref);
    }

    /** A block pushed by a peer. */
    public void onBlock(final int from, final Block block, final long nowNs) {
        receive(from, block, nowNs);
        afterChange(nowNs);
    }

    /** Blocks sent in answer to one of our requests. */
    public void onBlocks(final int from, final long requestId, final List<Block> blocks, final long nowNs) {
        if (blocks.size() > config.maxResponseBlocks()) {
            reject(from, RejectReason.MALFORMED);
            return;
        }
        final long before = quorumRound;
        for (final Block block : blocks) {
            receive(from, block, nowNs);
        }
        if (quorumRound > before) {
            rangeRetryNs = nowNs;
        }
        afterChange(nowNs);
    }

    /** A peer asks for blocks by ref: answer from the DAG or storage. */
    public void onBlockRequest(final int from, final long requestId, final List<BlockRef> refs, final long nowNs) {
        if (!committee.contains(from) || refs.size() > config.maxRequestRefs()) {
            reject(from, RejectReason.MALFORMED);
            return;
        }
        if (!serveBudget.allows(from, nowNs)) {
            reject(from, RejectReason.OVER_BUDGET);
            return;
        }
        final List<Block> found = new ArrayList<>();
        for (final BlockRef ref : refs) {
            Block block = dag.get(ref);
            if (block == null && ref.round() > 0) {
                block = storage.block(ref);
            }
            if (block != null && block.round() > 0) {
                found.add(block);
            }
        }
        if (!found.isEmpty()) {
            serveBudget.charge(from, found.size());
            outbox.sendBlocks(from, requestId, found);
        }
    }

    /** A lagging peer asks for whole rounds. */
    public void onRangeRequest(
        final int from, final long requestId, final long fromRound, final long toRound, final long nowNs) {
        if (!committee.contains(from) || fromRound < 1 || toRound < fromRound) {
            reject(from, RejectReason.MALFORMED);
            return;
        }
        if (!serveBudget.allows(from, nowNs)) {
            reject(from, RejectReason.OVER_BUDGET);
            return;
        }
        final long last = Math.min(toRound, fromRound + config.maxSyncRounds() - 1);
        final List<Block> blocks = storage.blocksInRounds(fromRound, last, config.maxResponseBlocks());
        if (!blocks.isEmpty()) {
            serveBudget.charge(from, blocks.size());
            outbox.sendBlocks(from, requestId, blocks);
        }
    }

    /** Bytes from a peer that did not decode: counted against the peer. */
    public void onMalformed(final int from) {
        reject(from, RejectReason.MALFORMED);
    }

    /** Timers: proposal deadlines, sync retries, catching up. */
    public void tick(final long nowNs) {
        resendIfStuck(nowNs);
        requestMissing(nowNs);
        catchUp(nowNs);
        afterChange(nowNs);
    }

    /** The earliest time at which {@link #tick} has something to do. */
    public long nextWakeupNs() {
        long next = Math.min(proposalWakeupNs, pending.nextAttemptNs());
        next = Math.min(next, lastProgressNs + config.stuckResendNs(hasWork()));
        if (isCatchingUp()) {
            next = Math.min(next, rangeRetryNs);
        }
        return next;
    }

    // ---------------------------------------------------------------------------------------
    // Receiving blocks
    // ---------------------------------------------------------------------------------------

    private void receive(final int from, final Block block, final long nowNs) {
        RejectReason reason = check(block);
        if (reason == null && block.timestampMs() > (nowNs + config.maxTimestampAheadNs()) / 1_000_000L) {
            // After the signature check: only a block its author really signed counts against it.
            reason = RejectReason.TIMESTAMP_AHEAD;
        }
        if (reason != null) {
            reject(from, reason);
            return;
        }
        final List<BlockRef> absent = absentParents(block);
        if (absent.isEmpty()) {
            acceptWithDescendants(from, block, nowNs);
        } else if (pending.hasRoomFor(block.author())) {
            pending.park(block, absent, from, nowNs);
        } else {
            reject(from, RejectReason.PENDING_FULL);
        }
    }

    /** Every check that does not need the parents; null when the block may enter. */
    private RejectReason check(final Block block) {
        if (!committee.contains(block.author())) {
            return RejectReason.UNKNOWN_AUTHOR;
        }
        if (block.shardId() != committee.shardId()) {
            return RejectReason.WRONG_SHARD;
        }
        if (block.round() < 1) {
            return RejectReason.BAD_ROUND;
        }
        if (dag.contains(block.ref()) || pending.contains(block.ref())) {
            return RejectReason.DUPLICATE;
        }
        if (block.round() < dag.gcRound()) {
            return RejectReason.BELOW_GC;
        }
        RejectReason reason = checkStructure(block);
        if (reason == null) {
            reason = verifier.verify(block, committee);
        }
        if (reason != null) {
            return reason;
        }
        highestSignedRound[block.author()] = Math.max(highestSignedRound[block.author()], block.round());
        if (block.round() > quorumRound + config.maxRoundsAhead()) {
            return RejectReason.TOO_FAR_AHEAD;
        }
        if (dag.slot(block.author(), block.round()).size() >= config.maxBlocksPerSlot()
            && !pending.isMissing(block.ref())) {
            return RejectReason.EQUIVOCATION_SPAM;
        }
        return null;
    }

    /**
     * Parent rules: at most one parent per author, the author's own earlier block first, every
     * parent from a lower round, and parents of the previous round holding a quorum of stake.
     */
    private RejectReason checkStructure(final Block block) {
        final int count = block.parentCount();
        if (count < 1 || count > committee.size()) {
            return RejectReason.BAD_PARENTS;
        }
        final BlockRef own = block.parent(0);
        if (own.author() != block.author()) {
            return RejectReason.BAD_PARENTS;
        }
        final boolean[] seen = parentAuthorSeen;
        Arrays.fill(seen, false);
        long previousRoundStake = 0;
        for (int i = 0; i < count; i++) {
            final BlockRef parent = block.parent(i);
            if (!committee.contains(parent.author()) || seen[parent.author()]
                || parent.round() >= block.round() || parent.round() < 0) {
                return RejectReason.BAD_PARENTS;
            }
            seen[parent.author()] = true;
            if (parent.round() == block.round() - 1) {
                previousRoundStake += committee.stake(parent.author());
            }
        }
        if (previousRoundStake < committee.quorumThreshold()) {
            return RejectReason.NO_PARENT_QUORUM;
        }
        if (block.transactionCount() > config.maxBlockTransactions() || block.payloadBytes() > config.maxBlockPayloadBytes()) {
            return RejectReason.OVERSIZED;
        }
        return null;
    }

    private List<BlockRef> absentParents(final Block block) {
        List<BlockRef> absent = List.of();
        for (int i = 0; i < block.parentCount(); i++) {
            final BlockRef parent = block.parent(i);
            if (!dag.isAvailable(parent)) {
                if (absent.isEmpty()) {
                    absent = new ArrayList<>(2);
                }
                absent.add(parent);
            }
        }
        return absent;
    }

    /** Accepts a block whose parents are all available, then every parked block it unblocks. */
    private void acceptWithDescendants(final int from, final Block first, final long nowNs) {
        final ArrayDeque<Block> ready = new ArrayDeque<>();
        ready.add(first);
        while (!ready.isEmpty()) {
            final Block block = ready.poll();
            if (block.timestampMs() < maxParentTimestamp(block)) {
                reject(from, RejectReason.BAD_TIMESTAMP);
                continue;
            }
            storage.storeBlock(block);
            addToDag(block, nowNs);
            ready.addAll(pending.resolve(block.ref()));
        }
    }

    private void addToDag(final Block block, final long nowNs) {
        if (!dag.add(block)) {
            return;
        }
        final Block latest = latestBlockOf[block.author()];
        if (latest == null || block.round() > latest.round()) {
            latestBlockOf[block.author()] = block;
        }
        highestSignedRound[block.author()] = Math.max(highestSignedRound[block.author()], block.round());
        if (block.author() != self) {
            watchOwnReferences(block, nowNs);
            acknowledge(block);
        }
        if (block.round() > quorumRound && dag.stakeAt(block.round()) >= committee.quorumThreshold()) {
            quorumRound = block.round();
            quorumReachedNs = nowNs;
            lastProgressNs = nowNs;
        }
    }

    /** What a peer's block references, the peer holds: it need not be pushed to it again. */
    private void acknowledge(final Block block) {
        final long[] acknowledged = acknowledgedRound[block.author()];
        acknowledged[block.author()] = Math.max(acknowledged[block.author()], block.round());
        for (int i = 0; i < block.parentCount(); i++) {
            final BlockRef parent = block.parent(i);
            acknowledged[parent.author()] = Math.max(acknowledged[parent.author()], parent.round());
        }
    }

    /**
     * Starfish's push on advancing a round: each peer gets, with the new block, the parents it most
     * likely lacks, because fetching them by request costs a round trip per missing ancestor.
     * <ul>
     *   <li>A parent older than the previous round (a slow validator's block, or what a safe jump
     *       built on) goes to every peer that has not acknowledged it.</li>
     *   <li>A parent of the previous round normally reached every peer straight from its author and
     *       is not pushed, except to a peer whose own block of the previous round is here and did
     *       not reference the author's block of the round before: that author is not sending to the
     *       peer (a withholding validator sends its blocks to a few peers only). Without the push, the
     *       honest validators it leaves out fetch each of its blocks by request, a round trip late,
     *       and the whole committee slows down with them (simulator seed 295, mix WITHHOLD, n = 7).</li>
     * </ul>
     */
    private void pushUnacknowledgedParents(final Block block) {
        final long previous = block.round() - 1;
        for (int peer = 0; peer < committee.size(); peer++) {
            if (peer == self) {
                continue;
            }
            final long[] acknowledged = acknowledgedRound[peer];
            final boolean peerIsCurrent = acknowledged[peer] >= previous;
            List<Block> unknown = null;
            for (int i = 0; i < block.parentCount(); i++) {
                final BlockRef ref = block.parent(i);
                if (ref.round() < 1 || ref.author() == peer || ref.round() <= acknowledged[ref.author()]) {
                    continue;
                }
                final boolean push = ref.round() < previous || peerIsCurrent && acknowledged[ref.author()] < previous - 1;
                final Block parent = push ? dag.get(ref) : null;
                if (parent != null) {
                    if (unknown == null) {
                        unknown = new ArrayList<>(2);
                    }
                    unknown.add(parent);
                }
            }
            if (unknown != null) {
                outbox.sendBlocks(peer, 0L, unknown);
            }
        }
    }

    /** Adds the author's stake to the own block it references; reports the block once a quorum holds it. */
    private void watchOwnReferences(final Block block, final long nowNs) {
        for (int i = 0; i < block.parentCount(); i++) {
            final BlockRef parent = block.parent(i);
            if (parent.author() != self) {
                continue;
            }
            final int slot = (int) (parent.round() & (OWN_WATCH - 1));
            if (watchedOwnRound[slot] != parent.round() || watchedOwnAuthors[slot][block.author()]) {
                return; // not watched (any more): reported already, or too old; or this author counted
            }
            watchedOwnAuthors[slot][block.author()] = true;
            watchedOwnStake[slot] += committee.stake(block.author());
            if (watchedOwnStake[slot] >= committee.quorumThreshold()) {
                watchedOwnRound[slot] = -1L;
                observer.onOwnBlockQuorum(parent.round(), nowNs);
            }
            return; // at most one parent per author
        }
    }

    private long maxParentTimestamp(final Block block) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < block.parentCount(); i++) {
            final Block parent = dag.get(block.parent(i));
            if (parent != null) {
                max = Math.max(max, parent.timestampMs());
            }
        }
        return max;
    }

    private void reject(final int from, final RejectReason reason) {
        if (committee.contains(from)) {
            rejects[from][reason.ordinal()]++;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Deciding and committing
    // ---------------------------------------------------------------------------------------

    private void afterChange(final long nowNs) {
        if (violation != null) {
            throw violation; // stopped for good: no input may move a core whose commits are in doubt
        }
        if (!started) {
            return;
        }
        try {
            commitDecided(nowNs);
            tryPropose(nowNs);
        } catch (final ConsensusInvariantViolation e) {
            violation = e;
            throw e;
        }
    }

    private void commitDecided(final long nowNs) {
        boolean decided = false;
        while (decideWithCurrentSchedule()) {
            decided = true;
        }
        if (decided) {
            collectGarbage(nowNs);
        }
    }

    /**
     * Applies the decided prefix under the current leader schedule. Returns true when it stopped
     * at a reputation anchor, whose new table changes the leaders of the later slots: those must be
     * decided again under it, as every other validator decides them.
     */
    private boolean decideWithCurrentSchedule() {
        final List<LeaderDecision> decisions = committer.decide(dag, lastDecidedSlot);
        for (final LeaderDecision decision : decisions) {
            final long slot = decision.round() * schedule.slotsPerRound() + decision.slot();
            if (slot != lastDecidedSlot + 1) {
                throw new ConsensusInvariantViolation("slot " + slot + " decided after slot " + lastDecidedSlot
                    + ": decisions must come in slot order, each slot once");
            }
            lastDecidedSlot = slot;
            if (decision.kind() == LeaderDecision.Kind.COMMIT) {
                final long previousLeaderRound = lastCommittedLeaderRound;
                commit(decision.leader(), slot);
                if (reputation.isAnchor(decision.leader().round(), previousLeaderRound)) {
                    reputation.update(dag, decision.leader());
                    return true;
                }
            } else if (decision.kind() == LeaderDecision.Kind.SKIP) {
                skippedSlots++;
                observer.onSlotSkipped(decision.round(), decision.slot());
            }
        }
        return false;
    }

    private void commit(final Block leader, final long slot) {
        if (dag.isCommitted(leader.ref())) {
            // A leader inside an earlier committed sub-DAG cannot be a later slot's leader: its
            // transactions would be ordered twice, contradicting the earlier commit.
            throw new ConsensusInvariantViolation("leader " + leader.ref() + " of slot " + slot
                + " was already committed below height " + (height + 1));
        }
        if (leader.round() < lastCommittedLeaderRound) {
            throw new ConsensusInvariantViolation("leader " + leader.ref() + " of slot " + slot
                + " is below the last committed leader round " + lastCommittedLeaderRound);
        }
        final List<Block> blocks = linearize(leader);
        height++;
        lastConsensusTimeMs = Math.max(lastConsensusTimeMs, leader.timestampMs());
        lastCommittedLeaderRound = leader.round();
        final CommittedSubDag subDag = new CommittedSubDag(height, leader.ref(), lastConsensusTimeMs, blocks);
        committedTransactions += subDag.transactionCount();
        storage.storeCommit(new CoreStorage.CommitRecord(height, leader.ref(), slot, lastConsensusTimeMs));
        sink.onCommit(subDag);
    }

    /**
     * The leader's causal history that is not yet committed, in (round, author, digest) order.
     * Blocks more than {@code gcDepth} rounds below the leader are left out; the cut-off depends
     * on the leader alone, so every validator leaves out the same blocks.
     */
    private List<Block> linearize(final Block leader) {
        final long cutoff = leader.round() - config.gcDepth();
        // Live, the DAG is never pruned above a future leader's cut-off. While recovery replays
        // older commits, rounds below the restored GC round are gone and were settled back then.
        assert !started || dag.gcRound() <= Math.max(cutoff, 1) : "a leader's history must not be pruned: leader " + leader.ref() + " gc " + dag.gcRound()
            + " last committed round " + lastCommittedLeaderRound;
        final long lowest = Math.max(Math.max(cutoff, dag.gcRound()), 1);
        final List<Block> blocks = new ArrayList<>();
        final ArrayDeque<Block> stack = new ArrayDeque<>();
        dag.markCommitted(leader);
        stack.push(leader);
        while (!stack.isEmpty()) {
            final Block block = stack.pop();
            blocks.add(block);
            for (int i = 0; i < block.parentCount(); i++) {
                final BlockRef ref = block.parent(i);
                if (ref.round() < lowest || dag.isCommitted(ref)) {
                    continue;
                }
                final Block parent = dag.get(ref);
                assert parent != null : "accepted blocks have their parents: " + ref;
                dag.markCommitted(parent);
                stack.push(parent);
            }
        }
        blocks.sort((a, b) -> a.ref().compareTo(b.ref()));
        return blocks;
    }

    private void collectGarbage(final long nowNs) {
        final long gcRound = lastCommittedLeaderRound - config.gcDepth();
        if (gcRound <= dag.gcRound()) {
            return;
        }
        for (final Block lost : dag.pruneBelow(gcRound, self)) {
            // An own block that left the DAG uncommitted can never be committed (a later leader's
            // history stops gcDepth rounds below it, for every validator alike): a validator cut off
            // from its committee put admitted transactions in blocks nobody received. Propose them
            // again; execution's replay set keeps a transaction that did commit elsewhere from
            // executing twice.
            final byte[][] transactions = new byte[lost.transactionCount()][];
            for (int i = 0; i < transactions.length; i++) {
                transactions[i] = lost.transaction(i);
            }
            mempool.requeue(transactions);
            reproposedTransactions += transactions.length;
        }
        for (final Block ready : pending.pruneBelow(gcRound)) {
            acceptWithDescendants(ready.author(), ready, nowNs);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Proposing
    // ---------------------------------------------------------------------------------------

    /**
     * The pacemaker (the Starfish rules, docs/consensus.md). A validator holding its own block of round
     * q and 2f+1 blocks of round q proposes round q+1 (after the pacing interval and, when q is a
     * leader round, the leader timeout). One that is behind, holding 2f+1 blocks of a round q above
     * its own last, first makes the safe jump: it proposes its own block of round q at once (the
     * parents of those 2f+1 blocks give it a quorum of round q-1), and only then round q+1. So a
     * validator never enters a round without a block of the round before it, and a quorum formed
     * without a validator still gets that validator's votes and certificates one round later: the
     * hole of advancing without blocks, by which an adversarial schedule could keep every leader
     * short of 2f+1 votes, is closed.
     *
     * <p>{@link CoreConfig#unsafeRoundAdvance} (tests only) turns the safe jump and the push off: the
     * old rule, which {@code QiuScheduleTest} in the simulator shows stalling under an adversarial schedule.
     */
    private void tryPropose(final long nowNs) {
        proposalWakeupNs = NEVER;
        if (lastOwnBlock.round() > quorumRound || isCatchingUp()) {
            return;
        }
        if (lastOwnBlock.round() < quorumRound && !config.unsafeRoundAdvance()) {
            safeJumps++;
            propose(quorumRound, nowNs, false);
        }
        final long round = quorumRound + 1;
        if (round <= lastOwnBlock.round()) {
            return; // the jump's own commit moved nothing, or a restart left a later own block
        }
        final long earliest = lastProposalNs + roundIntervalNs();
        if (nowNs < earliest) {
            proposalWakeupNs = earliest;
            return;
        }
        if (quorumRound >= 1 && !leadersPresent(quorumRound)) {
            final long deadline = quorumReachedNs + config.leaderTimeoutNs();
            if (nowNs < deadline) {
                proposalWakeupNs = deadline;
                return;
            }
            leaderTimeouts++;
            observer.onLeaderTimeout(quorumRound, nowNs);
        }
        propose(round, nowNs, true);
    }

    /** Builds, persists and sends the own block of {@code round}; a safe jump does not count against the pacing. */
    private void propose(final long round, final long nowNs, final boolean paced) {
        final BlockRef[] parents = chooseParents(round);
        long timestampMs = nowNs / 1_000_000L;
        for (final BlockRef parent : parents) {
            timestampMs = Math.max(timestampMs, dag.get(parent) == null ? 0 : dag.get(parent).timestampMs());
        }
        final byte[][] transactions = mempool.take(config.maxBlockTransactions(), config.maxBlockPayloadBytes());
        final Block block = factory.build(committee.shardId(), self, round, timestampMs, parents, transactions);
        // Persist before sending: a validator signs at most one block per round, even across a restart.
        storage.persistOwnBlock(block);
        lastOwnBlock = block;
        if (paced) {
            lastProposalNs = nowNs;
        }
        final int slot = (int) (round & (OWN_WATCH - 1));
        watchedOwnRound[slot] = round;
        watchedOwnStake[slot] = committee.stake(self);
        Arrays.fill(watchedOwnAuthors[slot], false);
        watchedOwnAuthors[slot][self] = true;
        addToDag(block, nowNs);
        observer.onProposed(block, mempool.lastTags(), nowNs);
        if (watchedOwnStake[slot] >= committee.quorumThreshold()) { // a committee of one
            watchedOwnRound[slot] = -1L;
            observer.onOwnBlockQuorum(round, nowNs);
        }
        outbox.broadcastBlock(block);
        if (!config.unsafeRoundAdvance()) {
            pushUnacknowledgedParents(block);
        }
        commitDecided(nowNs);
    }

    /** Fast rounds while anything waits to be committed, slow ones when the cluster is idle. */
    private long roundIntervalNs() {
        return hasWork() ? config.minRoundIntervalNs() : config.effectiveIdleRoundIntervalNs();
    }

    /** Whether anything waits to be proposed or committed: the rounds are fast while it does. */
    public boolean hasWork() {
        return mempool.size() > 0 || dag.uncommittedPayloadBlocks() > 0;
    }

    /**
     * Own previous block first; then, author by author, that author's first-seen block of the
     * previous round, or else its latest block that no own block has referenced yet.
     */
    private BlockRef[] chooseParents(final long round) {
        final List<BlockRef> parents = new ArrayList<>(committee.size());
        parents.add(lastOwnBlock.ref());
        for (int author = 0; author < committee.size(); author++) {
            if (author == self) {
                continue;
            }
            final List<Block> previous = dag.slot(author, round - 1);
            Block parent = previous.isEmpty() ? latestBlockOf[author] : previous.get(0);
            if (parent == null || parent.round() >= round || parent.round() <= lastReferencedRound[author]
                || !dag.contains(parent.ref())) {
                continue;
            }
            parents.add(parent.ref());
            lastReferencedRound[author] = parent.round();
        }
        return parents.toArray(new BlockRef[0]);
    }

    private boolean leadersPresent(final long round) {
        for (int slot = 0; slot < schedule.slotsPerRound(); slot++) {
            if (dag.slot(schedule.leader(round, slot), round).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Synchronization
    // ---------------------------------------------------------------------------------------

    private void requestMissing(final long nowNs) {
        final int n = committee.size();
        final List<Map.Entry<BlockRef, PendingBlocks.Missing>> due =
            pending.due(nowNs, config.maxRequestRefs() * n);
        if (due.isEmpty()) {
            return;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        final List<BlockRef>[] byPeer = new List[n];
        for (final Map.Entry<BlockRef, PendingBlocks.Missing> entry : due) {
            final PendingBlocks.Missing missing = entry.getValue();
            final int peer = missing.nextPeer(n, self);
            missing.attempts++;
            missing.lastAskedNs = nowNs;
            missing.nextAttemptNs = nowNs + (missing.hasUnaskedHolder() ? config.syncRetryNs() / 4 : config.syncRetryNs());
            if (byPeer[peer] == null) {
                byPeer[peer] = new ArrayList<>();
            }
            byPeer[peer].add(entry.getKey());
        }
        for (int peer = 0; peer < n; peer++) {
            final List<BlockRef> refs = byPeer[peer];
            for (int from = 0; refs != null && from < refs.size(); from += config.maxRequestRefs()) {
                final int to = Math.min(refs.size(), from + config.maxRequestRefs());
                outbox.sendBlockRequest(peer, nextRequestId++, List.copyOf(refs.subList(from, to)));
            }
        }
    }

    /**
     * Broadcasts are fire-and-forget, so a message lost in a partition is never re-sent by its
     * author; when every validator then waits for the others, nothing moves. A validator whose
     * quorum round has not advanced for a retry period (longer while idle: {@link CoreConfig#stuckResendNs})
     * sends its latest block again, which is
     * enough for peers to fetch the rest through the references.
     */
    private void resendIfStuck(final long nowNs) {
        if (nowNs >= lastProgressNs + config.stuckResendNs(hasWork())) {
            lastProgressNs = nowNs;
            if (lastOwnBlock.round() > 0) {
                outbox.broadcastBlock(lastOwnBlock);
            }
        }
    }

    /**
     * When validators holding at least f+1 stake (so at least one honest) have signed blocks far
     * beyond our window, fetch whole rounds from one of them instead of ancestor by ancestor.
     */
    private void catchUp(final long nowNs) {
        if (!isCatchingUp() || nowNs < rangeRetryNs) {
            return;
        }
        final int n = committee.size();
        for (int i = 0; i < n; i++) {
            final int peer = Math.floorMod(self + 1 + rangeAttempts + i, n);
            if (peer != self && highestSignedRound[peer] > quorumRound) {
                outbox.sendRangeRequest(peer, nextRequestId++, quorumRound + 1, quorumRound + config.maxSyncRounds());
                break;
            }
        }
        rangeAttempts++;
        rangeRetryNs = nowNs + config.syncRetryNs();
    }

    /**
     * True while validators holding f+1 stake have signed blocks far beyond this validator's window:
     * it is behind and fetching whole rounds, so it should not serve clients as if current.
     */
    public boolean isCatchingUp() {
        return catchUpTargetRound() > quorumRound + config.maxRoundsAhead() / 2;
    }

    /** The highest round that validators holding at least f+1 stake have all signed blocks for. */
    private long catchUpTargetRound() {
        // Insertion sort of authors by their highest signed round, into a preallocated array: this
        // runs on every consensus duty cycle, so it must not allocate.
        final int[] authors = authorsByRound;
        for (int i = 0; i < authors.length; i++) {
            final int author = i;
            int j = i;
            while (j > 0 && highestSignedRound[authors[j - 1]] < highestSignedRound[author]) {
                authors[j] = authors[j - 1];
                j--;
            }
            authors[j] = author;
        }
        long stake = 0;
        for (final int author : authors) {
            stake += committee.stake(author);
            if (stake >= committee.validityThreshold()) {
                return highestSignedRound[author];
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------
    // Recovery
    // ---------------------------------------------------------------------------------------

    /**
     * Rebuilds the DAG from storage, re-marks what the persisted commits covered without
     * emitting them again, and restores the own last block so that no round is signed twice.
     */
    private void recover(final long nowNs, final long executedHeight) {
        final CoreStorage.CommitRecord last = storage.lastCommit();
        final long fromRound = last == null ? 1 : Math.max(1, last.leader().round() - config.gcDepth());
        if (last != null) {
            dag.pruneBelow(fromRound, self); // the DAG is still empty: nothing to propose again
        }
        for (final Block block : storage.blocksInRounds(fromRound, Long.MAX_VALUE, Integer.MAX_VALUE)) {
            if (dag.isAvailableAllParents(block)) {
                addToDag(block, nowNs);
            }
        }
        final Block own = storage.lastOwnBlock();
        if (own != null) {
            addToDag(own, nowNs);
            lastOwnBlock = own;
        }
        if (last != null) {
            final List<CoreStorage.CommitRecord> records = storage.commitsFrom(fromRound);
            if (executedHeight < last.height()
                && (records.isEmpty() || records.get(0).height() > executedHeight + 1)) {
                throw new IllegalStateException("execution is at height " + executedHeight
                    + " but commit records from height " + (executedHeight + 1) + " are no longer retained");
            }
            checkContiguous(records, last);
            for (final CoreStorage.CommitRecord record : records) {
                final Block leader = dag.get(record.leader());
                if (leader == null) {
                    if (record.height() > executedHeight) {
                        throw new IllegalStateException("leader " + record.leader() + " of height " + record.height()
                            + " is missing from storage; execution cannot resume");
                    }
                    continue;
                }
                final List<Block> blocks = linearize(leader);
                if (record.height() > executedHeight) {
                    sink.onCommit(new CommittedSubDag(record.height(), record.leader(), record.consensusTimeMs(), blocks));
                }
            }
            restoreSchedule(records, last);
            height = last.height();
            lastDecidedSlot = last.decidedSlot();
            lastConsensusTimeMs = last.consensusTimeMs();
            lastCommittedLeaderRound = last.leader().round();
        }
        assert quorumRound >= 0;
    }

    /**
     * The schedule in force after the last commit comes from the first commit of the last one's
     * reputation period (see {@link LeaderReputation}); {@link CoreConfig} keeps it and the rounds
     * it scores inside what recovery reloaded.
     */
    private void restoreSchedule(final List<CoreStorage.CommitRecord> records, final CoreStorage.CommitRecord last) {
        if (!reputation.enabled() || reputation.period(last.leader().round()) == 0) {
            return;
        }
        final long period = reputation.period(last.leader().round());
        for (final CoreStorage.CommitRecord record : records) {
            if (reputation.period(record.leader().round()) == period) {
                final Block anchor = dag.get(record.leader());
                if (anchor == null) {
                    throw new ConsensusInvariantViolation("reputation anchor " + record.leader() + " of height "
                        + record.height() + " is missing from storage: the leader schedule cannot be derived");
                }
                reputation.update(dag, anchor);
                return;
            }
        }
        throw new ConsensusInvariantViolation("no retained commit record in the reputation period of height " + last.height());
    }

    /**
     * The persisted commits must read as one history: heights one apart, decided slots rising, and
     * the last one the storage's latest. A gap or a reordering means a lost or foreign record, and
     * replaying it would execute a different ledger than the one peers hold.
     */
    private static void checkContiguous(final List<CoreStorage.CommitRecord> records, final CoreStorage.CommitRecord last) {
        CoreStorage.CommitRecord previous = null;
        for (final CoreStorage.CommitRecord record : records) {
            if (previous != null && record.height() != previous.height() + 1) {
                throw new ConsensusInvariantViolation("height gap in the commit records: " + previous.height()
                    + " is followed by " + record.height());
            }
            if (previous != null && record.decidedSlot() <= previous.decidedSlot()) {
                throw new ConsensusInvariantViolation("commit record of height " + record.height() + " decides slot "
                    + record.decidedSlot() + ", not after slot " + previous.decidedSlot() + " of height " + previous.height());
            }
            previous = record;
        }
        if (previous != null && (previous.height() != last.height() || previous.decidedSlot() != last.decidedSlot())) {
            throw new ConsensusInvariantViolation("the latest commit record (height " + last.height()
                + ") differs from the last retained one (height " + previous.height() + ")");
        }
    }

    static List<Block> genesisBlocks(final Committee committee) {
        final List<Block> blocks = new ArrayList<>(committee.size());
        for (int author = 0; author < committee.size(); author++) {
            blocks.add(new Block(genesisRef(committee.shardId(), author), committee.shardId(), 0L,
                new BlockRef[0], new byte[0], new int[0], new int[0]));
        }
        return blocks;
    }

    /** Genesis blocks are implicit: every validator derives the same refs. */
    public static BlockRef genesisRef(final int shardId, final int author) {
        final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
        final byte[] tag = "basalt-genesis".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tag, 0, digest, 0, tag.length);
        digest[24] = (byte) (shardId >>> 8);
        digest[25] = (byte) shardId;
        digest[28] = (byte) (author >>> 8);
        digest[29] = (byte) author;
        return new BlockRef(author, 0, digest);
    }

    // ---------------------------------------------------------------------------------------
    // Observation (metrics, checkers, tests)
    // ---------------------------------------------------------------------------------------

    public int self() {
        return self;
    }

    public long height() {
        return height;
    }

    public long quorumRound() {
        return quorumRound;
    }

    public long lastOwnRound() {
        return lastOwnBlock.round();
    }

    public long gcRound() {
        return dag.gcRound();
    }

    public int dagSize() {
        return dag.size();
    }

    public int pendingSize() {
        return pending.size();
    }

    public int missingSize() {
        return pending.missingCount();
    }

    public int mempoolSize() {
        return mempool.size();
    }

    public long committedTransactions() {
        return committedTransactions;
    }

    /** Proposals made without every leader of the previous round, after waiting out the timeout. */
    public long leaderTimeouts() {
        return leaderTimeouts;
    }

    /** Own blocks proposed by a safe jump: the quorum round had passed this validator's last own block. */
    public long safeJumps() {
        return safeJumps;
    }

    /** Leader slots decided SKIP. */
    public long skippedSlots() {
        return skippedSlots;
    }

    /** The invariant that stopped this core, or null while it runs. */
    public ConsensusInvariantViolation violation() {
        return violation;
    }

    /** Transactions of own blocks that left the DAG uncommitted and were proposed again. */
    public long reproposedTransactions() {
        return reproposedTransactions;
    }

    /** The consensus time of the last commit: the highest leader timestamp committed so far, ms. */
    public long consensusTimeMs() {
        return lastConsensusTimeMs;
    }

    public long rejectCount(final int peer, final RejectReason reason) {
        return rejects[peer][reason.ordinal()];
    }

    public long rejectCount(final RejectReason reason) {
        long total = 0;
        for (final long[] perPeer : rejects) {
            total += perPeer[reason.ordinal()];
        }
        return total;
    }

    public Committee committee() {
        return committee;
    }

    /** The leader schedule in force (round-robin with the current reputation swaps). */
    public LeaderSchedule schedule() {
        return schedule;
    }

    public CoreConfig config() {
        return config;
    }
}
