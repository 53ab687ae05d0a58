package io.basalt.crypto;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelVerifierTest
{
    private static final int BATCH = 600;

    @Test
    void bouncyCastleMatchesSequentialAnswers()
    {
        assertMatchesSequential(TestProviders.BOUNCY_CASTLE);
    }

    @Test
    void libsodiumMatchesSequentialAnswers()
    {
        assertMatchesSequential(TestProviders.libsodium());
    }

    @Test
    void emptyBatchOversizeBatchAndClose()
    {
        try (ParallelVerifier verifier = new ParallelVerifier(TestProviders.BOUNCY_CASTLE, 2))
        {
            assertEquals(0, verifier.verifyAll(new byte[0][], new byte[0][], new byte[0][]).length);
            final int tooMany = ParallelVerifier.MAX_BATCH_SIZE + 1;
            assertThrows(IllegalArgumentException.class, () -> verifier.verifyAll(tooMany, new byte[tooMany][],
                new byte[tooMany][], new int[tooMany], new int[tooMany], new byte[tooMany][],
                new SignatureCheck[tooMany]));
            assertThrows(IllegalArgumentException.class, () -> verifier.verifyAll(3, new byte[2][],
                new byte[3][], new int[3], new int[3], new byte[3][], new SignatureCheck[3]));
        }
        final ParallelVerifier closed = new ParallelVerifier(TestProviders.BOUNCY_CASTLE, 1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.verifyAll(new byte[1][], new byte[1][], new byte[1][]));
        assertThrows(IllegalArgumentException.class, () -> new ParallelVerifier(TestProviders.BOUNCY_CASTLE, 0));
    }

    /** A mixed batch: valid, tampered, wrong-length, null and offset items, checked on 3 workers. */
    private static void assertMatchesSequential(final Ed25519 ed)
    {
        final Random random = new Random(42);
        final byte[][] keys = new byte[BATCH][];
        final byte[][] messages = new byte[BATCH][];
        final int[] offsets = new int[BATCH];
        final int[] lengths = new int[BATCH];
        final byte[][] signatures = new byte[BATCH][];
        final KeyPair[] signers = new KeyPair[8];
        for (int i = 0; i < signers.length; i++)
        {
            final byte[] seed = new byte[32];
            random.nextBytes(seed);
            signers[i] = ed.keyPairFromSeed(seed);
        }
        for (int i = 0; i < BATCH; i++)
        {
            fillItem(ed, random, signers[i % signers.length], i, keys, messages, offsets, lengths, signatures);
        }
        final SignatureCheck[] sequential = new SignatureCheck[BATCH];
        for (int i = 0; i < BATCH; i++)
        {
            sequential[i] = ed.check(keys[i], messages[i], offsets[i], lengths[i], signatures[i]);
        }
        final SignatureCheck[] parallel = new SignatureCheck[BATCH];
        try (ParallelVerifier verifier = new ParallelVerifier(ed, 3))
        {
            verifier.verifyAll(BATCH, keys, messages, offsets, lengths, signatures, parallel);
        }
        assertArrayEquals(sequential, parallel);
        assertTrue(java.util.Arrays.stream(parallel).anyMatch(SignatureCheck::isValid));
        assertTrue(java.util.Arrays.stream(parallel).filter(r -> !r.isValid()).count() > BATCH / 4);
    }

    private static void fillItem(final Ed25519 ed, final Random random, final KeyPair signer, final int i,
        final byte[][] keys, final byte[][] messages, final int[] offsets, final int[] lengths,
        final byte[][] signatures)
    {
        final byte[] message = new byte[10 + random.nextInt(200)];
        random.nextBytes(message);
        final int offset = random.nextInt(5);
        final int length = message.length - offset - random.nextInt(5);
        final byte[] signature = new byte[Ed25519.SIGNATURE_BYTES];
        ed.sign(signer, message, offset, length, signature, 0);
        keys[i] = signer.publicKey();
        messages[i] = message;
        offsets[i] = offset;
        lengths[i] = length;
        signatures[i] = signature;
        switch (i % 6)
        {
            case 1 -> signature[random.nextInt(64)] ^= 1;
            case 2 -> message[offset] ^= 1;
            case 3 -> signatures[i] = i % 12 == 3 ? null : new byte[63];
            case 4 -> keys[i] = i % 12 == 4 ? new byte[32] : null;
            default ->
            {
                // Left valid.
            }
        }
    }
}
