package io.basalt.crypto;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ed25519 for Basalt: key generation, signing and strict verification over one of two providers, libsodium (FFM)
 * or Bouncy Castle, chosen by {@link CryptoConfig}.
 * <p>
 * Two validators that disagree on whether a signature is valid fork the chain, so verification follows one strict
 * rule that this class enforces before either provider runs; both providers then give the same answer on every
 * input (README.md has the rule and the disagreements it removes). In order:
 * <ol>
 *   <li>key 32 bytes, signature 64 bytes, message range inside the message;</li>
 *   <li>S &lt; L;</li>
 *   <li>A canonical (y &lt; p, no negative zero) and not of small order;</li>
 *   <li>R canonical and not of small order;</li>
 *   <li>A in the prime-order subgroup (remembered per thread for keys seen before);</li>
 *   <li>the cofactorless equation [S]B = R + [k]A.</li>
 * </ol>
 * Verification never throws for bad input: it returns a {@link SignatureCheck} naming the first rule broken.
 * Instances are immutable and thread-safe.
 */
public final class Ed25519
{
    public static final int SEED_BYTES = 32;
    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    private static final Logger LOG = LoggerFactory.getLogger(Ed25519.class);
    private static final AtomicBoolean CHOICE_LOGGED = new AtomicBoolean();
    private static final ThreadLocal<PrimeOrderKeyCache> KEY_CACHE =
        ThreadLocal.withInitial(PrimeOrderKeyCache::new);

    /** The library behind a facade. */
    public enum Backend
    {
        LIBSODIUM,
        BOUNCY_CASTLE
    }

    private final Ed25519Provider provider;

    Ed25519(final Ed25519Provider provider)
    {
        this.provider = provider;
    }

    /**
     * Selects the provider and logs the choice (once per process, at INFO).
     *
     * @throws IllegalStateException when libsodium is demanded but cannot be loaded.
     */
    public static Ed25519 create(final CryptoConfig config)
    {
        final Ed25519Provider provider = switch (config.provider())
        {
            case LIBSODIUM -> LibsodiumProviders.ed25519(config.libsodiumPath());
            case BOUNCYCASTLE -> BouncyCastleEd25519.INSTANCE;
            case AUTO -> loadLibsodiumOrFallBack(config);
        };
        if (CHOICE_LOGGED.compareAndSet(false, true))
        {
            LOG.info("Ed25519 provider: {} (configured: {})",
                provider.description(), config.provider().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Ed25519(provider);
    }

    /** {@link #create(CryptoConfig)} with the configuration from system properties. */
    public static Ed25519 fromSystemProperties()
    {
        return create(CryptoConfig.fromSystemProperties());
    }

    private static Ed25519Provider loadLibsodiumOrFallBack(final CryptoConfig config)
    {
        try
        {
            return LibsodiumProviders.ed25519(config.libsodiumPath());
        }
        catch (final IllegalStateException ex)
        {
            LOG.warn("libsodium unavailable, falling back to Bouncy Castle: {}",
                ex.getMessage());
            return BouncyCastleEd25519.INSTANCE;
        }
    }

    public Backend backend()
    {
        return provider.backend();
    }

    /** Library and version, e.g. "libsodium 1.0.18 (libsodium.so.23)". */
    public String providerDescription()
    {
        return provider.description();
    }

    /** A fresh key pair from 32 bytes of {@code random}. */
    public KeyPair generateKeyPair(final SecureRandom random)
    {
        final byte[] seed = new byte[SEED_BYTES];
        random.nextBytes(seed);
        try
        {
            return keyPairFromSeed(seed);
        }
        finally
        {
            java.util.Arrays.fill(seed, (byte)0);
        }
    }

    /** The key pair for a 32-byte seed; the seed is copied. */
    public KeyPair keyPairFromSeed(final byte[] seed)
    {
        if (seed == null || seed.length != SEED_BYTES)
        {
            throw new IllegalArgumentException("seed must be " + SEED_BYTES + " bytes");
        }
        final byte[] publicKey = new byte[PUBLIC_KEY_BYTES];
        provider.publicKeyFromSeed(seed, 0, publicKey, 0);
        return new KeyPair(seed, publicKey);
    }

    /** Writes the 64-byte detached signature of message[offset, offset+length) into signature[signatureOffset..]. */
    public void sign(final KeyPair keyPair, final byte[] message, final int offset, final int length,
        final byte[] signature, final int signatureOffset)
    {
        java.util.Objects.checkFromIndexSize(offset, length, message.length);
        java.util.Objects.checkFromIndexSize(signatureOffset, SIGNATURE_BYTES, signature.length);
        provider.sign(keyPair.seed(), keyPair.publicKeyUnsafe(), message, offset, length, signature,
            signatureOffset);
    }

    /** Convenience that allocates the signature; not for hot paths. */
    public byte[] sign(final KeyPair keyPair, final byte[] message)
    {
        final byte[] signature = new byte[SIGNATURE_BYTES];
        sign(keyPair, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Checks a whole message against a 32-byte key and a 64-byte signature. */
    public SignatureCheck check(final byte[] publicKey, final byte[] message, final byte[] signature)
    {
        return check(publicKey, message, 0, message == null ? 0 : message.length, signature);
    }

    /** Checks message[offset, offset+length) against a 32-byte key and a 64-byte signature. */
    public SignatureCheck check(final byte[] publicKey, final byte[] message, final int offset, final int length,
        final byte[] signature)
    {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_BYTES)
        {
            return SignatureCheck.BAD_KEY_LENGTH;
        }
        if (signature == null || signature.length != SIGNATURE_BYTES)
        {
            return SignatureCheck.BAD_SIGNATURE_LENGTH;
        }
        return check(publicKey, 0, message, offset, length, signature, 0);
    }

    /**
     * Checks with every input given as a range of a larger buffer: the key is keys[keyOffset, +32), the signature
     * signatures[signatureOffset, +64). A range that does not fit is reported as the matching BAD_* value.
     */
    public SignatureCheck check(final byte[] keys, final int keyOffset, final byte[] message, final int offset,
        final int length, final byte[] signatures, final int signatureOffset)
    {
        if (!fits(keys, keyOffset, PUBLIC_KEY_BYTES))
        {
            return SignatureCheck.BAD_KEY_LENGTH;
        }
        if (!fits(signatures, signatureOffset, SIGNATURE_BYTES))
        {
            return SignatureCheck.BAD_SIGNATURE_LENGTH;
        }
        if (!fits(message, offset, length))
        {
            return SignatureCheck.BAD_MESSAGE_RANGE;
        }
        final SignatureCheck encoding = checkEncodings(keys, keyOffset, signatures, signatureOffset);
        if (encoding != null)
        {
            return encoding;
        }
        if (!isPrimeOrderKey(keys, keyOffset))
        {
            return SignatureCheck.INVALID_KEY_POINT;
        }
        return provider.verifyCofactorless(keys, keyOffset, message, offset, length, signatures, signatureOffset) ?
            SignatureCheck.VALID : SignatureCheck.INVALID;
    }

    public boolean verify(final byte[] publicKey, final byte[] message, final byte[] signature)
    {
        return check(publicKey, message, signature) == SignatureCheck.VALID;
    }

    public boolean verify(final byte[] publicKey, final byte[] message, final int offset, final int length,
        final byte[] signature)
    {
        return check(publicKey, message, offset, length, signature) == SignatureCheck.VALID;
    }

    /** The byte-level rules, in order; null when they all pass. */
    private static SignatureCheck checkEncodings(final byte[] key, final int keyOffset, final byte[] signature,
        final int signatureOffset)
    {
        if (!StrictEncoding.isCanonicalScalar(signature, signatureOffset + StrictEncoding.POINT_BYTES))
        {
            return SignatureCheck.NON_CANONICAL_S;
        }
        if (!StrictEncoding.isCanonicalPoint(key, keyOffset))
        {
            return SignatureCheck.NON_CANONICAL_KEY;
        }
        if (StrictEncoding.hasSmallOrder(key, keyOffset))
        {
            return SignatureCheck.SMALL_ORDER_KEY;
        }
        if (!StrictEncoding.isCanonicalPoint(signature, signatureOffset))
        {
            return SignatureCheck.NON_CANONICAL_R;
        }
        if (StrictEncoding.hasSmallOrder(signature, signatureOffset))
        {
            return SignatureCheck.SMALL_ORDER_R;
        }
        return null;
    }

    private boolean isPrimeOrderKey(final byte[] key, final int offset)
    {
        final PrimeOrderKeyCache cache = KEY_CACHE.get();
        if (cache.contains(key, offset))
        {
            return true;
        }
        final boolean primeOrder = provider.isPrimeOrderPoint(key, offset);
        if (primeOrder)
        {
            cache.add(key, offset);
        }
        return primeOrder;
    }

    private static boolean fits(final byte[] array, final int offset, final int length)
    {
        return array != null && offset >= 0 && length >= 0 && length <= array.length - offset;
    }
}
