package io.basalt.crypto;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

import org.agrona.DirectBuffer;

/**
 * SHA-256 into caller-owned arrays, without allocating per call. It wraps the JDK's {@code MessageDigest} because
 * HotSpot intrinsifies its SHA-256 compression function (SHA-NI / AVX2), which beats any Java or JNI alternative
 * for the short inputs we hash.
 * <p>
 * An instance is not thread-safe; use {@link #perThread()} on hot paths.
 */
public final class Sha256
{
    public static final int DIGEST_BYTES = 32;

    /** Off-heap buffers without a backing array are hashed through this many bytes of on-heap scratch at a time. */
    private static final int COPY_CHUNK_BYTES = 4096;

    private static final ThreadLocal<Sha256> PER_THREAD = ThreadLocal.withInitial(Sha256::new);

    private final MessageDigest digest;
    private final byte[] digestScratch = new byte[DIGEST_BYTES];
    private byte[] copyChunk;

    public Sha256()
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK must provide SHA-256", ex);
        }
    }

    /** The calling thread's instance, created on first use. */
    public static Sha256 perThread()
    {
        return PER_THREAD.get();
    }

    public void digest(final byte[] in, final int offset, final int length, final byte[] out, final int outOffset)
    {
        Objects.checkFromIndexSize(offset, length, in.length);
        digest.update(in, offset, length);
        finish(out, outOffset);
    }

    /** Hashes the bytes between position and limit; the buffer's position is left where it was. */
    public void digest(final ByteBuffer in, final byte[] out, final int outOffset)
    {
        final int position = in.position();
        digest.update(in);
        in.position(position);
        finish(out, outOffset);
    }

    public void digest(final DirectBuffer in, final int offset, final int length, final byte[] out, final int outOffset)
    {
        in.boundsCheck(offset, length);
        final byte[] array = in.byteArray();
        if (array != null)
        {
            digest.update(array, in.wrapAdjustment() + offset, length);
        }
        else
        {
            updateInChunks(in, offset, length);
        }
        finish(out, outOffset);
    }

    /** The first 8 bytes of SHA-256(in[offset, offset+length)) read as a big-endian long. */
    public long digestLeadingLong(final byte[] in, final int offset, final int length)
    {
        digest(in, offset, length, digestScratch, 0);
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            value = (value << 8) | (digestScratch[i] & 0xFF);
        }
        return value;
    }

    private void updateInChunks(final DirectBuffer in, final int offset, final int length)
    {
        if (copyChunk == null)
        {
            copyChunk = new byte[COPY_CHUNK_BYTES];
        }
        for (int done = 0; done < length; )
        {
            final int n = Math.min(COPY_CHUNK_BYTES, length - done);
            in.getBytes(offset + done, copyChunk, 0, n);
            digest.update(copyChunk, 0, n);
            done += n;
        }
    }

    private void finish(final byte[] out, final int outOffset)
    {
        Objects.checkFromIndexSize(outOffset, DIGEST_BYTES, out.length);
        try
        {
            digest.digest(out, outOffset, DIGEST_BYTES);
        }
        catch (final DigestException ex)
        {
            // Unreachable: the output range was checked above.
            throw new IllegalStateException(ex);
        }
    }
}
