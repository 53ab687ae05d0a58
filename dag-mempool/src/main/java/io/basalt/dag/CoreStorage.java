package io.basalt.dag;

import java.util.List;

/**
 * What the core persists. Each call returns once the data is durable: the core relies on that for
 * "a validator signs at most one block per round, even across a restart" (it persists an own
 * block before it sends it) and for recovery after a crash at any moment.
 *
 * <p>Retention is the storage's business: it must keep blocks at least {@code gcDepth} rounds
 * below the last committed leader for recovery, and as many more as it wants to serve peers that
 * catch up after a long absence.
 */
public interface CoreStorage {
    /** Persists an own block; the core sends it only after this returns. */
    void persistOwnBlock(Block block);

    /** Persists an accepted block of another validator. */
    void storeBlock(Block block);

    /**
     * Records a commit decision before it is handed to the commit sink. It need not be durable at
     * once: the decision follows from the DAG, so one lost in a crash is decided again identically.
     */
    void storeCommit(CommitRecord record);

    /** The latest own block, or null on a fresh validator. */
    Block lastOwnBlock();

    /** The latest commit record, or null when nothing was committed yet. */
    CommitRecord lastCommit();

    /** Commit records whose leader round is at least {@code fromLeaderRound}, in height order. */
    List<CommitRecord> commitsFrom(long fromLeaderRound);

    /** Stored blocks of rounds [fromRound, toRound] in round order, at most {@code max}. */
    List<Block> blocksInRounds(long fromRound, long toRound, int max);

    /** A stored block by ref, or null. */
    Block block(BlockRef ref);

    /**
     * One committed leader. {@code decidedSlot} is the global slot index
     * ({@code round * slotsPerRound + slot}) of that leader: every slot up to it is decided.
     */
    record CommitRecord(long height, BlockRef leader, long decidedSlot, long consensusTimeMs) {
    }
}
