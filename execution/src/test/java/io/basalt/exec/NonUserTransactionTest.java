package io.basalt.exec;

import static io.basalt.exec.TestNetwork.FEE;
import static io.basalt.exec.TestNetwork.FUNDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Sha256;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.OpaquePayloadEncoding;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Bytes a block may carry that are not a user transaction (an OpaquePayload: it passes
 * validateTransaction, not validateUserTransaction) are INVALID at execution, under the SHA-256 of
 * their bytes, and never run with the fields of the transaction executed before them.
 */
class NonUserTransactionTest {
    private final TestNetwork net = new TestNetwork(2, 23);
    private final TestNetwork.Shard s0 = net.shard(0);
    private final KeyPair alice = net.account(0, 0);
    private final KeyPair bob = net.account(0, 1);

    private static byte[] opaquePayload(final int size) {
        final byte[] data = new byte[size];
        Arrays.fill(data, (byte) 0x5A);
        final byte[] out = new byte[OpaquePayloadEncoding.PAYLOAD_OFFSET + size];
        final int length = new OpaquePayloadEncoding().encode(new UnsafeBuffer(out), 0, data, 0, size);
        return Arrays.copyOf(out, length);
    }

    private static byte[] sha256(final byte[] bytes) {
        final byte[] id = new byte[32];
        new Sha256().digest(bytes, 0, bytes.length, id, 0);
        return id;
    }

    @Test
    void theTemplateIsOneABlockMayCarryButNoUserTransaction() {
        final byte[] opaque = opaquePayload(40);
        final UnsafeBuffer view = new UnsafeBuffer(opaque);
        assertTrue(MessageValidator.validateTransaction(view, 0, opaque.length).isOk());
        assertTrue(!MessageValidator.validateUserTransaction(view, 0, opaque.length).isOk());
    }

    @Test
    void anOpaquePayloadAfterATransferIsInvalidAndDoesNotRepeatTheTransfer() {
        final byte[] transfer = net.transfer(alice, bob, 0, 250);
        final byte[] opaque = opaquePayload(40);
        final TestNetwork.Height h = s0.run(transfer, opaque);

        assertEquals(ExecResult.SUCCESS, h.result(0));
        assertEquals(ExecResult.INVALID, h.result(1));
        assertEquals(2, h.effects().results.size());
        assertArrayEquals(TestNetwork.txId(transfer), h.effects().results.get(0).txId());
        assertArrayEquals(sha256(opaque), h.effects().results.get(1).txId(),
            "the outcome is recorded under the payload's own hash, not the previous transaction's id");
        assertEquals(FUNDS - 250 - FEE, s0.balance(alice, 0), "charged once, moved once");
        assertEquals(FUNDS + 250, s0.balance(bob, 0));
    }

    @Test
    void anOpaquePayloadFirstInAFreshExecutorIsInvalid() {
        net.freshExecutorEachHeight = true;
        net.txOffset = 13;
        final byte[] opaque = opaquePayload(7);
        final TestNetwork.Height h = s0.run(opaque, net.transfer(alice, bob, 0, 5));

        assertEquals(ExecResult.INVALID, h.result(0));
        assertArrayEquals(sha256(opaque), h.effects().results.get(0).txId());
        assertEquals(ExecResult.SUCCESS, h.result(1), "the block's next transaction still executes");
        assertEquals(FUNDS - 5 - FEE, s0.balance(alice, 0));
    }
}
