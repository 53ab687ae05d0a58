package io.basalt.dag;

import io.basalt.protocol.ProtocolLimits;

/**
 * Every knob and limit of the consensus core, with the relations between them checked at
 * construction. Times are nanoseconds of the clock the caller passes in.
 *
 * @param leadersPerRound      leader slots per round (round-robin schedule).
 * @param leaderTimeoutNs      how long a validator holding a quorum of round r waits for the
 *                             leaders of round r before it proposes round r+1 anyway.
 * @param minRoundIntervalNs   the least time between two own proposals while there is work: transactions
 *                             in the mempool or uncommitted blocks with payload in the DAG.
 * @param idleRoundIntervalNs  the least time between own proposals when there is no work, so an idle
 *                             cluster does not spin; 0 means the same as {@code minRoundIntervalNs}.
 * @param maxRoundsAhead       blocks more than this many rounds above the local quorum round are dropped.
 * @param gcDepth              rounds kept below the last committed leader's round.
 * @param maxBlockTransactions transactions per proposed block.
 * @param maxBlockPayloadBytes payload bytes per proposed block.
 * @param maxMempoolTransactions transactions waiting to be proposed; a full queue refuses submissions.
 * @param maxPendingBlocks     blocks waiting for ancestors, in all.
 * @param maxPendingPerAuthor  of those, per author, so that one peer cannot fill the buffer.
 * @param maxRequestRefs       refs per block request.
 * @param syncRetryNs          how long a request may go unanswered before it is sent to another peer.
 * @param maxSyncRounds        rounds asked for in one range request when catching up.
 * @param maxResponseBlocks    blocks in one response.
 * @param maxBlocksPerSlot     unsolicited blocks accepted per (author, round); more are equivocation spam.
 * @param reputationPeriodRounds rounds per leader-reputation period ({@link LeaderReputation}): at the
 *                             first commit of each period the lowest-scoring validators (at most f
 *                             stake) hand their leader slots to the best ones. 0 keeps plain round-robin.
 *                             At most {@code gcDepth / 2}, so that recovery can derive the same table.
 * @param maxTimestampAheadNs  a peer's block whose timestamp is more than this ahead of the local clock
 *                             is refused (TIMESTAMP_AHEAD): consensus time is the leaders' timestamps,
 *                             and admission checks expiries against it, so one Byzantine leader could
 *                             otherwise move time forward for everyone and expire every pending
 *                             transaction. A block refused for it is fetched again once it is a
 *                             missing parent, so an honest peer's block with a skewed clock is only late.
 * @param servedBlocksPerPeerPerSecond blocks this validator sends a single peer in answer to its block
 *                             and range requests, per second, with a burst of {@code 2 * maxResponseBlocks}:
 *                             a peer that asks for more is refused (OVER_BUDGET) and retries elsewhere,
 *                             so that no peer can turn requests into unbounded disk reads and sends. The
 *                             default is far above what a catch-up needs (blocks per second of the
 *                             whole committee at full speed).
 * @param certificateVotesThreshold for tests only: 0 means the safe quorum; any other value
 *                             replaces it in the vote and certificate counts, to prove the simulator's
 *                             checkers catch a wrong commit rule.
 * @param unsafeRoundAdvance   for tests only: false means the Starfish pacemaker; true restores the
 *                             round rule Basalt had before it (propose quorum round + 1 at once, even
 *                             without an own block of the quorum round, and push no parents), to prove
 *                             that the simulator's adversarial round-jumping schedule stalls it.
 */
public record CoreConfig(
    int leadersPerRound,
    long leaderTimeoutNs,
    long minRoundIntervalNs,
    int maxRoundsAhead,
    int gcDepth,
    int maxBlockTransactions,
    int maxBlockPayloadBytes,
    int maxMempoolTransactions,
    int maxPendingBlocks,
    int maxPendingPerAuthor,
    int maxRequestRefs,
    long syncRetryNs,
    int maxSyncRounds,
    int maxResponseBlocks,
    int maxBlocksPerSlot,
    long certificateVotesThreshold,
    long idleRoundIntervalNs,
    int reputationPeriodRounds,
    long maxTimestampAheadNs,
    int servedBlocksPerPeerPerSecond,
    boolean unsafeRoundAdvance) {

    public CoreConfig {
        require(leadersPerRound >= 1, "leadersPerRound >= 1");
        require(leaderTimeoutNs > 0 && minRoundIntervalNs >= 0, "timeouts must be positive");
        require(gcDepth >= 3, "gcDepth must cover the three rounds a decision looks at");
        require(maxRoundsAhead >= 2, "maxRoundsAhead >= 2");
        require(maxSyncRounds >= 1 && maxSyncRounds <= maxRoundsAhead,
            "a range request must fit in the window of accepted rounds");
        require(maxBlockTransactions >= 1 && maxBlockPayloadBytes >= 1, "blocks must carry something");
        require(maxMempoolTransactions >= maxBlockTransactions, "the mempool must hold one block's worth");
        require(maxPendingPerAuthor >= 1 && maxPendingPerAuthor <= maxPendingBlocks, "pending limits");
        require(maxRequestRefs >= 1 && maxResponseBlocks >= maxRequestRefs,
            "a response must be able to answer a whole request");
        require(syncRetryNs > 0, "syncRetryNs > 0");
        require(maxBlocksPerSlot >= 1, "maxBlocksPerSlot >= 1");
        require(maxRequestRefs <= ProtocolLimits.MAX_REQUEST_REFS && maxResponseBlocks <= ProtocolLimits.MAX_RESPONSE_BLOCKS
            && maxSyncRounds <= ProtocolLimits.MAX_RANGE_ROUNDS && maxBlockTransactions <= ProtocolLimits.MAX_BLOCK_TXS
            && maxBlockPayloadBytes <= ProtocolLimits.MAX_BLOCK_BYTES, "limits must fit the wire format's");
        require(certificateVotesThreshold >= 0, "certificateVotesThreshold >= 0");
        require(idleRoundIntervalNs >= 0, "idleRoundIntervalNs >= 0");
        require(syncRetryNs > minRoundIntervalNs,
            "syncRetryNs must exceed the round interval, or validators with work would re-broadcast every round");
        require(maxTimestampAheadNs > 0, "maxTimestampAheadNs > 0");
        require(servedBlocksPerPeerPerSecond >= maxResponseBlocks,
            "servedBlocksPerPeerPerSecond must allow at least one full response per second");
        require(reputationPeriodRounds >= 0 && 2L * reputationPeriodRounds <= gcDepth,
            "reputationPeriodRounds must be in [0, gcDepth / 2]: recovery reloads gcDepth rounds and needs the"
                + " period's anchor and the rounds it scores");
    }

    /** Defaults tuned for a LAN cluster; the simulator and the node override the times. */
    public static CoreConfig defaults() {
        return new Builder().build();
    }

    public CoreConfig withTimes(final long leaderTimeoutNs, final long minRoundIntervalNs, final long syncRetryNs) {
        final Builder b = toBuilder();
        b.leaderTimeoutNs = leaderTimeoutNs;
        b.minRoundIntervalNs = minRoundIntervalNs;
        b.syncRetryNs = syncRetryNs;
        return b.build();
    }

    /** Rounds at {@code minRoundIntervalNs} while there is work, at {@code idleNs} when there is none. */
    public CoreConfig withIdleRoundInterval(final long idleNs) {
        final Builder b = toBuilder();
        b.idleRoundIntervalNs = idleNs;
        return b.build();
    }

    /**
     * How long the quorum round may stand still before a validator sends its latest block again:
     * {@code syncRetryNs} while there is work, two idle round intervals when there is none (an idle
     * cluster's rounds are that slow on purpose; resending sooner would only repeat blocks).
     */
    public long stuckResendNs(final boolean work) {
        return work ? syncRetryNs : Math.max(syncRetryNs, 2 * effectiveIdleRoundIntervalNs());
    }

    /** The proposal interval when there is no work. */
    public long effectiveIdleRoundIntervalNs() {
        return Math.max(minRoundIntervalNs, idleRoundIntervalNs);
    }

    /** Leader reputation every {@code rounds} rounds; 0 for plain round-robin. */
    public CoreConfig withReputationPeriod(final int rounds) {
        final Builder b = toBuilder();
        b.reputationPeriodRounds = rounds;
        return b.build();
    }

    public CoreConfig withLeadersPerRound(final int leaders) {
        final Builder b = toBuilder();
        b.leadersPerRound = leaders;
        return b.build();
    }

    public CoreConfig withBlockLimits(final int transactions, final int payloadBytes) {
        final Builder b = toBuilder();
        b.maxBlockTransactions = transactions;
        b.maxBlockPayloadBytes = payloadBytes;
        b.maxMempoolTransactions = Math.max(maxMempoolTransactions, transactions);
        return b.build();
    }

    /** For tests of the checkers only: an unsafe vote/certificate threshold. */
    public CoreConfig withUnsafeCertificateThreshold(final long votes) {
        final Builder b = toBuilder();
        b.certificateVotesThreshold = votes;
        return b.build();
    }

    /**
     * For tests of the pacemaker only: the round rule before Starfish's, which a validator behind
     * the quorum round used to enter quorum round + 1 without a block of its own in the quorum round
     * (see {@code ConsensusCore.tryPropose} and docs/consensus.md).
     */
    public CoreConfig withUnsafeRoundAdvance() {
        final Builder b = toBuilder();
        b.unsafeRoundAdvance = true;
        return b.build();
    }

    public Builder toBuilder() {
        final Builder b = new Builder();
        b.leadersPerRound = leadersPerRound;
        b.leaderTimeoutNs = leaderTimeoutNs;
        b.minRoundIntervalNs = minRoundIntervalNs;
        b.maxRoundsAhead = maxRoundsAhead;
        b.gcDepth = gcDepth;
        b.maxBlockTransactions = maxBlockTransactions;
        b.maxBlockPayloadBytes = maxBlockPayloadBytes;
        b.maxMempoolTransactions = maxMempoolTransactions;
        b.maxPendingBlocks = maxPendingBlocks;
        b.maxPendingPerAuthor = maxPendingPerAuthor;
        b.maxRequestRefs = maxRequestRefs;
        b.syncRetryNs = syncRetryNs;
        b.maxSyncRounds = maxSyncRounds;
        b.maxResponseBlocks = maxResponseBlocks;
        b.maxBlocksPerSlot = maxBlocksPerSlot;
        b.certificateVotesThreshold = certificateVotesThreshold;
        b.idleRoundIntervalNs = idleRoundIntervalNs;
        b.reputationPeriodRounds = reputationPeriodRounds;
        b.maxTimestampAheadNs = maxTimestampAheadNs;
        b.servedBlocksPerPeerPerSecond = servedBlocksPerPeerPerSecond;
        b.unsafeRoundAdvance = unsafeRoundAdvance;
        return b;
    }

    /** Mutable twin of the record, starting from the defaults; {@link #build} checks the relations. */
    public static final class Builder {
        public int leadersPerRound = 1;
        public long leaderTimeoutNs = 20_000_000L;
        public long minRoundIntervalNs;
        public int maxRoundsAhead = 60;
        public int gcDepth = 50;
        public int maxBlockTransactions = 1_000;
        public int maxBlockPayloadBytes = 512 * 1024;
        public int maxMempoolTransactions = 100_000;
        public int maxPendingBlocks = 4_096;
        public int maxPendingPerAuthor = 512;
        public int maxRequestRefs = 64;
        public long syncRetryNs = 50_000_000L;
        public int maxSyncRounds = 16;
        public int maxResponseBlocks = ProtocolLimits.MAX_RESPONSE_BLOCKS;
        public int maxBlocksPerSlot = 4;
        public long certificateVotesThreshold;
        public long idleRoundIntervalNs;
        public int reputationPeriodRounds = 20;
        public long maxTimestampAheadNs = 1_000_000_000L;
        public int servedBlocksPerPeerPerSecond = 20_000;
        public boolean unsafeRoundAdvance;

        public CoreConfig build() {
            return new CoreConfig(leadersPerRound, leaderTimeoutNs, minRoundIntervalNs, maxRoundsAhead, gcDepth,
                maxBlockTransactions, maxBlockPayloadBytes, maxMempoolTransactions, maxPendingBlocks,
                maxPendingPerAuthor, maxRequestRefs, syncRetryNs, maxSyncRounds, maxResponseBlocks,
                maxBlocksPerSlot, certificateVotesThreshold, idleRoundIntervalNs, reputationPeriodRounds,
                maxTimestampAheadNs, servedBlocksPerPeerPerSecond, unsafeRoundAdvance);
        }
    }

    private static void require(final boolean condition, final String what) {
        if (!condition) {
            throw new IllegalArgumentException("invalid consensus config: " + what);
        }
    }
}
