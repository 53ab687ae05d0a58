package io.basalt.xshard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.SignatureCheck;
import io.basalt.protocol.DecodeError;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.Templates;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two shards of four validators, each with its relay, wired by hand: every message a relay sends
 * is kept in a list and delivered (or not) by the test, so each rule is seen in isolation.
 */
class CrossShardRelayTest {
    private static final int NETWORK = 7;
    private static final int N = 4;
    private static final long MS = 1_000_000L;

    private final Ed25519 ed25519 = Ed25519.fromSystemProperties();
    private final KeyPair[][] keys = new KeyPair[2][N];
    private ShardCommittees committees;
    private final Node[][] nodes = new Node[2][N];
    private final BatchCodec codec = new BatchCodec();

    /** A message in flight: from (shard, validator) to (shard, validator). */
    private record Sent(int fromShard, int from, int toShard, int to, byte[] bytes) {
    }

    private final List<Sent> wire = new ArrayList<>();

    private final class Node implements CrossShardRelay.Outbox {
        final int shard;
        final int index;
        final CrossShardRelay relay;
        final List<byte[]> proposed = new ArrayList<>();
        final List<Long> acknowledged = new ArrayList<>();

        Node(final int shard, final int index) {
            this.shard = shard;
            this.index = index;
            final SignatureVerifier verifier = (key, message, offset, length, signature, signatureOffset) ->
                ed25519.check(key, 0, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID;
            this.relay = new CrossShardRelay(NETWORK, shard, index, committees, verifier,
                digest -> ed25519.sign(keys[shard][index], digest), this, RelayConfig.defaults());
        }

        @Override
        public void send(final int toShard, final int validator, final byte[] message) {
            wire.add(new Sent(shard, index, toShard, validator, message));
        }

        @Override
        public void propose(final byte[] certifiedMessage) {
            proposed.add(certifiedMessage);
        }

        @Override
        public void acknowledged(final int destShard, final long seq, final byte[] prefix) {
            acknowledged.add(seq);
        }
    }

    @BeforeEach
    void setUp() {
        final byte[][][] publicKeys = new byte[2][N][];
        for (int s = 0; s < 2; s++) {
            for (int v = 0; v < N; v++) {
                keys[s][v] = ed25519.generateKeyPair(new SecureRandom());
                publicKeys[s][v] = keys[s][v].publicKey();
            }
        }
        committees = ShardCommittees.ofEqualStake(publicKeys);
        for (int s = 0; s < 2; s++) {
            for (int v = 0; v < N; v++) {
                nodes[s][v] = new Node(s, v);
            }
        }
    }

    private byte[] batch(final long seq) {
        final byte[] to = new byte[32];
        to[0] = (byte) seq;
        return codec.encodePrefix(0, 1, seq, 1_000, List.of(new BatchCodec.Receipt(new byte[32], to, 0, 5 * seq)), List.of());
    }

    /** Delivers everything on the wire (and what that causes) to its receivers, at {@code nowNs}. */
    private void deliverAll(final long nowNs) {
        while (!wire.isEmpty()) {
            final Sent m = wire.removeFirst();
            nodes[m.toShard()][m.to()].relay.onMessage(m.fromShard(), m.from(), m.bytes(), nowNs);
        }
    }

    @Test
    void aQuorumOfSourceSignaturesCertifiesAndEveryDestinationProposesAValidCertificate() {
        final byte[] prefix = batch(1);
        for (int v = 0; v < 2; v++) {
            nodes[0][v].relay.onBatch(1, 1, prefix, 0);
        }
        deliverAll(0);
        assertEquals(0, nodes[1][0].proposed.size(), "f+1 = 2 signatures are not a certificate");
        nodes[0][2].relay.onBatch(1, 1, prefix, 0);
        deliverAll(0);
        final CertificateCheck check = new CertificateCheck(NETWORK, committees,
            (key, message, offset, length, signature, signatureOffset) ->
                ed25519.check(key, 0, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID);
        for (int v = 0; v < N; v++) {
            assertEquals(1, nodes[1][v].proposed.size(), "validator 1/" + v + " proposes once");
            final byte[] certified = nodes[1][v].proposed.getFirst();
            final UnsafeBuffer view = new UnsafeBuffer(certified);
            assertEquals(DecodeError.OK, MessageValidator.validate(view, 0, certified.length, Templates.CERTIFIED_MESSAGE));
            assertEquals(CertificateCheck.Verdict.OK, check.check(view, 0, certified.length, 1));
        }
    }

    @Test
    void aBadSignatureOrAForeignSignerIsCountedAndNeverCounted() {
        final byte[] prefix = batch(1);
        nodes[0][0].relay.onBatch(1, 1, prefix, 0);
        final Sent genuine = wire.getFirst();
        wire.clear();
        // The same bytes claimed by another validator: its key does not match the signature.
        nodes[1][0].relay.onMessage(0, 1, genuine.bytes(), 0);
        // A flipped bit in the signature.
        final byte[] flipped = genuine.bytes().clone();
        flipped[12] ^= 1;
        nodes[1][0].relay.onMessage(0, 0, flipped, 0);
        // Garbage, and a batch signature from the destination's own shard.
        nodes[1][0].relay.onMessage(0, 0, new byte[] {1, 2, 3}, 0);
        nodes[1][0].relay.onMessage(1, 2, genuine.bytes(), 0);
        final CrossShardRelay.Counters c = nodes[1][0].relay.counters();
        assertEquals(1, c.badSignatures);
        assertEquals(3, c.malformed, "the claimed signer differs from the sender, garbage, and a message from its own shard");
        assertEquals(0, c.signaturesAccepted);
    }

    @Test
    void unacknowledgedBatchesAreResentAndStopOnceFPlusOneDestinationsAcknowledge() {
        final byte[] prefix = batch(1);
        for (int v = 0; v < N; v++) {
            nodes[0][v].relay.onBatch(1, 1, prefix, 0);
        }
        wire.clear(); // lost
        nodes[0][0].relay.tick(10 * MS);
        assertTrue(wire.isEmpty(), "not yet: the resend interval has not passed");
        nodes[0][0].relay.tick(60 * MS);
        assertEquals(N, wire.size(), "resent to every destination validator");
        wire.clear();

        // Destination 1/0 applied seq 1 and acknowledges: f = 1 acknowledgement is not enough.
        nodes[1][0].relay.onApplied(0, 2, 60 * MS);
        deliverAll(60 * MS);
        assertEquals(List.of(), nodes[0][0].acknowledged);
        nodes[1][1].relay.onApplied(0, 2, 60 * MS);
        deliverAll(60 * MS);
        assertEquals(List.of(1L), nodes[0][0].acknowledged, "f+1 = 2 acknowledgements");
        nodes[0][0].relay.tick(200 * MS);
        assertTrue(wire.stream().noneMatch(m -> m.fromShard() == 0), "nothing left to resend");
    }

    @Test
    void aBatchTheDestinationAlreadyAppliedIsAnsweredWithAnAcknowledgement() {
        nodes[1][3].relay.onApplied(0, 5, 0);
        wire.clear();
        nodes[0][0].relay.onBatch(1, 3, batch(3), MS);
        final Sent toThree = wire.stream().filter(m -> m.to() == 3).findFirst().orElseThrow();
        wire.clear();
        nodes[1][3].relay.onMessage(0, 0, toThree.bytes(), 100 * MS);
        assertEquals(1, nodes[1][3].relay.counters().staleBatches);
        assertEquals(N, wire.size(), "an acknowledgement through 4 to every source validator");
        final Sent ack = wire.getFirst();
        assertEquals(Templates.BATCH_ACK, Templates.templateId(new UnsafeBuffer(ack.bytes()), 0));
    }

    @Test
    void signaturesFarAheadOfTheStreamAreDroppedAndConflictingBatchesAreCounted() {
        nodes[0][0].relay.onBatch(1, 1 + RelayConfig.defaults().maxAheadBatches(), batch(1 + RelayConfig.defaults().maxAheadBatches()), 0);
        deliverAll(0);
        assertEquals(1, nodes[1][0].relay.counters().aheadDropped);

        final byte[] honest = batch(1);
        final byte[] other = codec.encodePrefix(0, 1, 1, 1_000,
            List.of(new BatchCodec.Receipt(new byte[32], new byte[32], 0, 999)), List.of());
        nodes[0][0].relay.onBatch(1, 1, honest, 0);
        nodes[0][1].relay.onBatch(1, 1, other, 0); // a Byzantine source validator signs another batch 1
        nodes[0][2].relay.onBatch(1, 1, honest, 0);
        deliverAll(0);
        assertEquals(0, nodes[1][0].proposed.size(), "two matching signatures are not a quorum");
        assertEquals(1, nodes[1][0].relay.counters().conflictingRoots);
        nodes[0][3].relay.onBatch(1, 1, honest, 0);
        deliverAll(0);
        assertEquals(1, nodes[1][0].proposed.size());
        final byte[] certified = nodes[1][0].proposed.getFirst();
        assertArrayEquals(honest, java.util.Arrays.copyOf(certified, honest.length), "the honest batch was certified");
    }
}
