package io.basalt.node.net;

import io.basalt.crypto.CryptoConfig;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.PeerKeyAgreement;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test support for attacks on the peer links: deterministic genesis keys for a topology, and the sealing
 * (sequence number and tag) that a transport applies, so a test can write messages as a given key would.
 */
public final class PeerMessages {
    public static final Ed25519 ED25519 = Ed25519.create(CryptoConfig.AUTO);
    public static final PeerKeyAgreement AGREEMENT = PeerKeyAgreement.create(CryptoConfig.AUTO);

    private final int networkId;
    private final KeyPair[][] keys;
    private final byte[][][] publicKeys;

    /** Keys for {@code sizes[s]} validators in each shard {@code s}, the same for the same seed. */
    public PeerMessages(final int networkId, final int[] sizes, final long seed) {
        this.networkId = networkId;
        final SplittableRandom random = new SplittableRandom(seed);
        keys = new KeyPair[sizes.length][];
        publicKeys = new byte[sizes.length][][];
        for (int s = 0; s < sizes.length; s++) {
            keys[s] = new KeyPair[sizes[s]];
            publicKeys[s] = new byte[sizes[s]][];
            for (int v = 0; v < sizes[s]; v++) {
                keys[s][v] = key(random);
                publicKeys[s][v] = keys[s][v].publicKey();
            }
        }
    }

    public static KeyPair key(final SplittableRandom random) {
        final byte[] seed = new byte[32];
        random.nextBytes(seed);
        return ED25519.keyPairFromSeed(seed);
    }

    public KeyPair key(final int shard, final int validator) {
        return keys[shard][validator];
    }

    public PeerAuth consensus(final int shard, final int validator) {
        return PeerAuth.consensus(AGREEMENT, keys[shard][validator], networkId, shard, validator, publicKeys[shard],
            PeerAuth.firstSequence(System.currentTimeMillis()));
    }

    public PeerAuth crossShard(final int shard, final int validator) {
        return PeerAuth.crossShard(AGREEMENT, keys[shard][validator], networkId, shard, validator, publicKeys,
            PeerAuth.firstSequence(System.currentTimeMillis()));
    }

    /**
     * The consensus links of {@code impostor} sitting in seat {@code shard/validator} of this genesis: what a
     * process holding a key that is not the seat's can derive. Its tags are under the wrong keys.
     */
    public PeerAuth consensusImpostor(final KeyPair impostor, final int shard, final int validator,
                                      final long firstSequence) {
        final byte[][] committee = publicKeys[shard].clone();
        committee[validator] = impostor.publicKey();
        return PeerAuth.consensus(AGREEMENT, impostor, networkId, shard, validator, committee, firstSequence);
    }

    /** The cross-shard counterpart of {@link #consensusImpostor}. */
    public PeerAuth crossShardImpostor(final KeyPair impostor, final int shard, final int validator,
                                       final long firstSequence) {
        final byte[][][] table = publicKeys.clone();
        table[shard] = publicKeys[shard].clone();
        table[shard][validator] = impostor.publicKey();
        return PeerAuth.crossShard(AGREEMENT, impostor, networkId, shard, validator, table, firstSequence);
    }

    /**
     * Stamps the consensus message in {@code message} (header already written, {@code payloadLength} bytes of
     * payload after it) with {@code auth}'s next sequence number to {@code peer} and its tag, whatever sender the
     * header claims.
     */
    public static void sealConsensus(final PeerAuth auth, final int peer, final UnsafeBuffer message,
                                     final int payloadLength) {
        final byte[] bytes = message.byteArray();
        MessageHeader.sequence(message, 0, auth.nextSequence(auth.shardId(), peer));
        auth.sendMac(auth.shardId(), peer).tag(bytes, 0, MessageHeader.AUTHENTICATED_LENGTH, bytes,
            MessageHeader.LENGTH, payloadLength, bytes, MessageHeader.TAG_OFFSET);
    }

    /** Stamps a cross-shard message to {@code destShard/destValidator} as {@link #sealConsensus} does. */
    public static void sealCrossShard(final PeerAuth auth, final int destShard, final int destValidator,
                                      final UnsafeBuffer message, final int payloadLength) {
        final byte[] bytes = message.byteArray();
        CrossShardHeader.sequence(message, 0, auth.nextSequence(destShard, destValidator));
        auth.sendMac(destShard, destValidator).tag(bytes, 0, CrossShardHeader.AUTHENTICATED_LENGTH, bytes,
            CrossShardHeader.LENGTH, payloadLength, bytes, CrossShardHeader.TAG_OFFSET);
    }
}
