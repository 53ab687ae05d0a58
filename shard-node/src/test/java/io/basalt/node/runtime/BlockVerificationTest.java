package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Sha256;
import io.basalt.crypto.SignatureCheck;
import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.Committee;
import io.basalt.dag.ConsensusCore;
import io.basalt.dag.RejectReason;
import io.basalt.dag.SignatureScheme;
import io.basalt.dag.SignedBlockVerifier;
import io.basalt.node.net.Doorbell;
import io.basalt.node.net.TransportCounters;
import io.basalt.protocol.SignedRegion;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real block stage over real Ed25519 (as the node wires it): verdicts, the split of a block's
 * transactions over the handlers, the skip of bytes admitted here, and the doorbell.
 */
class BlockVerificationTest {
    private static final int N = 4;
    private static final int NETWORK_ID = 7;
    private static final long POLL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private static final Ed25519 ED25519 = Ed25519.fromSystemProperties();
    private static final SignatureScheme SCHEME =
        (publicKey, keyOffset, message, offset, length, signature, signatureOffset) ->
            ED25519.check(publicKey, keyOffset, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID;

    private final SecureRandom random = new SecureRandom();
    private final KeyPair[] validators = new KeyPair[N];
    private final Committee committee;
    private final KeyPair alice = ED25519.generateKeyPair(random);
    private final byte[] bob = ED25519.generateKeyPair(random).publicKey();
    private final Transfers transfers = new Transfers(ED25519, NETWORK_ID, 10);
    private final NodeMetrics metrics = new NodeMetrics(0, 0, new TransportCounters());
    private final InFlight inFlight = new InFlight(1024);
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    private BlockVerification stage;
    private long nonce;

    BlockVerificationTest() {
        final byte[][] keys = new byte[N][];
        for (int v = 0; v < N; v++) {
            validators[v] = ED25519.generateKeyPair(random);
            keys[v] = validators[v].publicKey();
        }
        committee = Committee.ofEqualStake(0, keys);
    }

    @AfterEach
    void close() {
        if (stage != null) {
            stage.close();
        }
        assertTrue(fatal.isEmpty(), "the stage reported a fatal error: " + fatal);
    }

    private BlockVerification stage(final int handlers, final Doorbell doorbell) {
        stage = new BlockVerification(committee, inFlight, metrics, handlers, () -> new SignedBlockVerifier(SCHEME),
            doorbell, fatal::add, IdleMode.BACKOFF, Thread.ofPlatform().daemon().name("verify-test-", 0).factory());
        return stage;
    }

    private byte[] transfer() {
        return transfers.transfer(alice, bob, 1 + nonce, ++nonce, 1_800_000_000_000L);
    }

    private List<byte[]> transfers(final int count) {
        final List<byte[]> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            txs.add(transfer());
        }
        return txs;
    }

    /** A round-1 block by {@code author}, signed with {@code signer}'s key, as a peer would decode it. */
    private Block block(final int author, final KeyPair signer, final List<byte[]> txs) {
        final BlockRef[] parents = new BlockRef[N];
        parents[0] = ConsensusCore.genesisRef(0, author);
        int i = 1;
        for (int a = 0; a < N; a++) {
            if (a != author) {
                parents[i++] = ConsensusCore.genesisRef(0, a);
            }
        }
        final Block built = new BlockCodec((digest, out) -> ED25519.sign(signer, digest, 0, digest.length, out, 0))
            .build(0, author, 1, 1, parents, txs.toArray(new byte[0][]));
        final Block received = new BlockCodec(null).decode(built.encoded());
        assertNotNull(received, "the test block must decode");
        return received;
    }

    /** The same transaction with one bit of its (first) signature flipped: same id, bad signature. */
    private static byte[] flipSignatureBit(final byte[] tx) {
        final byte[] copy = tx.clone();
        final int signatureOffset = SignedRegion.signatureOffset(new UnsafeBuffer(copy), 0, copy.length, 0);
        copy[signatureOffset + 5] ^= 0x10;
        return copy;
    }

    private static byte[] id(final byte[] tx) {
        final byte[] id = new byte[32];
        new Sha256().digest(tx, 0, SignedRegion.signedLength(new UnsafeBuffer(tx), 0, tx.length), id, 0);
        return id;
    }

    /** As admission puts them there. */
    private void admit(final byte[] tx) {
        assertEquals(InFlight.Added.ADDED, inFlight.tryAdd(new AdmittedTx(tx, id(tx), 1_800_000_000_000L, System.nanoTime())));
    }

    private BlockVerification.Verified verify(final BlockVerification s, final Block block, final long requestId) {
        assertTrue(s.tryPublish(2, requestId, block), "the ring has room");
        final long deadline = System.nanoTime() + POLL_TIMEOUT_NS;
        BlockVerification.Verified v;
        while ((v = s.poll()) == null) {
            assertTrue(System.nanoTime() < deadline, "no verdict within 5 s");
            LockSupport.parkNanos(100_000);
        }
        assertSame(block, v.block());
        assertEquals(2, v.from());
        assertEquals(requestId, v.requestId());
        return v;
    }

    @ParameterizedTest(name = "{0} handlers")
    @ValueSource(ints = {1, 3})
    void aWellSignedBlockOfTransfersPasses(final int handlers) {
        final BlockVerification s = stage(handlers, new Doorbell());
        final Block block = block(2, validators[2], transfers(7));

        assertNull(verify(s, block, 41).reason());
        assertEquals(7, metrics.blockSignaturesVerified.get(), "every signature checked exactly once");
        assertEquals(0, metrics.signaturesAlreadyVerified.get());
        assertEquals(1, metrics.blocksVerified.get());
        assertNull(s.poll(), "one verdict per block");

        // An empty block is only the author's signature.
        assertNull(verify(s, block(2, validators[2], List.of()), 42).reason());
        assertEquals(2, metrics.blocksVerified.get());
    }

    @ParameterizedTest(name = "{0} handlers")
    @ValueSource(ints = {1, 3})
    void aBlockSignedByAnotherKeyIsBadSignature(final int handlers) {
        final BlockVerification s = stage(handlers, new Doorbell());
        assertEquals(RejectReason.BAD_SIGNATURE, verify(s, block(2, validators[3], transfers(4)), 1).reason());
        // Author 2's block signed by a key outside the committee too.
        assertEquals(RejectReason.BAD_SIGNATURE,
            verify(s, block(2, ED25519.generateKeyPair(random), transfers(1)), 2).reason());
        // And the stage goes on: the next good block passes.
        assertNull(verify(s, block(2, validators[2], transfers(2)), 3).reason());
    }

    @ParameterizedTest(name = "{0} handlers")
    @ValueSource(ints = {1, 3})
    void oneBadTransactionSignatureRejectsTheBlockWhicheverHandlerHoldsIt(final int handlers) {
        final BlockVerification s = stage(handlers, new Doorbell());
        final int count = 5;
        for (int bad = 0; bad < count; bad++) {
            final List<byte[]> txs = transfers(count);
            txs.set(bad, flipSignatureBit(txs.get(bad)));
            final BlockVerification.Verified v = verify(s, block(2, validators[2], txs), bad);
            assertEquals(RejectReason.BAD_TRANSACTION, v.reason(), "bad transaction at index " + bad);
        }
        assertNull(verify(s, block(2, validators[2], transfers(count)), 99).reason(), "a verdict is not sticky");
    }

    @ParameterizedTest(name = "{0} handlers")
    @ValueSource(ints = {1, 3})
    void bytesAdmittedHereAreNotVerifiedAgain(final int handlers) {
        final BlockVerification s = stage(handlers, new Doorbell());
        final List<byte[]> txs = transfers(6);
        admit(txs.get(0));
        admit(txs.get(3));
        admit(txs.get(4));

        assertNull(verify(s, block(2, validators[2], txs), 1).reason());
        assertEquals(3, metrics.signaturesAlreadyVerified.get(), "the three admitted ones are skipped");
        assertEquals(3, metrics.blockSignaturesVerified.get(), "the three others are verified");
    }

    @ParameterizedTest(name = "{0} handlers")
    @ValueSource(ints = {1, 3})
    void theSkipNeedsIdenticalBytesNotJustTheSameId(final int handlers) {
        final BlockVerification s = stage(handlers, new Doorbell());
        final List<byte[]> txs = transfers(4);
        for (final byte[] tx : txs) {
            admit(tx);
        }
        final byte[] forged = flipSignatureBit(txs.get(2));
        assertTrue(java.util.Arrays.equals(id(txs.get(2)), id(forged)), "same signed bytes, same id");
        final List<byte[]> inBlock = new ArrayList<>(txs);
        inBlock.set(2, forged);

        assertEquals(RejectReason.BAD_TRANSACTION, verify(s, block(2, validators[2], inBlock), 1).reason());
        assertEquals(0, metrics.blockSignaturesVerified.get(), "the forged one was checked and failed");
        assertTrue(metrics.signaturesAlreadyVerified.get() <= 3, "the forged one was not skipped");
    }

    @ParameterizedTest(name = "{0} handlers")
    @ValueSource(ints = {1, 3})
    void theDoorbellWakesAParkedAgent(final int handlers) throws InterruptedException {
        final Doorbell doorbell = new Doorbell();
        final BlockVerification s = stage(handlers, doorbell);
        final CountDownLatch announced = new CountDownLatch(1);
        final long parkNs = TimeUnit.SECONDS.toNanos(30);
        final long[] parkedFor = {-1};
        final Thread agent = Thread.ofPlatform().daemon().start(() -> {
            doorbell.beforePark();
            announced.countDown();
            final long start = System.nanoTime();
            LockSupport.parkNanos(parkNs); // a ring before this line leaves a permit: no lost wake-up
            parkedFor[0] = System.nanoTime() - start;
            doorbell.afterPark();
        });
        assertTrue(announced.await(5, TimeUnit.SECONDS));
        final Block block = block(2, validators[2], transfers(3));
        assertTrue(s.tryPublish(2, 7, block));

        agent.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(!agent.isAlive(), "the agent was not woken: it is still parked");
        assertTrue(parkedFor[0] >= 0 && parkedFor[0] < TimeUnit.SECONDS.toNanos(10),
            "woken well before its 30 s park ended, took " + parkedFor[0] + " ns");
        assertTrue(doorbell.rings() >= 1, "the stage rang the doorbell");
        final BlockVerification.Verified v = s.poll();
        assertNotNull(v, "the verdict is queued before the ring");
        assertNull(v.reason());
    }
}
