package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.SignatureCheck;
import io.basalt.protocol.Layout;
import io.basalt.protocol.OpaquePayloadEncoding;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * OpaquePayload (template 20) is the consensus-only benchmark's payload: the wire format lets a
 * block carry it, but a production validator, whose verifier is {@link SignedBlockVerifier}, must
 * refuse any block that does. Real Ed25519 keys and signatures, so the refusal is the payload's
 * and not the block signature's.
 */
class OpaquePayloadRejectionTest {
    private static final int N = 4;
    private static final long MS = 1_000_000L;

    private final Ed25519 ed25519 = Ed25519.fromSystemProperties();
    private final KeyPair[] keys = new KeyPair[N];
    private final Committee committee;
    private final SignatureScheme scheme = (publicKey, keyOffset, message, offset, length, signature, signatureOffset) ->
        ed25519.check(publicKey, keyOffset, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID;

    OpaquePayloadRejectionTest() {
        final SecureRandom random = new SecureRandom();
        final byte[][] publicKeys = new byte[N][];
        for (int v = 0; v < N; v++) {
            keys[v] = ed25519.generateKeyPair(random);
            publicKeys[v] = keys[v].publicKey();
        }
        committee = Committee.ofEqualStake(0, publicKeys);
    }

    @Test
    void signedBlockVerifierRejectsABlockCarryingAnOpaquePayload() {
        final BlockCodec codec = codec(1);
        final Block clean = roundOneBlock(codec, 1, new byte[0][]);
        final Block opaque = roundOneBlock(codec, 1, new byte[][] {opaquePayload(100)});

        final SignedBlockVerifier verifier = new SignedBlockVerifier(scheme);
        assertNull(verifier.verify(clean, committee), "the same author's block without the payload is valid");
        // As a peer receives it: the bytes validate and decode, the verifier refuses the payload.
        final Block received = new BlockCodec(null).decode(opaque.encoded());
        assertNotNull(received, "the wire format allows an opaque payload inside a block");
        assertEquals(RejectReason.BAD_TRANSACTION, verifier.verify(received, committee));
        assertEquals(false, verifier.verifyTransaction(received.encoded(), received.transactionOffset(0),
            received.transactionLength(0)));
    }

    @Test
    void aProductionCoreRejectsThePeersBlockAndCountsIt() {
        final ConsensusCore core = new ConsensusCore(CoreConfig.defaults(), committee, 0, codec(0),
            new SignedBlockVerifier(scheme), new MemoryStorage(), new RecordingOutbox(new ArrayList<>()), subDag -> { });
        core.start(0);
        final Block opaque = roundOneBlock(codec(2), 2, new byte[][] {opaquePayload(100)});
        core.onBlock(2, new BlockCodec(null).decode(opaque.encoded()), MS);
        assertEquals(1, core.rejectCount(2, RejectReason.BAD_TRANSACTION));
        assertEquals(0, core.quorumRound(), "the block did not enter the DAG");
    }

    private BlockCodec codec(final int validator) {
        return new BlockCodec((digest, signatureOut) -> ed25519.sign(keys[validator], digest, 0, digest.length, signatureOut, 0));
    }

    private static Block roundOneBlock(final BlockCodec codec, final int author, final byte[][] transactions) {
        final List<BlockRef> parents = new ArrayList<>();
        parents.add(ConsensusCore.genesisRef(0, author));
        for (int a = 0; a < N; a++) {
            if (a != author) {
                parents.add(ConsensusCore.genesisRef(0, a));
            }
        }
        return codec.build(0, author, 1, 1, parents.toArray(new BlockRef[0]), transactions);
    }

    private static byte[] opaquePayload(final int payloadBytes) {
        final byte[] payload = new byte[Layout.opaquePayloadLength(payloadBytes)];
        final int length = new OpaquePayloadEncoding().encode(new UnsafeBuffer(payload), 0, new byte[payloadBytes], 0, payloadBytes);
        assertTrue(length == payload.length);
        return payload;
    }
}
