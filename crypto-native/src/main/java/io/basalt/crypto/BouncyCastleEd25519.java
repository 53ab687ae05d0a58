package io.basalt.crypto;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Ed25519 in pure Java through Bouncy Castle's low-level {@code org.bouncycastle.math.ec.rfc8032.Ed25519}: always
 * available, used when libsodium cannot be loaded.
 * <p>
 * Bouncy Castle 1.87 verifies with the <em>cofactored</em> equation [8][S]B = [8]R + [8][k]A (its Straus loop ends
 * with three doublings). With A already known to be in the prime-order subgroup, that differs from the cofactorless
 * equation only when R carries a torsion component, so a cofactored success is confirmed by checking that R is in
 * the prime-order subgroup. Honest signatures always pass both; the extra check runs only on successes.
 */
final class BouncyCastleEd25519 implements Ed25519Provider
{
    static final BouncyCastleEd25519 INSTANCE = new BouncyCastleEd25519();

    private final String description;

    private BouncyCastleEd25519()
    {
        // Builds the base-point tables once, up front, rather than inside the first verify.
        org.bouncycastle.math.ec.rfc8032.Ed25519.precompute();
        description = "Bouncy Castle " + libraryVersion();
    }

    /** bcprov's manifest carries only an OSGi Bundle-Version (no Implementation-Version), so read that. */
    private static String libraryVersion()
    {
        try
        {
            final CodeSource source = org.bouncycastle.math.ec.rfc8032.Ed25519.class.getProtectionDomain().getCodeSource();
            if (source != null)
            {
                try (JarFile jar = new JarFile(Path.of(source.getLocation().toURI()).toFile()))
                {
                    final Manifest manifest = jar.getManifest();
                    final String version = manifest == null ? null :
                        manifest.getMainAttributes().getValue("Bundle-Version");
                    if (version != null)
                    {
                        return version;
                    }
                }
            }
        }
        catch (final IOException | URISyntaxException | RuntimeException ex)
        {
            // Only the log line loses detail; verification does not depend on it.
        }
        return "(unknown version)";
    }

    @Override
    public Ed25519.Backend backend()
    {
        return Ed25519.Backend.BOUNCY_CASTLE;
    }

    @Override
    public String description()
    {
        return description;
    }

    @Override
    public void publicKeyFromSeed(final byte[] seed, final int seedOffset, final byte[] publicKey,
        final int publicKeyOffset)
    {
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, seedOffset, publicKey, publicKeyOffset);
    }

    @Override
    public void sign(final byte[] seed, final byte[] publicKey, final byte[] message, final int offset,
        final int length, final byte[] signature, final int signatureOffset)
    {
        // The variant taking the public key skips a base-point multiplication per signature.
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
            seed, 0, publicKey, 0, message, offset, length, signature, signatureOffset);
    }

    @Override
    public boolean verifyCofactorless(final byte[] publicKey, final int publicKeyOffset, final byte[] message,
        final int offset, final int length, final byte[] signature, final int signatureOffset)
    {
        final boolean cofactored = org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
            signature, signatureOffset, publicKey, publicKeyOffset, message, offset, length);
        return cofactored && isPrimeOrderPoint(signature, signatureOffset);
    }

    @Override
    public boolean isPrimeOrderPoint(final byte[] point, final int offset)
    {
        // "Full" validation: canonical, not small order, decodes, and [L]P is the identity.
        return org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(point, offset);
    }

    /** The library's own answer, without the facade's rule: only for the disagreement tests. */
    static boolean rawVerify(final byte[] publicKey, final byte[] message, final byte[] signature)
    {
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    }
}
