package io.basalt.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.protocol.Layout;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.BatchAckDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.xshard.BatchCodec;
import io.basalt.xshard.CrossShardRelay;
import io.basalt.xshard.ShardCommittees;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The adversary's forgeries are the real thing where they must be: acks it signs verify, conflicting batches are well formed. */
class CrossShardAdversaryTest {
    private final Scenario scenario = Scenario.multiShard(9, 2, 4, Scenario.FaultMix.CLEAN, Scenario.CrossMix.FORGE);
    private final SimCrypto crypto = new SimCrypto(9, 2, 4);
    private final ShardCommittees committees = ShardCommittees.ofEqualStake(
        new byte[][][] {crypto.validatorKeys(0, 4), crypto.validatorKeys(4, 4)});

    /** A false acknowledgement only tests the relay if its signature is valid: the digest must be the relay's. */
    @Test
    void theAckDigestIsTheOneRelaysSign() {
        final List<byte[]> sent = new ArrayList<>();
        final CrossShardRelay relay = new CrossShardRelay(SimCrypto.NETWORK_ID, 1, 2, committees, crypto.crossShardVerifier(),
            digest -> crypto.signDigest(4 + 2, digest), new CrossShardRelay.Outbox() {
                @Override
                public void send(final int shard, final int validator, final byte[] message) {
                    sent.add(message);
                }

                @Override
                public void propose(final byte[] certifiedMessage) {
                }

                @Override
                public void acknowledged(final int destShard, final long seq, final byte[] prefix) {
                }
            }, Simulation.RELAY);
        relay.onApplied(0, 8, 0);
        assertEquals(4, sent.size(), "one ack per validator of the source");
        final UnsafeBuffer view = new UnsafeBuffer(sent.get(0));
        assertEquals(Templates.BATCH_ACK, Templates.templateId(view, 0));
        final BatchAckDecoder ack = new BatchAckDecoder().wrapAndApplyHeader(view, 0, new MessageHeaderDecoder());
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ack.getSignature(signature, 0, signature.length);
        final byte[] digest = CrossShardAdversary.ackDigest(0, 1, 7);
        assertTrue(crypto.crossShardVerifier().verify(committees.publicKey(1, 2), digest, 0, digest.length, signature, 0));
    }

    @Test
    void aConflictingBatchIsWellFormedDeterministicAndDifferent() {
        final Workload workload = new Workload(scenario, crypto);
        final CrossShardAdversary adversary = new CrossShardAdversary(scenario, crypto, committees, workload,
            new SplittableRandom(1));
        final BatchCodec codec = new BatchCodec();
        final byte[] real = codec.encodePrefix(0, 1, 3, 100, List.of(
            new BatchCodec.Receipt(new byte[32], workload.fundedAccount(1, 0), 0, 5)), List.of());
        final byte[] conflicting = adversary.conflictingPrefix(real);
        assertFalse(java.util.Arrays.equals(real, conflicting));
        assertArrayEquals(conflicting, adversary.conflictingPrefix(real), "colluders must sign the same conflicting root");
        assertTrue(codec.rootMatches(new UnsafeBuffer(conflicting), 0, conflicting.length));
        final UnsafeBuffer view = new UnsafeBuffer(conflicting);
        assertEquals(3, BatchCodec.seq(view, 0));
        assertEquals(0, BatchCodec.sourceShard(view, 0));
        assertEquals(1, BatchCodec.destShard(view, 0));
    }
}
