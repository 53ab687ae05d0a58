package io.basalt.crypto;

import java.util.Optional;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.Assumptions;

/** Both providers for tests; libsodium tests are skipped, with the reason, only when the library cannot load. */
final class TestProviders
{
    static final Ed25519 BOUNCY_CASTLE = new Ed25519(BouncyCastleEd25519.INSTANCE);

    private static final Ed25519Provider SODIUM;
    private static final String SODIUM_ERROR;

    static
    {
        Ed25519Provider loaded = null;
        String error = null;
        try
        {
            loaded = LibsodiumProviders.ed25519(null);
        }
        catch (final IllegalStateException ex)
        {
            error = ex.getMessage();
        }
        SODIUM = loaded;
        SODIUM_ERROR = error;
    }

    private TestProviders()
    {
    }

    static boolean libsodiumAvailable()
    {
        return SODIUM != null;
    }

    /** The libsodium provider, or a JUnit assumption failure that names why it is missing. */
    static Ed25519Provider libsodiumProvider()
    {
        Assumptions.assumeTrue(SODIUM != null, () -> "skipping: libsodium cannot be loaded: " + SODIUM_ERROR);
        return SODIUM;
    }

    static Ed25519 libsodium()
    {
        return new Ed25519(libsodiumProvider());
    }

    /** jqwik counterpart of the JUnit assumption: skips a whole property container when libsodium is missing. */
    static final class RequiresLibsodium implements SkipExecutionHook
    {
        @Override
        public SkipResult shouldBeSkipped(final LifecycleContext context)
        {
            return Optional.ofNullable(SODIUM_ERROR)
                .map(error -> SkipResult.skip("libsodium cannot be loaded: " + error))
                .orElse(SkipResult.doNotSkip());
        }
    }
}
