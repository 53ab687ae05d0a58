package io.basalt.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * X25519 from Ed25519 keys through libsodium: {@code crypto_sign_ed25519_sk_to_curve25519},
 * {@code crypto_sign_ed25519_pk_to_curve25519} and {@code crypto_scalarmult}, bound with the FFM API from the same
 * library {@link LibsodiumEd25519} loaded (which also ran {@code sodium_init}). Compiled for Java 22 like it.
 * <p>
 * A validator calls this once per peer at start-up, so each call takes a confined arena of its own rather than
 * per-thread scratch; the arena's secret bytes are wiped before it closes.
 */
final class LibsodiumX25519 implements X25519Provider
{
    private static final long BYTES = 32;
    private static final long ED_SECRET_KEY_BYTES = 64;

    private final MethodHandle skToCurve;
    private final MethodHandle pkToCurve;
    private final MethodHandle scalarMult;

    private LibsodiumX25519(final SymbolLookup lookup)
    {
        final Linker linker = Linker.nativeLinker();
        skToCurve = handle(linker, lookup, "crypto_sign_ed25519_sk_to_curve25519",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        pkToCurve = handle(linker, lookup, "crypto_sign_ed25519_pk_to_curve25519",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        scalarMult = handle(linker, lookup, "crypto_scalarmult",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    }

    /** Binds libsodium as {@link LibsodiumEd25519#load} finds it. @throws IllegalStateException when it cannot. */
    static LibsodiumX25519 load(final Path explicitPath)
    {
        final LibsodiumEd25519 sodium = LibsodiumEd25519.load(explicitPath);
        return new LibsodiumX25519(LibsodiumEd25519.lookup(sodium.libraryName()));
    }

    @SuppressWarnings("restricted") // Signatures follow libsodium's headers for these three functions.
    private static MethodHandle handle(
        final Linker linker, final SymbolLookup lookup, final String symbol, final FunctionDescriptor descriptor)
    {
        return linker.downcallHandle(lookup.find(symbol)
            .orElseThrow(() -> new IllegalStateException("symbol not found: " + symbol)), descriptor);
    }

    @Override
    public Ed25519.Backend backend()
    {
        return Ed25519.Backend.LIBSODIUM;
    }

    @Override
    public boolean sharedSecret(final byte[] seed, final byte[] publicKey, final byte[] peerPublicKey, final byte[] out)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment edSecret = arena.allocate(ED_SECRET_KEY_BYTES);
            final MemorySegment scalar = arena.allocate(BYTES);
            final MemorySegment peerEd = arena.allocate(BYTES);
            final MemorySegment peerU = arena.allocate(BYTES);
            final MemorySegment shared = arena.allocate(BYTES);
            try
            {
                // libsodium's Ed25519 secret key is seed || public key.
                MemorySegment.copy(seed, 0, edSecret, JAVA_BYTE, 0, (int)BYTES);
                MemorySegment.copy(publicKey, 0, edSecret, JAVA_BYTE, BYTES, (int)BYTES);
                MemorySegment.copy(peerPublicKey, 0, peerEd, JAVA_BYTE, 0, (int)BYTES);
                if ((int)pkToCurve.invokeExact(peerU, peerEd) != 0
                    || (int)skToCurve.invokeExact(scalar, edSecret) != 0
                    || (int)scalarMult.invokeExact(shared, scalar, peerU) != 0)
                {
                    return false;
                }
                MemorySegment.copy(shared, JAVA_BYTE, 0, out, 0, (int)BYTES);
                return true;
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException("libsodium X25519 call failed", ex);
            }
            finally
            {
                edSecret.fill((byte)0);
                scalar.fill((byte)0);
                shared.fill((byte)0);
            }
        }
    }
}
