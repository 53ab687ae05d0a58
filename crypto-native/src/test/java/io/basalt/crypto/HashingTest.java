package io.basalt.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashingTest
{
    /** FIPS 180-2 example: SHA-256("abc"). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void sha256OfByteArrayAtOffsets()
    {
        final byte[] in = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
        final byte[] out = new byte[40];
        Sha256.perThread().digest(in, 2, 3, out, 8);
        assertEquals(ABC, Hash32.toHex(out, 8));
    }

    @Test
    void sha256OfBuffersMatchesByteArray() throws Exception
    {
        final byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        final byte[] expected = MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(data, 5, 9005));
        final Sha256 sha = new Sha256();
        final byte[] out = new byte[32];

        final ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip().position(5).limit(9005);
        sha.digest(direct, out, 0);
        assertArrayEquals(expected, out);
        assertEquals(5, direct.position(), "position restored");

        sha.digest(ByteBuffer.wrap(data, 5, 9000), out, 0);
        assertArrayEquals(expected, out);

        sha.digest(new UnsafeBuffer(data, 1, data.length - 1), 4, 9000, out, 0);
        assertArrayEquals(expected, out);

        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(data.length));
        offHeap.putBytes(0, data);
        sha.digest(offHeap, 5, 9000, out, 0);
        assertArrayEquals(expected, out);
    }

    @Test
    void shardOfFollowsDesign() throws Exception
    {
        // SHA-256 of 32 zero bytes starts 66687aadf862bd77.
        final byte[] zero = new byte[32];
        assertEquals(Long.remainderUnsigned(0x66687aadf862bd77L, 7), Shards.shardOf(zero, 7));
        assertEquals(0, Shards.shardOf(zero, 1));

        final Random random = new Random(3);
        final int[] counts = new int[4];
        for (int i = 0; i < 4000; i++)
        {
            final byte[] address = new byte[32];
            random.nextBytes(address);
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(address);
            final long prefix = ByteBuffer.wrap(digest).getLong();
            final int shard = Shards.shardOf(address, 4);
            assertEquals((int)Long.remainderUnsigned(prefix, 4), shard);
            counts[shard]++;
        }
        for (final int count : counts)
        {
            assertTrue(count > 850 && count < 1150, "roughly uniform: " + count);
        }
        assertThrows(IllegalArgumentException.class, () -> Shards.shardOf(zero, 0));
        assertThrows(IllegalArgumentException.class, () -> Shards.shardOf(new byte[31], 4));
    }

    @Test
    void hexRoundTripAndErrors()
    {
        final byte[] bytes = { 0, 1, (byte)0xAB, (byte)0xFF, 0x7F };
        assertEquals("0001abff7f", Hex.encode(bytes));
        assertArrayEquals(bytes, Hex.decode("0001ABff7f"));
        assertEquals("01ab", Hex.encode(bytes, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("abc"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("zz"));
        assertArrayEquals(Hex.decode(ABC), Hash32.fromHex(ABC));
        assertThrows(IllegalArgumentException.class, () -> Hash32.fromHex("00"));
        assertTrue(Hash32.equals(Hex.decode(ABC), 0, Hex.decode("00" + ABC), 1));
    }
}
