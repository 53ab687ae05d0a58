package io.basalt.exec;

import static io.basalt.exec.TestNetwork.FEE;
import static io.basalt.exec.TestNetwork.FUNDS;
import static io.basalt.exec.TestNetwork.NETWORK_ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.sbe.SwapVote;
import io.basalt.xshard.BatchCodec;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certified batches that must never apply: each is refused and leaves the destination as it was,
 * and the genuine batch still applies afterwards (the bad one did not use up its seq).
 */
class BadCertificateTest {
    private final TestNetwork net = new TestNetwork(2, 31);
    private final TestNetwork.Shard s0 = net.shard(0);
    private final TestNetwork.Shard s1 = net.shard(1);
    private final KeyPair alice = net.account(0, 0);
    private final KeyPair bob = net.account(1, 0);
    private final BatchCodec codec = new BatchCodec();
    private byte[] transfer;
    private byte[] prefix;

    @BeforeEach
    void sendOneTransfer() {
        transfer = net.transfer(alice, bob, 0, 300);
        s0.run(transfer);
        prefix = net.prefix(0, 1, 1);
    }

    @Test
    void onlyFPlusOneSigners() {
        refused(net.certify(prefix, 0, new int[] {0, 1}));
    }

    @Test
    void aSignerWhoIsNotInTheCommittee() {
        refused(net.certify(prefix, 0, new int[] {0, 1, 2}), TestNetwork.VALIDATORS);
    }

    @Test
    void aForeignKeySigningAsAValidatorOfTheSource() {
        // Validator 3 of shard 1 signs, claiming to be validator 3 of shard 0.
        final KeyPair[] keys = {net.validators[0][0], net.validators[0][1], net.validators[1][3]};
        refused(net.certifyWith(prefix, new int[] {0, 1, 3}, keys, NETWORK_ID));
    }

    @Test
    void oneValidatorSigningTwiceUnderTwoIndices() {
        final KeyPair[] keys = {net.validators[0][0], net.validators[0][1], net.validators[0][1]};
        refused(net.certifyWith(prefix, new int[] {0, 1, 2}, keys, NETWORK_ID));
    }

    @Test
    void aRepeatedSignerIndexIsNotEvenAWellFormedMessage() {
        // The wire requires strictly increasing signers (MessageValidator): bytes listing signer 1
        // twice are INVALID before any certificate check, which is also never applied.
        final byte[] certified = net.certify(prefix, 0, new int[] {0, 1, 2});
        final UnsafeBuffer b = new UnsafeBuffer(certified);
        final int entry2 = SignedRegion.signatureOffset(b, 0, certified.length, 2) - 2;
        b.putShort(entry2, (short) 1, java.nio.ByteOrder.LITTLE_ENDIAN);
        refusedAs(ExecResult.INVALID, certified);
    }

    @Test
    void aFlippedBitInOneSignature() {
        final byte[] certified = net.certify(prefix, 0, new int[] {0, 1, 2, 3});
        final int at = SignedRegion.signatureOffset(new UnsafeBuffer(certified), 0, certified.length, 2) + 17;
        certified[at] ^= 0x04;
        refused(certified);
    }

    @Test
    void aReceiptAmountChangedAfterSigning() {
        final byte[] certified = net.certify(prefix, 0, new int[] {0, 1, 2});
        final int amountAt = amountOffsetOfFirstReceipt();
        certified[amountAt] ^= 0x01;
        assertEquals(301, TestNetwork.receipts(certified).get(0).amount(), "the forgery credits one more");
        refused(certified);
    }

    @Test
    void aChangedReceiptWithItsRootRecomputedDoesNotMatchTheSignatures() {
        final byte[] forged = prefix.clone();
        forged[amountOffsetOfFirstReceipt()] ^= 0x01;
        final byte[] rooted = withRecomputedRoot(forged);
        assertTrue(codec.rootMatches(new UnsafeBuffer(rooted), 0, rooted.length));
        final byte[] certified = net.certify(prefix, 0, new int[] {0, 1, 2});
        System.arraycopy(rooted, 0, certified, 0, rooted.length);
        refused(certified);
    }

    @Test
    void aBatchForAnotherDestination() {
        // Shard 0's batch to shard 1, proposed on shard 0 itself.
        final long before = s0.balance(alice, 0);
        final TestNetwork.Height h = s0.run(net.certified(0, 1, 1));
        assertEquals(ExecResult.BAD_CERTIFICATE, h.result(0));
        assertEquals(before, s0.balance(alice, 0));
        assertEquals(1, s0.state.inboundNext(0));

        // With three shards: shard 0's batch to shard 2, proposed on shard 1.
        final TestNetwork three = new TestNetwork(3, 32);
        final KeyPair from = three.account(0, 0);
        final KeyPair to = three.account(2, 0);
        three.shard(0).run(three.transfer(from, to, 0, 55));
        final byte[] toTwo = three.certified(0, 2, 1);
        final TestNetwork.Height misdelivered = three.shard(1).run(toTwo);
        assertEquals(ExecResult.BAD_CERTIFICATE, misdelivered.result(0));
        assertTrue(misdelivered.effects().balances.isEmpty() && misdelivered.effects().streams.isEmpty());
        assertEquals(1, three.shard(1).state.inboundNext(0));
        assertEquals(ExecResult.SUCCESS, three.shard(2).run(toTwo).result(0));
        assertEquals(FUNDS + 55, three.shard(2).balance(to, 0));
    }

    @Test
    void aBatchFromAShardThatDoesNotExist() {
        final byte[] ghost = codec.encodePrefix(2, 1, 1, net.nowMs, List.of(new BatchCodec.Receipt(new byte[32],
            bob.publicKey(), 0, 1_000)), List.of());
        refused(net.certify(ghost, 0, new int[] {0, 1, 2}));
    }

    @Test
    void aBatchSignedForAnotherNetwork() {
        final KeyPair[] keys = {net.validators[0][0], net.validators[0][1], net.validators[0][2]};
        refused(net.certifyWith(prefix, new int[] {0, 1, 2}, keys, NETWORK_ID + 1));
    }

    @Test
    void aCertifiedReceiptToAnAccountOfAnotherShard() {
        // Signed by a quorum of the source, but the credit belongs on shard 0: content check.
        final byte[] wrongTo = codec.encodePrefix(0, 1, 1, net.nowMs, List.of(new BatchCodec.Receipt(
            TestNetwork.txId(transfer), alice.publicKey(), 0, 300)), List.of());
        refused(net.certify(wrongTo, 0, new int[] {0, 1, 2}));
    }

    @Test
    void aCertifiedVoteWhoseSwapIsNotItsId() {
        final byte[] swap = net.swap(alice, 0, 10, bob, 0, 10);
        final byte[] otherId = TestNetwork.txId(transfer);
        final byte[] bad = codec.encodePrefix(0, 1, 1, net.nowMs, List.of(),
            List.of(new BatchCodec.Vote(otherId, SwapVote.PREPARED, swap)));
        refused(net.certify(bad, 0, new int[] {0, 1, 2}));
    }

    @Test
    void aCertifiedVoteOnASwapOfAnotherNetwork() {
        final byte[] swap = net.swap(NETWORK_ID + 1, FEE, net.nowMs + 30_000, alice, 0, 10, bob, 0, 10);
        final byte[] bad = codec.encodePrefix(0, 1, 1, net.nowMs, List.of(),
            List.of(new BatchCodec.Vote(TestNetwork.txId(swap), SwapVote.PREPARED, swap)));
        refused(net.certify(bad, 0, new int[] {0, 1, 2}));
    }

    @Test
    void aCertifiedVoteOnASwapThatDoesNotJoinTheTwoShards() {
        final TestNetwork three = new TestNetwork(3, 33);
        final KeyPair a = three.account(0, 0);
        final KeyPair c = three.account(2, 0);
        final byte[] swap = three.swap(a, 0, 10, c, 0, 10);
        final byte[] bad = codec.encodePrefix(0, 1, 1, three.nowMs, List.of(),
            List.of(new BatchCodec.Vote(TestNetwork.txId(swap), SwapVote.PREPARED, swap)));
        final TestNetwork.Height h = three.shard(1).run(three.certify(bad, 0, new int[] {0, 1, 2}));
        assertEquals(ExecResult.BAD_CERTIFICATE, h.result(0));
        assertTrue(three.shard(1).state.swaps().isEmpty());
        assertEquals(1, three.shard(1).state.inboundNext(0));
    }

    // ------------------------------------------------------------------------------ helpers

    /** Like {@link #refused(byte[])} with the last signer index of the certificate rewritten. */
    private void refused(final byte[] certified, final int lastSigner) {
        final UnsafeBuffer b = new UnsafeBuffer(certified);
        final int last = SignedRegion.signatureCount(b, 0, certified.length) - 1;
        b.putShort(SignedRegion.signatureOffset(b, 0, certified.length, last) - 2, (short) lastSigner,
            java.nio.ByteOrder.LITTLE_ENDIAN);
        refused(certified);
    }

    private void refused(final byte[] certified) {
        refusedAs(ExecResult.BAD_CERTIFICATE, certified);
    }

    /** The batch is refused with {@code expected}, nothing changes, and the genuine batch 1 then applies once. */
    private void refusedAs(final ExecResult expected, final byte[] certified) {
        final long supply = s1.supply(0);
        final byte[] digestBefore = s1.state.digest();

        final TestNetwork.Height h = s1.run(certified);

        assertEquals(expected, h.result(0));
        assertEquals(FUNDS, s1.balance(bob, 0));
        assertEquals(supply, s1.supply(0));
        assertEquals(1, s1.state.inboundNext(0));
        assertTrue(h.effects().balances.isEmpty() && h.effects().assets.isEmpty() && h.effects().streams.isEmpty()
            && h.effects().settled.isEmpty() && h.effects().batches.isEmpty() && h.effects().swaps.isEmpty(),
            "a refused batch writes nothing");
        assertFalse(java.util.Arrays.equals(digestBefore, s1.state.digest()), "the height itself is recorded");

        final TestNetwork.Delivery genuine = net.relay(0, 1);
        assertEquals(ExecResult.SUCCESS, genuine.result(0));
        assertEquals(FUNDS + 300, s1.balance(bob, 0));
        assertEquals(List.of(ExecResult.SUCCESS), s1.settledHistory(TestNetwork.txId(transfer)));
    }

    /** Index of the first receipt's amount in the batch (its least significant byte). */
    private int amountOffsetOfFirstReceipt() {
        final int receiptsGroup = BatchCodec.STATEMENT_LENGTH;
        final int amountWithinEntry = Layout.RECEIPT_ENTRY_LENGTH - 8;
        final int at = receiptsGroup + Layout.GROUP_HEADER_LENGTH + amountWithinEntry;
        assertEquals(300, new UnsafeBuffer(prefix).getLong(at, java.nio.ByteOrder.LITTLE_ENDIAN));
        return at;
    }

    private byte[] withRecomputedRoot(final byte[] p) {
        final byte[] root = new byte[32];
        new io.basalt.crypto.Sha256().digest(p, BatchCodec.STATEMENT_LENGTH, p.length - BatchCodec.STATEMENT_LENGTH,
            root, 0);
        final byte[] out = p.clone();
        final int rootAt = BatchCodec.STATEMENT_LENGTH - 32;
        assertArrayEquals(rootOf(prefix), java.util.Arrays.copyOfRange(prefix, rootAt, rootAt + 32));
        System.arraycopy(root, 0, out, rootAt, 32);
        return out;
    }

    private static byte[] rootOf(final byte[] p) {
        final byte[] root = new byte[32];
        BatchCodec.payloadRoot(new UnsafeBuffer(p), 0, root);
        return root;
    }
}
