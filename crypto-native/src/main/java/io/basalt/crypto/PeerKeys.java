package io.basalt.crypto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Channel keys from a {@link PeerKeyAgreement} secret: HKDF-SHA256 (RFC 5869) with one output block.
 *
 * <pre>
 *   PRK = HMAC-SHA256(salt = "basalt/peer-channel/v1",
 *                     IKM  = secret || min(keyA, keyB) || max(keyA, keyB))          keys sorted bytewise
 *   key(sender -> receiver) = HMAC-SHA256(PRK, info || 0x01)
 *   info = len(purpose) u8 || purpose (ASCII) || networkId u32
 *          || senderShard u16 || senderIndex u16 || senderKey[32]
 *          || receiverShard u16 || receiverIndex u16 || receiverKey[32]           integers little-endian
 * </pre>
 *
 * The sorted keys in the extract step make PRK the same on both sides; the ordered (sender, receiver) pair in the
 * expand step gives each direction its own key, so a message cannot be reflected back to its sender as if the
 * sender had received it. The purpose (consensus, cross-shard) and the network id separate the keys of different
 * streams and different chains; the shard and committee index bind the key to the seat, not only to the Ed25519
 * key, so one key registered twice in a genesis still gives every seat its own channel.
 */
public final class PeerKeys
{
    public static final int KEY_BYTES = 32;

    private static final byte[] SALT = "basalt/peer-channel/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PURPOSE_BYTES = 64;

    private PeerKeys()
    {
    }

    /** One endpoint of a channel: a validator's seat and its genesis key. */
    public record Seat(int shard, int index, byte[] publicKey)
    {
        public Seat
        {
            if (shard < 0 || shard > 0xFFFF || index < 0 || index > 0xFFFF)
            {
                throw new IllegalArgumentException("shard and index must fit 16 bits: " + shard + "/" + index);
            }
            if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_BYTES)
            {
                throw new IllegalArgumentException("public key must be " + Ed25519.PUBLIC_KEY_BYTES + " bytes");
            }
        }
    }

    /** The MAC key of messages {@code sender} sends to {@code receiver} for {@code purpose} on network {@code networkId}. */
    public static byte[] directionKey(final byte[] sharedSecret, final String purpose, final int networkId,
        final Seat sender, final Seat receiver)
    {
        if (sharedSecret == null || sharedSecret.length != PeerKeyAgreement.SHARED_SECRET_BYTES)
        {
            throw new IllegalArgumentException("shared secret must be " + PeerKeyAgreement.SHARED_SECRET_BYTES + " bytes");
        }
        final byte[] label = purpose.getBytes(StandardCharsets.US_ASCII);
        if (label.length == 0 || label.length > MAX_PURPOSE_BYTES)
        {
            throw new IllegalArgumentException("purpose must be 1.." + MAX_PURPOSE_BYTES + " ASCII bytes");
        }
        final boolean senderFirst = Arrays.compareUnsigned(sender.publicKey(), receiver.publicKey()) <= 0;
        final byte[] ikm = ByteBuffer.allocate(PeerKeyAgreement.SHARED_SECRET_BYTES + 2 * Ed25519.PUBLIC_KEY_BYTES)
            .put(sharedSecret)
            .put(senderFirst ? sender.publicKey() : receiver.publicKey())
            .put(senderFirst ? receiver.publicKey() : sender.publicKey())
            .array();
        final byte[] info = ByteBuffer.allocate(1 + label.length + 4 + 2 * (4 + Ed25519.PUBLIC_KEY_BYTES) + 1)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put((byte)label.length).put(label).putInt(networkId)
            .putShort((short)sender.shard()).putShort((short)sender.index()).put(sender.publicKey())
            .putShort((short)receiver.shard()).putShort((short)receiver.index()).put(receiver.publicKey())
            .put((byte)1)
            .array();
        final byte[] prk = hmac(SALT, ikm);
        try
        {
            return hmac(prk, info);
        }
        finally
        {
            Arrays.fill(ikm, (byte)0);
            Arrays.fill(prk, (byte)0);
        }
    }

    /** HKDF-SHA256's first output block, exposed for the RFC 5869 vectors: HMAC(HMAC(salt, ikm), info || 0x01). */
    static byte[] hkdfFirstBlock(final byte[] salt, final byte[] ikm, final byte[] info)
    {
        final byte[] expandInput = Arrays.copyOf(info, info.length + 1);
        expandInput[info.length] = 1;
        return hmac(hmac(salt, ikm), expandInput);
    }

    /** Start-up only: the JDK's Mac allocates, which does not matter for a few dozen keys. */
    private static byte[] hmac(final byte[] key, final byte[] message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        }
        catch (final NoSuchAlgorithmException | InvalidKeyException ex)
        {
            throw new IllegalStateException("every JDK must provide HmacSHA256", ex);
        }
    }
}
