package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.MessageValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** A swap's two signatures as two parties on two machines give them: A builds and signs, B reads the bytes and signs. */
class SwapTest {
    private static final KeyPair ALICE = TestNode.key(1);
    private static final KeyPair BOB = TestNode.key(2);
    private final TransactionBuilder builder = new TransactionBuilder(TestNode.ED25519, TestNode.NETWORK_ID, TestNode.FEE);

    @Test
    void eachPartySignsTheSameBytesAndTheIdDoesNotChange() {
        final Swap built = builder.swap(ALICE.publicKey(), 0, 10, BOB.publicKey(), 42, 20, 5L, 60_000);
        final byte[] id = built.txId();
        assertFalse(built.signedBy(TestNode.ED25519, Swap.Party.A));

        final byte[] fromAlice = built.sign(TestNode.ED25519, ALICE, Swap.Party.A).bytes();
        final Swap atBob = Swap.of(fromAlice);
        assertTrue(atBob.signedBy(TestNode.ED25519, Swap.Party.A));
        assertFalse(atBob.signedBy(TestNode.ED25519, Swap.Party.B));
        assertArrayEquals(ALICE.publicKey(), atBob.address(Swap.Party.A));
        assertEquals(20, atBob.amount(Swap.Party.B));
        assertEquals(42, atBob.asset(Swap.Party.B));
        assertEquals(TestNode.FEE, atBob.fee());

        final TransactionBuilder.Signed signed = atBob.sign(TestNode.ED25519, BOB, Swap.Party.B).signed();
        assertArrayEquals(id, signed.txId(), "the id hashes the signed prefix, not the signatures");
        assertTrue(MessageValidator.validateUserTransaction(new UnsafeBuffer(signed.bytes()), 0, signed.bytes().length).isOk());
        assertTrue(Swap.of(signed.bytes()).signedBy(TestNode.ED25519, Swap.Party.B));
    }

    @Test
    void aKeyOfTheWrongPartyIsRefused() {
        final Swap swap = builder.swap(ALICE.publicKey(), 0, 10, BOB.publicKey(), 42, 20, 60_000);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> swap.sign(TestNode.ED25519, ALICE, Swap.Party.B));
        assertTrue(e.getMessage().contains("is not party B"), e.getMessage());
    }

    @Test
    void bothKeysAtHandSignBoth() {
        final TransactionBuilder.Signed signed = builder.swap(ALICE, 0, 10, BOB, 42, 20, 60_000);
        final Swap swap = Swap.of(signed.bytes());
        assertTrue(swap.signedBy(TestNode.ED25519, Swap.Party.A) && swap.signedBy(TestNode.ED25519, Swap.Party.B));
    }

    @Test
    void bytesOfAnotherKindAreNotASwap() {
        final byte[] transfer = builder.transfer(ALICE, BOB.publicKey(), 0, 5, 60_000).bytes();
        assertEquals("the transaction is not a swap",
            assertThrows(IllegalArgumentException.class, () -> Swap.of(transfer)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Swap.of(new byte[7]));
    }
}
