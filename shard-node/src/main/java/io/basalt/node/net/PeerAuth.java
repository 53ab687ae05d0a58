package io.basalt.node.net;

import io.basalt.crypto.KeyPair;
import io.basalt.crypto.PeerKeyAgreement;
import io.basalt.crypto.PeerKeys;
import io.basalt.crypto.PeerMac;
import java.util.Arrays;

/**
 * The authentication state of one transport's links: a MAC key and a sequence number per direction and per remote
 * validator, all derived at start-up from the genesis keys (no handshake, no message exchanged).
 *
 * <pre>
 *   secret(a, b)    = X25519(a's Ed25519 seed -> scalar, b's Ed25519 key -> Montgomery u)   PeerKeyAgreement
 *   key(a -> b)     = HKDF-SHA256(secret, sorted keys; purpose, networkId, seat a, seat b)   PeerKeys
 *   tag(message)    = HMAC-SHA256(key(sender -> receiver), header up to the tag || payload)[0, 16)   PeerMac
 * </pre>
 *
 * Sequence numbers are per (sender, receiver, purpose): the sender stamps each message with the next one, the
 * receiver accepts a message only if its tag verifies and its number is above the last accepted from that sender,
 * so a replayed or stale message is dropped. Numbers start at {@link #firstSequence} of the wall clock at start-up,
 * so that a restarted sender resumes above everything its earlier run sent without writing anything to disk; the
 * price is that a sender whose clock went back across a restart is not heard until its numbers pass the old ones.
 *
 * <p>Used by the one thread that owns the transport: nothing here is thread-safe.
 */
public final class PeerAuth {
    /** KDF purpose of the consensus links (blocks, sync requests and responses). */
    public static final String CONSENSUS = "basalt-consensus";
    /** KDF purpose of the cross-shard links (receipt batches, signatures, swap votes, acks). */
    public static final String CROSS_SHARD = "basalt-cross-shard";

    private final int shardId;
    private final int self;
    /** By shard, then validator; null where there is no link (ourselves, or a shard this purpose does not reach). */
    private final PeerMac[][] sendMacs;
    private final PeerMac[][] receiveMacs;
    private final long[][] nextSend;
    private final long[][] lastReceived;

    private PeerAuth(final int shardId, final int self, final int[] sizes, final long firstSequence) {
        if (firstSequence <= 0) {
            throw new IllegalArgumentException("the first sequence number must be positive: " + firstSequence);
        }
        this.shardId = shardId;
        this.self = self;
        this.sendMacs = new PeerMac[sizes.length][];
        this.receiveMacs = new PeerMac[sizes.length][];
        this.nextSend = new long[sizes.length][];
        this.lastReceived = new long[sizes.length][];
        for (int s = 0; s < sizes.length; s++) {
            sendMacs[s] = new PeerMac[sizes[s]];
            receiveMacs[s] = new PeerMac[sizes[s]];
            nextSend[s] = new long[sizes[s]];
            lastReceived[s] = new long[sizes[s]];
            Arrays.fill(nextSend[s], firstSequence);
        }
    }

    /** The first sequence number of a sender that starts at {@code epochMs}: a million per millisecond of wall clock. */
    public static long firstSequence(final long epochMs) {
        return Math.multiplyExact(epochMs, 1_000_000L);
    }

    /** The links of validator {@code self} to the rest of its own shard's committee ({@code committeeKeys}). */
    public static PeerAuth consensus(final PeerKeyAgreement agreement, final KeyPair own, final int networkId,
                                     final int shardId, final int self, final byte[][] committeeKeys,
                                     final long firstSequence) {
        final byte[][][] keys = new byte[shardId + 1][][];
        for (int s = 0; s < shardId; s++) {
            keys[s] = new byte[0][];
        }
        keys[shardId] = committeeKeys;
        return derive(agreement, own, CONSENSUS, networkId, shardId, self, keys, true, firstSequence);
    }

    /** The links of validator {@code self} of {@code shardId} to every validator of every other shard. */
    public static PeerAuth crossShard(final PeerKeyAgreement agreement, final KeyPair own, final int networkId,
                                      final int shardId, final int self, final byte[][][] keysByShard,
                                      final long firstSequence) {
        return derive(agreement, own, CROSS_SHARD, networkId, shardId, self, keysByShard, false, firstSequence);
    }

    private static PeerAuth derive(final PeerKeyAgreement agreement, final KeyPair own, final String purpose,
                                   final int networkId, final int shardId, final int self, final byte[][][] keys,
                                   final boolean ownShard, final long firstSequence) {
        if (shardId < 0 || shardId >= keys.length || self < 0 || self >= keys[shardId].length) {
            throw new IllegalArgumentException("validator " + shardId + "/" + self + " is not in the key table");
        }
        if (!Arrays.equals(keys[shardId][self], own.publicKey())) {
            throw new IllegalArgumentException("the key of validator " + shardId + "/" + self
                + " does not match its seat in the key table");
        }
        final int[] sizes = new int[keys.length];
        for (int s = 0; s < keys.length; s++) {
            sizes[s] = keys[s].length;
        }
        final PeerAuth auth = new PeerAuth(shardId, self, sizes, firstSequence);
        final PeerKeys.Seat me = new PeerKeys.Seat(shardId, self, own.publicKey());
        for (int s = 0; s < keys.length; s++) {
            if ((s == shardId) != ownShard) {
                continue;
            }
            for (int v = 0; v < keys[s].length; v++) {
                if (s == shardId && v == self) {
                    continue;
                }
                final PeerKeys.Seat peer = new PeerKeys.Seat(s, v, keys[s][v]);
                final byte[] secret;
                try {
                    secret = agreement.sharedSecret(own, keys[s][v]);
                } catch (final IllegalArgumentException e) {
                    throw new IllegalArgumentException("validator " + s + "/" + v + ": " + e.getMessage(), e);
                }
                final byte[] out = PeerKeys.directionKey(secret, purpose, networkId, me, peer);
                final byte[] in = PeerKeys.directionKey(secret, purpose, networkId, peer, me);
                auth.sendMacs[s][v] = new PeerMac(out);
                auth.receiveMacs[s][v] = new PeerMac(in);
                Arrays.fill(secret, (byte) 0);
                Arrays.fill(out, (byte) 0);
                Arrays.fill(in, (byte) 0);
            }
        }
        return auth;
    }

    public int shardId() {
        return shardId;
    }

    public int self() {
        return self;
    }

    /** Whether there is a link to validator {@code validator} of {@code shard} under this purpose. */
    public boolean hasLink(final int shard, final int validator) {
        return shard >= 0 && shard < sendMacs.length && validator >= 0 && validator < sendMacs[shard].length
            && sendMacs[shard][validator] != null;
    }

    /** The sequence number of the next message to that validator; each call uses one up, sent or not. */
    long nextSequence(final int shard, final int validator) {
        return nextSend[shard][validator]++;
    }

    PeerMac sendMac(final int shard, final int validator) {
        return sendMacs[shard][validator];
    }

    PeerMac receiveMac(final int shard, final int validator) {
        return receiveMacs[shard][validator];
    }

    /**
     * Accepts {@code sequence} from that validator if it is above every number accepted from it so far; call only
     * once the tag verified, so that a forger cannot move the window.
     */
    boolean acceptSequence(final int shard, final int validator, final long sequence) {
        if (sequence <= lastReceived[shard][validator]) {
            return false;
        }
        lastReceived[shard][validator] = sequence;
        return true;
    }
}
