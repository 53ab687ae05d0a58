package io.basalt.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The accepted part of the DAG above the garbage-collection round: blocks by ref and by
 * (round, author), per-round stake, and which blocks are already committed.
 *
 * <p>Every block in the store has all its parents in the store or below the GC round. Iteration
 * that can influence output goes through the round-ordered map and author indexes, never over a
 * hash-ordered collection, so the same inputs give the same outputs.
 */
final class DagStore {
    private final Committee committee;
    private final Map<BlockRef, Block> byRef = new HashMap<>();
    private final TreeMap<Long, Round> rounds = new TreeMap<>();
    private final Set<BlockRef> committed = new HashSet<>();
    private long gcRound;
    private long highestRound;
    private int uncommittedPayloadBlocks;

    /** The blocks of one round, per author in arrival order, and the stake of distinct authors. */
    static final class Round {
        final List<Block>[] byAuthor;
        long stake;

        @SuppressWarnings({"unchecked", "rawtypes"})
        Round(final int committeeSize) {
            byAuthor = new List[committeeSize];
        }

        List<Block> of(final int author) {
            final List<Block> blocks = byAuthor[author];
            return blocks == null ? List.of() : blocks;
        }
    }

    DagStore(final Committee committee) {
        this.committee = committee;
    }

    /** Adds an accepted block. Returns false when it was already present. */
    boolean add(final Block block) {
        if (byRef.putIfAbsent(block.ref(), block) != null) {
            return false;
        }
        final Round round = rounds.computeIfAbsent(block.round(), r -> new Round(committee.size()));
        List<Block> slot = round.byAuthor[block.author()];
        if (slot == null) {
            slot = new ArrayList<>(1);
            round.byAuthor[block.author()] = slot;
            round.stake += committee.stake(block.author());
        }
        slot.add(block);
        highestRound = Math.max(highestRound, block.round());
        if (block.transactionCount() > 0) {
            uncommittedPayloadBlocks++;
        }
        return true;
    }

    Block get(final BlockRef ref) {
        return byRef.get(ref);
    }

    boolean contains(final BlockRef ref) {
        return byRef.containsKey(ref);
    }

    /** Present, or below the GC round and so treated as available. */
    boolean isAvailable(final BlockRef ref) {
        return ref.round() < gcRound || byRef.containsKey(ref);
    }

    /** Whether every parent of {@code block} is present or below the GC round. */
    boolean isAvailableAllParents(final Block block) {
        for (int i = 0; i < block.parentCount(); i++) {
            if (!isAvailable(block.parent(i))) {
                return false;
            }
        }
        return true;
    }

    /** Blocks of slot (author, round) in arrival order; equivocators have more than one. */
    List<Block> slot(final int author, final long round) {
        final Round r = rounds.get(round);
        return r == null ? List.of() : r.of(author);
    }

    /** Blocks of a round, author by author. */
    List<Block> round(final long round) {
        final Round r = rounds.get(round);
        if (r == null) {
            return List.of();
        }
        final List<Block> all = new ArrayList<>();
        for (final List<Block> blocks : r.byAuthor) {
            if (blocks != null) {
                all.addAll(blocks);
            }
        }
        return all;
    }

    long stakeAt(final long round) {
        final Round r = rounds.get(round);
        return r == null ? 0 : r.stake;
    }

    long highestRound() {
        return highestRound;
    }

    long gcRound() {
        return gcRound;
    }

    boolean isCommitted(final BlockRef ref) {
        return committed.contains(ref);
    }

    void markCommitted(final Block block) {
        if (committed.add(block.ref()) && block.transactionCount() > 0) {
            uncommittedPayloadBlocks--;
        }
    }

    /** Blocks with transactions that are neither committed nor pruned: consensus has work to do. */
    int uncommittedPayloadBlocks() {
        return uncommittedPayloadBlocks;
    }

    int size() {
        return byRef.size();
    }

    int committedSize() {
        return committed.size();
    }

    /** The rounds in [from, to], in order, for serving range requests. */
    Iterable<Map.Entry<Long, Round>> rounds(final long from, final long to) {
        if (from > to) {
            return Collections.emptyList();
        }
        return rounds.subMap(from, true, to, true).entrySet();
    }

    /**
     * Drops every round below {@code newGcRound}; blocks there are never committed or needed again.
     * Returns the blocks of {@code author} with transactions that leave uncommitted: their
     * transactions will never commit through them (docs/consensus.md, "Re-proposing").
     */
    List<Block> pruneBelow(final long newGcRound, final int author) {
        if (newGcRound <= gcRound) {
            return List.of();
        }
        List<Block> uncommittedOwn = List.of();
        gcRound = newGcRound;
        final Iterator<Map.Entry<Long, Round>> it = rounds.headMap(newGcRound, false).entrySet().iterator();
        while (it.hasNext()) {
            final Round round = it.next().getValue();
            for (final List<Block> blocks : round.byAuthor) {
                if (blocks != null) {
                    for (final Block block : blocks) {
                        byRef.remove(block.ref());
                        if (!committed.remove(block.ref()) && block.transactionCount() > 0) {
                            uncommittedPayloadBlocks--;
                            if (block.author() == author) {
                                if (uncommittedOwn.isEmpty()) {
                                    uncommittedOwn = new ArrayList<>(1);
                                }
                                uncommittedOwn.add(block);
                            }
                        }
                    }
                }
            }
            it.remove();
        }
        return uncommittedOwn;
    }
}
