package io.basalt.crypto;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The static Diffie-Hellman secret two validators share by virtue of their genesis Ed25519 keys: X25519 between
 * one's secret scalar and the other's public point, both converted from Edwards to Montgomery form (the conversion
 * libsodium exposes as {@code crypto_sign_ed25519_{sk,pk}_to_curve25519}). Both sides compute the same 32 bytes
 * without a message exchanged, so a channel key exists from the first packet on.
 * <p>
 * Two providers, chosen like {@link Ed25519}'s by {@link CryptoConfig}: libsodium through FFM, or Bouncy Castle's
 * {@code rfc7748.X25519} with the conversion written in Java. Before either runs, the peer key must pass the same
 * strict rule as an Ed25519 verification key (canonical, not of small order, in the prime-order subgroup), so the two
 * providers refuse exactly the same keys and agree byte for byte on the rest ({@code CrossProviderKeyAgreementTest}).
 * <p>
 * The secret is raw X25519 output: feed it to {@link PeerKeys}, never use it as a key directly. Instances are
 * immutable and thread-safe.
 */
public final class PeerKeyAgreement
{
    public static final int SHARED_SECRET_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(PeerKeyAgreement.class);

    private final X25519Provider provider;

    PeerKeyAgreement(final X25519Provider provider)
    {
        this.provider = provider;
    }

    /**
     * Selects the provider as {@link Ed25519#create} does.
     *
     * @throws IllegalStateException when libsodium is demanded but cannot be loaded.
     */
    public static PeerKeyAgreement create(final CryptoConfig config)
    {
        return new PeerKeyAgreement(switch (config.provider())
        {
            case LIBSODIUM -> LibsodiumProviders.x25519(config.libsodiumPath());
            case BOUNCYCASTLE -> BouncyCastleX25519.INSTANCE;
            case AUTO -> loadLibsodiumOrFallBack(config);
        });
    }

    /** {@link #create(CryptoConfig)} with the configuration from system properties. */
    public static PeerKeyAgreement fromSystemProperties()
    {
        return create(CryptoConfig.fromSystemProperties());
    }

    private static X25519Provider loadLibsodiumOrFallBack(final CryptoConfig config)
    {
        try
        {
            return LibsodiumProviders.x25519(config.libsodiumPath());
        }
        catch (final IllegalStateException ex)
        {
            LOG.warn("libsodium unavailable for X25519, falling back to Bouncy Castle: {}",
                ex.getMessage());
            return BouncyCastleX25519.INSTANCE;
        }
    }

    public Ed25519.Backend backend()
    {
        return provider.backend();
    }

    /**
     * The 32-byte secret {@code own} shares with the holder of Ed25519 key {@code peerPublicKey}; the peer computes
     * the same bytes from its seed and {@code own}'s public key.
     *
     * @throws IllegalArgumentException when the peer key is not 32 bytes, not a strict Ed25519 public key, or gives
     *                                  an all-zero secret: a genesis that slipped past its checks, not network input.
     *                                  The message names no key material.
     */
    public byte[] sharedSecret(final KeyPair own, final byte[] peerPublicKey)
    {
        if (peerPublicKey == null || peerPublicKey.length != Ed25519.PUBLIC_KEY_BYTES)
        {
            throw new IllegalArgumentException("peer public key must be " + Ed25519.PUBLIC_KEY_BYTES + " bytes");
        }
        if (!isStrictPublicKey(peerPublicKey))
        {
            throw new IllegalArgumentException(
                "peer public key is not a canonical prime-order Ed25519 point; no channel key can be derived");
        }
        final byte[] secret = new byte[SHARED_SECRET_BYTES];
        if (!provider.sharedSecret(own.seed(), own.publicKeyUnsafe(), peerPublicKey, secret))
        {
            Arrays.fill(secret, (byte)0);
            throw new IllegalArgumentException("X25519 with the peer public key was refused (zero or invalid point)");
        }
        return secret;
    }

    /** The rule of {@link Ed25519}'s key checks, in pure Java so that it is one rule for both providers. */
    static boolean isStrictPublicKey(final byte[] key)
    {
        return StrictEncoding.isCanonicalPoint(key, 0)
            && !StrictEncoding.hasSmallOrder(key, 0)
            && org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(key, 0);
    }
}
