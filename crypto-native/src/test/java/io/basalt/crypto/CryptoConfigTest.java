package io.basalt.crypto;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CryptoConfigTest
{
    @Test
    void parsesProviderNames()
    {
        assertEquals(CryptoConfig.Provider.AUTO, CryptoConfig.Provider.parse(" Auto "));
        assertEquals(CryptoConfig.Provider.LIBSODIUM, CryptoConfig.Provider.parse("libsodium"));
        assertEquals(CryptoConfig.Provider.BOUNCYCASTLE, CryptoConfig.Provider.parse("BouncyCastle"));
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> CryptoConfig.Provider.parse("openssl"));
        assertTrue(ex.getMessage().contains("auto, libsodium or bouncycastle"));
    }

    @Test
    void readsProperties()
    {
        final Properties properties = new Properties();
        assertEquals(CryptoConfig.AUTO, CryptoConfig.fromProperties(properties));
        properties.setProperty(CryptoConfig.PROVIDER_PROPERTY, "libsodium");
        properties.setProperty(CryptoConfig.LIBSODIUM_PATH_PROPERTY, "/opt/sodium/libsodium.so");
        final CryptoConfig config = CryptoConfig.fromProperties(properties);
        assertEquals(CryptoConfig.Provider.LIBSODIUM, config.provider());
        assertEquals(Path.of("/opt/sodium/libsodium.so"), config.libsodiumPath());
        assertNull(CryptoConfig.of("auto").libsodiumPath());
    }

    @Test
    void selectsProviders()
    {
        assertEquals(Ed25519.Backend.BOUNCY_CASTLE, Ed25519.create(CryptoConfig.of("bouncycastle")).backend());
        TestProviders.libsodiumProvider();
        assertEquals(Ed25519.Backend.LIBSODIUM, Ed25519.create(CryptoConfig.of("auto")).backend());
        final Ed25519 sodium = Ed25519.create(CryptoConfig.of("libsodium"));
        assertEquals(Ed25519.Backend.LIBSODIUM, sodium.backend());
        assertTrue(sodium.providerDescription().startsWith("libsodium 1.0."), sodium.providerDescription());
    }

    @Test
    void missingLibsodiumIsAClearErrorOrAFallback()
    {
        final Path missing = Path.of("/nonexistent/libsodium.so");
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> Ed25519.create(new CryptoConfig(CryptoConfig.Provider.LIBSODIUM, missing)));
        assertTrue(ex.getMessage().contains("cannot load libsodium"), ex.getMessage());
        assertTrue(ex.getMessage().contains(missing.toString()), ex.getMessage());
        assertEquals(Ed25519.Backend.BOUNCY_CASTLE,
            Ed25519.create(new CryptoConfig(CryptoConfig.Provider.AUTO, missing)).backend());
    }

    @Test
    void explicitLibsodiumPathLoads()
    {
        TestProviders.libsodiumProvider();
        final Path path = Path.of("/usr/lib/x86_64-linux-gnu/libsodium.so.23");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(path), "Debian libsodium23 path");
        assertEquals(Ed25519.Backend.LIBSODIUM,
            Ed25519.create(new CryptoConfig(CryptoConfig.Provider.LIBSODIUM, path)).backend());
    }
}
