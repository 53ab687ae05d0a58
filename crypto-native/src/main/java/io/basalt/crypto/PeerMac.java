package io.basalt.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * HMAC-SHA256 (RFC 2104) truncated to 16 bytes (RFC 2104 §5 and NIST SP 800-107 allow truncation to at least half
 * the output), under one channel key from {@link PeerKeys}, over a header and a payload given as two ranges.
 * <p>
 * Written over the JDK's SHA-256 {@link MessageDigest} rather than {@code javax.crypto.Mac}: HotSpot intrinsifies
 * the compression function (SHA-NI / AVX2) either way, but the JDK's HMAC allocates its inner digest on every
 * {@code doFinal}, and this class allocates nothing per message. It costs two compressions over the padded keys and
 * one for the outer hash beyond the message itself.
 * <p>
 * Not thread-safe: one instance per key and per thread (a transport owns its links' instances).
 */
public final class PeerMac
{
    public static final int TAG_BYTES = 16;

    private static final int BLOCK_BYTES = 64;
    private static final int DIGEST_BYTES = 32;

    private final MessageDigest sha256;
    private final byte[] innerPad = new byte[BLOCK_BYTES];
    private final byte[] outerPad = new byte[BLOCK_BYTES];
    private final byte[] digest = new byte[DIGEST_BYTES];

    /** @param key a 32-byte key from {@link PeerKeys#directionKey}; copied into the pads, not kept. */
    public PeerMac(final byte[] key)
    {
        if (key == null || key.length != PeerKeys.KEY_BYTES)
        {
            throw new IllegalArgumentException("key must be " + PeerKeys.KEY_BYTES + " bytes");
        }
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK must provide SHA-256", ex);
        }
        for (int i = 0; i < BLOCK_BYTES; i++)
        {
            final byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte)(k ^ 0x36);
            outerPad[i] = (byte)(k ^ 0x5c);
        }
    }

    /** Writes the 16-byte tag of {@code first[firstOffset, +firstLength) || second[secondOffset, +secondLength)}. */
    public void tag(final byte[] first, final int firstOffset, final int firstLength, final byte[] second,
        final int secondOffset, final int secondLength, final byte[] out, final int outOffset)
    {
        Objects.checkFromIndexSize(outOffset, TAG_BYTES, out.length);
        compute(first, firstOffset, firstLength, second, secondOffset, secondLength);
        System.arraycopy(digest, 0, out, outOffset, TAG_BYTES);
    }

    /** Whether {@code tag[tagOffset, +16)} is the tag of the two ranges; compares in time independent of the bytes. */
    public boolean verify(final byte[] first, final int firstOffset, final int firstLength, final byte[] second,
        final int secondOffset, final int secondLength, final byte[] tag, final int tagOffset)
    {
        Objects.checkFromIndexSize(tagOffset, TAG_BYTES, tag.length);
        compute(first, firstOffset, firstLength, second, secondOffset, secondLength);
        int difference = 0;
        for (int i = 0; i < TAG_BYTES; i++)
        {
            difference |= digest[i] ^ tag[tagOffset + i];
        }
        return difference == 0;
    }

    private void compute(final byte[] first, final int firstOffset, final int firstLength, final byte[] second,
        final int secondOffset, final int secondLength)
    {
        Objects.checkFromIndexSize(firstOffset, firstLength, first.length);
        Objects.checkFromIndexSize(secondOffset, secondLength, second.length);
        try
        {
            sha256.update(innerPad);
            sha256.update(first, firstOffset, firstLength);
            sha256.update(second, secondOffset, secondLength);
            sha256.digest(digest, 0, DIGEST_BYTES);
            sha256.update(outerPad);
            sha256.update(digest);
            sha256.digest(digest, 0, DIGEST_BYTES);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("SHA-256 into a 32-byte array cannot fail", ex);
        }
    }
}
