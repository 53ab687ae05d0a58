package io.basalt.sim;

import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.ConsensusPublisher;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Byzantine behaviours inside a shard ({@link Behaviour}): what a validator puts on its
 * committee's network when its core broadcasts a block. Honest validators send the block to every
 * peer; the others equivocate, withhold, add invalid messages or flood.
 */
final class ConsensusAdversary {
    /** Sends bytes between two validators of one shard (global indices). */
    @FunctionalInterface
    interface Wire {
        void send(int fromGlobal, int toGlobal, byte[] bytes);
    }

    private final int n;
    private final int maxFaulty;
    private final SplittableRandom random;
    private final SimCrypto crypto;
    private final Wire wire;
    private final ConsensusPublisher requests = new ConsensusPublisher();
    private long nextRequestId = 1L << 40;

    /** Skew of a SKEW_AHEAD validator's timestamps: far beyond any allowed clock skew. */
    static final long SKEW_MS = 3_600_000L;
    /** Requests a REQUEST_FLOOD validator sends each peer per own block. */
    static final int REQUESTS_PER_BLOCK = 40;

    ConsensusAdversary(final int validatorsPerShard, final int maxFaulty, final SplittableRandom random,
                       final SimCrypto crypto, final Wire wire) {
        this.n = validatorsPerShard;
        this.maxFaulty = maxFaulty;
        this.random = random;
        this.crypto = crypto;
        this.wire = wire;
    }

    /** Validator {@code global} (of behaviour {@code behaviour}, signing with {@code codec}) broadcasts its block. */
    void broadcastBlock(final int global, final Behaviour behaviour, final BlockCodec codec, final Block block) {
        switch (behaviour) {
            case EQUIVOCATE -> equivocate(global, codec, block);
            case WITHHOLD -> withhold(global, block);
            case INVALID -> {
                broadcast(global, block.encoded());
                sendInvalid(global, codec, block);
            }
            case FLOOD_AHEAD -> {
                broadcast(global, block.encoded());
                flood(global, codec, block);
            }
            case SKEW_AHEAD -> broadcast(global, codec.build(block.shardId(), block.author(), block.round(),
                block.timestampMs() + SKEW_MS, parentsOf(block), transactionsOf(block)).encoded());
            case REQUEST_FLOOD -> {
                broadcast(global, block.encoded());
                floodRequests(global, block);
            }
            default -> broadcast(global, block.encoded());
        }
    }

    private int peer(final int global, final int index) {
        return global / n * n + index;
    }

    private void broadcast(final int global, final byte[] bytes) {
        for (int to = 0; to < n; to++) {
            wire.send(global, peer(global, to), bytes);
        }
    }

    /** Two blocks for the round: half the peers get the real one, the rest a twin with no payload. */
    private void equivocate(final int global, final BlockCodec codec, final Block block) {
        final Block twin = codec.build(block.shardId(), block.author(), block.round(), block.timestampMs() + 1,
            parentsOf(block), new byte[0][]);
        for (int to = 0; to < n; to++) {
            wire.send(global, peer(global, to), to % 2 == 0 ? block.encoded() : twin.encoded());
        }
    }

    /** Only f peers ever see this validator's blocks. */
    private void withhold(final int global, final Block block) {
        int sent = 0;
        for (int to = 0; to < n && sent < maxFaulty; to++) {
            if (to != global % n) {
                wire.send(global, peer(global, to), block.encoded());
                sent++;
            }
        }
    }

    /** Each peer gets one kind of bad message: flipped bits, a forged signature, a bad transaction, garbage. */
    private void sendInvalid(final int global, final BlockCodec codec, final Block block) {
        for (int to = 0; to < n; to++) {
            if (to == global % n) {
                continue;
            }
            final byte[] bad = switch (random.nextInt(5)) {
                case 0 -> flipOneBit(block.encoded());
                case 1 -> new BlockCodec(crypto.forger(random.nextLong())).build(block.shardId(), block.author(),
                    block.round(), block.timestampMs() + 2, parentsOf(block), new byte[0][]).encoded();
                case 2 -> codec.build(block.shardId(), block.author(), block.round(), block.timestampMs() + 3,
                    parentsOf(block), new byte[][] {crypto.badlySignedTransfer(-random.nextInt(1_000_000) - 1)})
                    .encoded();
                case 3 -> java.util.Arrays.copyOf(block.encoded(), random.nextInt(block.encoded().length));
                default -> garbage();
            };
            wire.send(global, peer(global, to), bad);
        }
    }

    /** Validly signed blocks far ahead, and near blocks whose parents nobody has. */
    private void flood(final int global, final BlockCodec codec, final Block block) {
        final int author = global % n;
        final long far = block.round() + 1_000 + random.nextInt(1_000);
        broadcast(global, codec.build(block.shardId(), author, far, block.timestampMs(),
            inventedParents(author, far), new byte[0][]).encoded());
        final long near = block.round() + 1 + random.nextInt(5);
        broadcast(global, codec.build(block.shardId(), author, near, block.timestampMs(),
            inventedParents(author, near), new byte[0][]).encoded());
    }

    /** Range requests over the last rounds and block requests for the block's parents, to every peer. */
    private void floodRequests(final int global, final Block block) {
        final int author = global % n;
        final List<BlockRef> parents = List.of(parentsOf(block));
        for (int to = 0; to < n; to++) {
            if (to == author) {
                continue;
            }
            for (int i = 0; i < REQUESTS_PER_BLOCK; i++) {
                final byte[] request = i % 2 == 0
                    ? requests.rangeRequest(author, nextRequestId++, Math.max(1, block.round() - 16), block.round())
                    : requests.blockRequest(author, nextRequestId++, parents);
                wire.send(global, peer(global, to), request);
            }
        }
    }

    private static byte[][] transactionsOf(final Block block) {
        final byte[][] transactions = new byte[block.transactionCount()][];
        for (int i = 0; i < transactions.length; i++) {
            transactions[i] = block.transaction(i);
        }
        return transactions;
    }

    private BlockRef[] inventedParents(final int author, final long round) {
        final BlockRef[] parents = new BlockRef[n];
        parents[0] = new BlockRef(author, round - 1, randomDigest());
        int i = 1;
        for (int a = 0; a < n; a++) {
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
}
