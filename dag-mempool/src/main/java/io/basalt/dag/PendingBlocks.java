package io.basalt.dag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Blocks that passed every check but wait for ancestors, and the refs still to fetch.
 *
 * <p>Bounded in total and per author, so a peer that sends blocks with invented parents fills
 * only its own share. Missing refs are kept sorted so that requests go out in a deterministic
 * order; each remembers a hint (the peer that told us about it) and how often it was asked for.
 */
final class PendingBlocks {
    private final Map<BlockRef, Waiting> waiting = new HashMap<>();
    private final Map<BlockRef, List<BlockRef>> childrenOf = new HashMap<>();
    private final TreeMap<BlockRef, Missing> missing = new TreeMap<>();
    private final int[] perAuthor;
    private final int maxTotal;
    private final int maxPerAuthor;

    static final class Waiting {
        final Block block;
        int missingParents;

        Waiting(final Block block) {
            this.block = block;
        }
    }

    static final class Missing {
        final int hintPeer;
        int attempts;
        long nextAttemptNs;

        Missing(final int hintPeer, final long nextAttemptNs) {
            this.hintPeer = hintPeer;
            this.nextAttemptNs = nextAttemptNs;
        }
    }

    PendingBlocks(final int committeeSize, final int maxTotal, final int maxPerAuthor) {
        this.perAuthor = new int[committeeSize];
        this.maxTotal = maxTotal;
        this.maxPerAuthor = maxPerAuthor;
    }

    boolean contains(final BlockRef ref) {
        return waiting.containsKey(ref);
    }

    boolean isMissing(final BlockRef ref) {
        return missing.containsKey(ref);
    }

    int size() {
        return waiting.size();
    }

    int missingCount() {
        return missing.size();
    }

    boolean hasRoomFor(final int author) {
        return waiting.size() < maxTotal && perAuthor[author] < maxPerAuthor;
    }

    /** Parks a block whose listed parents are not yet available; fetching starts at once. */
    void park(final Block block, final List<BlockRef> absentParents, final int hintPeer, final long nowNs) {
        assert !absentParents.isEmpty() && hasRoomFor(block.author());
        final Waiting entry = new Waiting(block);
        entry.missingParents = absentParents.size();
        waiting.put(block.ref(), entry);
        perAuthor[block.author()]++;
        for (final BlockRef parent : absentParents) {
            childrenOf.computeIfAbsent(parent, k -> new ArrayList<>(2)).add(block.ref());
            if (!waiting.containsKey(parent)) {
                missing.putIfAbsent(parent, new Missing(hintPeer, nowNs));
            }
        }
        missing.remove(block.ref());
    }

    /**
     * Records that {@code ref} is now in the DAG and returns the parked blocks that no longer
     * miss anything, removed from the buffer.
     */
    List<Block> resolve(final BlockRef ref) {
        missing.remove(ref);
        final List<BlockRef> children = childrenOf.remove(ref);
        if (children == null) {
            return List.of();
        }
        final List<Block> ready = new ArrayList<>();
        for (final BlockRef childRef : children) {
            final Waiting child = waiting.get(childRef);
            if (child != null && --child.missingParents == 0) {
                remove(childRef);
                ready.add(child.block);
            }
        }
        return ready;
    }

    /** Missing refs due for a (re)request at {@code nowNs}, in ref order. */
    List<Map.Entry<BlockRef, Missing>> due(final long nowNs, final int max) {
        final List<Map.Entry<BlockRef, Missing>> due = new ArrayList<>();
        for (final Map.Entry<BlockRef, Missing> entry : missing.entrySet()) {
            if (entry.getValue().nextAttemptNs <= nowNs) {
                due.add(entry);
                if (due.size() == max) {
                    break;
                }
            }
        }
        return due;
    }

    long nextAttemptNs() {
        long next = Long.MAX_VALUE;
        for (final Missing m : missing.values()) {
            next = Math.min(next, m.nextAttemptNs);
        }
        return next;
    }

    /**
     * Drops everything below the GC round: such blocks can no longer be committed. Parents that
     * fall below it count as available, so the blocks that waited only for them are returned ready.
     */
    List<Block> pruneBelow(final long gcRound) {
        missing.headMap(new BlockRef(0, gcRound, new byte[BlockRef.DIGEST_LENGTH]), false).clear();
        final List<BlockRef> drop = new ArrayList<>();
        for (final BlockRef ref : waiting.keySet()) {
            if (ref.round() < gcRound) {
                drop.add(ref);
            }
        }
        for (final BlockRef ref : drop) {
            remove(ref);
        }
        final List<BlockRef> gone = new ArrayList<>();
        for (final BlockRef ref : childrenOf.keySet()) {
            if (ref.round() < gcRound) {
                gone.add(ref);
            }
        }
        gone.sort(null);
        final List<Block> ready = new ArrayList<>();
        for (final BlockRef ref : gone) {
            ready.addAll(resolve(ref));
        }
        return ready;
    }

    private void remove(final BlockRef ref) {
        if (waiting.remove(ref) != null) {
            perAuthor[ref.author()]--;
        }
    }
}
