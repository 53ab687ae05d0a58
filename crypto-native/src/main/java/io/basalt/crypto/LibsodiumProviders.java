package io.basalt.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;

/**
 * Finds the libsodium providers, which exist only on a JVM with the Foreign Function &amp; Memory API.
 * <p>
 * This module runs on Java 21 for the SDK, but FFM is final only from Java 22, so {@code LibsodiumEd25519} and
 * {@code LibsodiumX25519} live in {@code src/main/java22} and are compiled into the jar's
 * {@code META-INF/versions/22}: a Java 22+ JVM sees them, a Java 21 JVM does not (crypto-native/README.md). This
 * class, in the Java 21 base, names them only by string and binds their {@code load(Path)} with a method handle,
 * so the base never links against code it cannot load. On Java 21 every lookup fails with the same
 * {@link IllegalStateException} a missing shared library gives, which {@code auto} answers with Bouncy Castle and
 * {@code libsodium} turns into a start-up error.
 */
final class LibsodiumProviders
{
    private static final String ED25519 = "io.basalt.crypto.LibsodiumEd25519";
    private static final String X25519 = "io.basalt.crypto.LibsodiumX25519";

    private LibsodiumProviders()
    {
    }

    /** @throws IllegalStateException when this JVM has no FFM API or libsodium cannot be loaded. */
    static Ed25519Provider ed25519(final Path explicitPath)
    {
        return (Ed25519Provider)load(ED25519, explicitPath);
    }

    /** @throws IllegalStateException when this JVM has no FFM API or libsodium cannot be loaded. */
    static X25519Provider x25519(final Path explicitPath)
    {
        return (X25519Provider)load(X25519, explicitPath);
    }

    private static Object load(final String className, final Path explicitPath)
    {
        final MethodHandle load;
        try
        {
            final Class<?> provider = Class.forName(className, true, LibsodiumProviders.class.getClassLoader());
            load = MethodHandles.lookup().findStatic(provider, "load", MethodType.methodType(provider, Path.class));
        }
        catch (final ReflectiveOperationException | LinkageError ex)
        {
            throw new IllegalStateException("no libsodium provider on this JVM: it calls the FFM API, so it is"
                + " compiled for Java 22+ into META-INF/versions/22 of the crypto-native jar; this JVM is Java "
                + Runtime.version().feature() + " (" + ex + ")", ex);
        }
        try
        {
            return load.invoke(explicitPath);
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("loading libsodium failed", ex);
        }
    }
}
