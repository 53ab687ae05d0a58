package io.basalt.crypto;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Which Ed25519 provider to use.
 *
 * @param provider      auto, libsodium or bouncycastle.
 * @param libsodiumPath explicit path to the libsodium shared library, or null to search the usual names.
 */
public record CryptoConfig(Provider provider, Path libsodiumPath)
{
    public static final String PROVIDER_PROPERTY = "basalt.crypto.provider";
    public static final String LIBSODIUM_PATH_PROPERTY = "basalt.crypto.libsodium.path";

    public static final CryptoConfig AUTO = new CryptoConfig(Provider.AUTO, null);

    public enum Provider
    {
        /** libsodium when its shared library loads, else Bouncy Castle. */
        AUTO,
        /** libsodium or a start-up error: for operators who want the fast path guaranteed. */
        LIBSODIUM,
        /** Bouncy Castle, never touching native code. */
        BOUNCYCASTLE;

        /** Parses "auto", "libsodium" or "bouncycastle", ignoring case and surrounding blanks. */
        public static Provider parse(final String text)
        {
            final String name = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            return switch (name)
            {
                case "auto" -> AUTO;
                case "libsodium" -> LIBSODIUM;
                case "bouncycastle" -> BOUNCYCASTLE;
                default -> throw new IllegalArgumentException(
                    "unknown crypto provider '" + text + "'; expected auto, libsodium or bouncycastle");
            };
        }
    }

    public CryptoConfig
    {
        if (provider == null)
        {
            throw new IllegalArgumentException("provider must not be null");
        }
    }

    public static CryptoConfig of(final String provider)
    {
        return new CryptoConfig(Provider.parse(provider), null);
    }

    /** Reads {@value #PROVIDER_PROPERTY} (default auto) and {@value #LIBSODIUM_PATH_PROPERTY} from the JVM. */
    public static CryptoConfig fromSystemProperties()
    {
        return fromProperties(System.getProperties());
    }

    public static CryptoConfig fromProperties(final Properties properties)
    {
        final Provider provider = Provider.parse(properties.getProperty(PROVIDER_PROPERTY, "auto"));
        final String path = properties.getProperty(LIBSODIUM_PATH_PROPERTY);
        return new CryptoConfig(provider, path == null || path.isBlank() ? null : Path.of(path.strip()));
    }
}
