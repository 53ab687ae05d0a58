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
 * order; each remembers the peers known to hold it and how often it was asked for.
 */
final class PendingBlocks {
    private final Map<BlockRef, Waiting> waiting = new HashMap<>();
    private final Map<BlockRef, List<BlockRef>> childrenOf = new HashMap<>();
    private final TreeMap<BlockRef, Missing> missing = new TreeMap<>();
    private final int[] perAuthor;
    private final int maxTotal;
    private final int maxPerAuthor;
    private final long earlyRetryNs;

    static final class Waiting {
        final Block block;
        int missingParents;

        Waiting(final Block block) {
            this.block = block;
        }
    }

    /**
     * A ref to fetch. Every peer that sent a block referencing it holds it (an honest one does), so
     * those peers are asked first, in the order they became known; a peer learnt while an earlier
     * one has not answered is asked soon after ({@code earlyRetryNs}) instead of a whole retry period
     * later. That matters when the first hint is a withholding validator that never answers: the
     * honest validators it sends to would otherwise fetch each of its parents one retry period late
     * and fall behind for good (simulator seed 295, mix WITHHOLD, n = 7). Once every known holder was
     * asked, the others are asked in turn.
     */
    static final class Missing {
        private int[] holders = new int[2];
        private int holderCount;
        private int asked;
        int attempts;
        long nextAttemptNs;
        long lastAskedNs = Long.MIN_VALUE;

        Missing(final int hintPeer, final long nextAttemptNs) {
            this.holders[0] = hintPeer;
            this.holderCount = 1;
            this.nextAttemptNs = nextAttemptNs;
        }

        /** Records another peer that holds the ref; true when it is new. */
        boolean addHolder(final int peer) {
            for (int i = 0; i < holderCount; i++) {
                if (holders[i] == peer) {
                    return false;
                }
            }
            if (holderCount == holders.length) {
                holders = java.util.Arrays.copyOf(holders, holderCount * 2);
            }
            holders[holderCount++] = peer;
            return true;
        }

        /** The peer to ask now: the known holders not asked yet, then every peer in turn; never {@code self}. */
        int nextPeer(final int committeeSize, final int self) {
            int peer;
            if (asked < holderCount) {
                peer = holders[asked++];
            } else {
                peer = Math.floorMod(holders[0] + attempts, committeeSize);
            }
            if (peer == self) {
                peer = (peer + 1) % committeeSize;
            }
            return peer;
        }

        /** Whether a known holder has not been asked yet. */
        boolean hasUnaskedHolder() {
            return asked < holderCount;
        }
    }

    /** {@code earlyRetryNs}: how soon after asking one holder a newly learnt holder of the same ref is asked. */
    PendingBlocks(final int committeeSize, final int maxTotal, final int maxPerAuthor, final long earlyRetryNs) {
        this.perAuthor = new int[committeeSize];
        this.maxTotal = maxTotal;
        this.maxPerAuthor = maxPerAuthor;
        this.earlyRetryNs = earlyRetryNs;
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
                final Missing known = missing.get(parent);
                if (known == null) {
                    missing.put(parent, new Missing(hintPeer, nowNs));
                } else if (known.addHolder(hintPeer) && known.lastAskedNs != Long.MIN_VALUE) {
                    known.nextAttemptNs = Math.min(known.nextAttemptNs, known.lastAskedNs + earlyRetryNs);
                }
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
