package io.basalt.dag;

import io.basalt.protocol.TransactionEncoding;
import org.agrona.concurrent.UnsafeBuffer;

/** Well-formed (unsigned) transfers for core tests. */
final class TestTransactions {
    private TestTransactions() {
    }

    static byte[] transfer(final long nonce) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = new TransactionEncoding().encodeTransfer(buffer, 0, 1, 1, nonce, 1_000,
            new byte[32], new byte[32], 0, 5);
        final byte[] tx = new byte[length];
        buffer.getBytes(0, tx);
        return tx;
    }
}
