package io.basalt.crypto;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libsodium verify path allocates nothing once a thread is warm: inputs go through per-thread native scratch
 * and the key cache is preallocated. (Bouncy Castle allocates inside its own verify, so it is not asserted.)
 */
class HotPathAllocationTest
{
    private static final int CALLS = 5_000;
    private static final int WARM_UP_ROUNDS = 3;

    @Test
    void libsodiumCheckAllocatesNothing()
    {
        final Ed25519 ed = TestProviders.libsodium();
        final KeyPair keyPair = ed.generateKeyPair(new SecureRandom());
        final byte[] key = keyPair.publicKey();
        final byte[] message = new byte[200];
        final byte[] signature = ed.sign(keyPair, message);
        final byte[] tampered = signature.clone();
        tampered[0] ^= 1;

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().threadId();
        int valid = 0;
        for (int warmUp = 0; warmUp < WARM_UP_ROUNDS; warmUp++)
        {
            valid += run(ed, key, message, signature, tampered);
        }
        final long before = threads.getThreadAllocatedBytes(threadId);
        valid += run(ed, key, message, signature, tampered);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(2 * CALLS * (WARM_UP_ROUNDS + 1), valid);
        // Slack for JIT activity that can still allocate on this thread; a single object per call (16+ bytes)
        // would exceed it many times over.
        assertTrue(allocated < 2 * CALLS, "allocated " + allocated + " bytes over " + 2 * CALLS + " checks");
    }

    private static int run(final Ed25519 ed, final byte[] key, final byte[] message, final byte[] signature,
        final byte[] tampered)
    {
        int valid = 0;
        for (int i = 0; i < CALLS; i++)
        {
            valid += ed.check(key, message, 0, message.length, signature) == SignatureCheck.VALID ? 1 : 0;
            valid += ed.check(key, message, 0, message.length, tampered) == SignatureCheck.INVALID ? 1 : 0;
        }
        return valid;
    }
}
