package io.basalt.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Ed25519 through libsodium, called with the Foreign Function &amp; Memory API (no JNI code to build).
 * <p>
 * Inputs are copied into per-thread native scratch memory and the downcalls are ordinary (not "critical"). Copying
 * 100-odd bytes costs nanoseconds against a ~50 µs verify, and a critical call would hold off safepoints for the
 * whole verify on every verifier thread, so neither heap access nor critical mode buys anything measurable here.
 * Scratch is reused, so a verify allocates nothing once a thread has warmed up.
 * <p>
 * Libsodium 1.0.18 verifies with the cofactorless equation and compares the recomputed R byte for byte, which is
 * exactly the facade's rule once the facade has run its checks.
 * <p>
 * Compiled for Java 22 (the first with FFM final) into the jar's {@code META-INF/versions/22}; the Java 21 base finds
 * it through {@link LibsodiumProviders}, which is also why {@code load} keeps its exact signature.
 */
final class LibsodiumEd25519 implements Ed25519Provider
{
    /** Library names tried, in order, when no explicit path is configured (Debian ships only the .so.23 name). */
    static final List<String> DEFAULT_LIBRARY_NAMES = List.of(
        "libsodium.so.23", "libsodium.so.26", "libsodium.so", System.mapLibraryName("sodium"),
        "libsodium.26.dylib", "libsodium.23.dylib");

    private static final int PUBLIC_KEY_BYTES = 32;
    private static final int SECRET_KEY_BYTES = 64;
    private static final int SIGNATURE_BYTES = 64;
    private static final int SEED_BYTES = 32;

    /** Messages up to this size reuse the per-thread scratch; larger ones (rare, bounded by the network) get a
     * temporary arena so one huge message does not pin a huge buffer to a thread forever. */
    private static final int MAX_REUSED_MESSAGE_BYTES = 1 << 20;
    private static final int INITIAL_MESSAGE_BYTES = 4096;

    /*
     * Fixed scratch layout, one block per thread:
     *   0      64      96       160     192
     *   +------+-------+--------+-------+
     *   | sig  |  pk   | sk     | seed  |
     *   +------+-------+--------+-------+
     */
    private static final long SIG_AT = 0;
    private static final long PK_AT = 64;
    private static final long SK_AT = 96;
    private static final long SEED_AT = 160;
    private static final long FIXED_SCRATCH_BYTES = 192;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final Map<String, LibsodiumEd25519> LOADED = new ConcurrentHashMap<>();

    private final String libraryName;
    private final String version;
    private final MethodHandle seedKeypair;
    private final MethodHandle signDetached;
    private final MethodHandle verifyDetached;
    private final MethodHandle isValidPoint;

    private LibsodiumEd25519(final String libraryName, final SymbolLookup lookup)
    {
        final Linker linker = Linker.nativeLinker();
        this.libraryName = libraryName;
        seedKeypair = handle(linker, lookup, "crypto_sign_seed_keypair",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        signDetached = handle(linker, lookup, "crypto_sign_detached",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        verifyDetached = handle(linker, lookup, "crypto_sign_verify_detached",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        isValidPoint = handle(linker, lookup, "crypto_core_ed25519_is_valid_point",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
        initialise(linker, lookup);
        checkSizes(linker, lookup);
        version = versionString(linker, lookup);
    }

    /**
     * Loads libsodium once per process and name. With an explicit path only that file is tried, since an operator
     * who names a library means that one.
     *
     * @throws IllegalStateException naming every name tried and why each failed.
     */
    static LibsodiumEd25519 load(final Path explicitPath)
    {
        final Set<String> names = new LinkedHashSet<>();
        if (explicitPath != null)
        {
            names.add(explicitPath.toAbsolutePath().toString());
        }
        else
        {
            names.addAll(DEFAULT_LIBRARY_NAMES);
        }
        final List<String> failures = new ArrayList<>();
        for (final String name : names)
        {
            try
            {
                return LOADED.computeIfAbsent(name, n -> new LibsodiumEd25519(n, lookup(n)));
            }
            catch (final RuntimeException ex)
            {
                failures.add(name + ": " + ex.getMessage());
            }
        }
        throw new IllegalStateException("cannot load libsodium; tried " + String.join("; ", failures));
    }

    @SuppressWarnings("restricted") // Loading native code is this class's purpose; tests run with native access enabled.
    static SymbolLookup lookup(final String name)
    {
        // A name containing '/' is a path; otherwise dlopen searches the usual library directories.
        return name.indexOf('/') >= 0 ?
            SymbolLookup.libraryLookup(Path.of(name), Arena.global()) :
            SymbolLookup.libraryLookup(name, Arena.global());
    }

    @SuppressWarnings("restricted") // Signatures are checked against libsodium's headers (and sizes at load).
    private static MethodHandle handle(
        final Linker linker, final SymbolLookup lookup, final String symbol, final FunctionDescriptor descriptor)
    {
        return linker.downcallHandle(lookup.find(symbol)
            .orElseThrow(() -> new IllegalStateException("symbol not found: " + symbol)), descriptor);
    }

    /** sodium_init must run before any other call; it returns 0 (done now), 1 (already done) or -1 (failed). */
    private static void initialise(final Linker linker, final SymbolLookup lookup)
    {
        final int result = (int)invoke(handle(linker, lookup, "sodium_init", FunctionDescriptor.of(JAVA_INT)));
        if (result < 0)
        {
            throw new IllegalStateException("sodium_init failed: " + result);
        }
    }

    /** Guards against a build of libsodium with a different Ed25519 layout than the one coded here. */
    private static void checkSizes(final Linker linker, final SymbolLookup lookup)
    {
        final FunctionDescriptor sizeT = FunctionDescriptor.of(JAVA_LONG);
        final long pk = (long)invoke(handle(linker, lookup, "crypto_sign_publickeybytes", sizeT));
        final long sk = (long)invoke(handle(linker, lookup, "crypto_sign_secretkeybytes", sizeT));
        final long sig = (long)invoke(handle(linker, lookup, "crypto_sign_bytes", sizeT));
        final long seed = (long)invoke(handle(linker, lookup, "crypto_sign_seedbytes", sizeT));
        if (pk != PUBLIC_KEY_BYTES || sk != SECRET_KEY_BYTES || sig != SIGNATURE_BYTES || seed != SEED_BYTES)
        {
            throw new IllegalStateException("unexpected libsodium sizes pk=" + pk + " sk=" + sk + " sig=" + sig +
                " seed=" + seed);
        }
    }

    @SuppressWarnings("restricted") // The returned C string has no size; reinterpret bounds the read.
    private static String versionString(final Linker linker, final SymbolLookup lookup)
    {
        final MemorySegment text = (MemorySegment)invoke(
            handle(linker, lookup, "sodium_version_string", FunctionDescriptor.of(ADDRESS)));
        // The C string is static and short; 64 bytes bounds the read.
        return text.reinterpret(64).getString(0);
    }

    private static Object invoke(final MethodHandle handle)
    {
        try
        {
            return handle.invoke();
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("libsodium call failed", ex);
        }
    }

    /** The name or path this instance was loaded from; {@link LibsodiumX25519} binds the same library. */
    String libraryName()
    {
        return libraryName;
    }

    /** The version reported by sodium_version_string(), e.g. "1.0.18". */
    String version()
    {
        return version;
    }

    @Override
    public Ed25519.Backend backend()
    {
        return Ed25519.Backend.LIBSODIUM;
    }

    @Override
    public String description()
    {
        return "libsodium " + version + " (" + libraryName + ")";
    }

    @Override
    public void publicKeyFromSeed(final byte[] seed, final int seedOffset, final byte[] publicKey,
        final int publicKeyOffset)
    {
        final Scratch scratch = SCRATCH.get();
        final MemorySegment fixed = scratch.fixed;
        MemorySegment.copy(seed, seedOffset, fixed, JAVA_BYTE, SEED_AT, SEED_BYTES);
        final int result;
        try
        {
            result = (int)seedKeypair.invokeExact(scratch.publicKey, scratch.secretKey, scratch.seed);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("crypto_sign_seed_keypair failed", ex);
        }
        finally
        {
            wipeSecrets(scratch);
        }
        check(result == 0, "crypto_sign_seed_keypair");
        MemorySegment.copy(fixed, JAVA_BYTE, PK_AT, publicKey, publicKeyOffset, PUBLIC_KEY_BYTES);
    }

    @Override
    public void sign(final byte[] seed, final byte[] publicKey, final byte[] message, final int offset,
        final int length, final byte[] signature, final int signatureOffset)
    {
        final Scratch scratch = SCRATCH.get();
        final MemorySegment fixed = scratch.fixed;
        // libsodium's secret key is seed || public key.
        MemorySegment.copy(seed, 0, fixed, JAVA_BYTE, SK_AT, SEED_BYTES);
        MemorySegment.copy(publicKey, 0, fixed, JAVA_BYTE, SK_AT + SEED_BYTES, PUBLIC_KEY_BYTES);
        final int result;
        try (Arena oversize = length > MAX_REUSED_MESSAGE_BYTES ? Arena.ofConfined() : null)
        {
            final MemorySegment m = scratch.message(message, offset, length, oversize);
            result = (int)signDetached.invokeExact(
                scratch.signature, MemorySegment.NULL, m, (long)length, scratch.secretKey);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("crypto_sign_detached failed", ex);
        }
        finally
        {
            wipeSecrets(scratch);
        }
        check(result == 0, "crypto_sign_detached");
        MemorySegment.copy(fixed, JAVA_BYTE, SIG_AT, signature, signatureOffset, SIGNATURE_BYTES);
    }

    @Override
    public boolean verifyCofactorless(final byte[] publicKey, final int publicKeyOffset, final byte[] message,
        final int offset, final int length, final byte[] signature, final int signatureOffset)
    {
        final Scratch scratch = SCRATCH.get();
        final MemorySegment fixed = scratch.fixed;
        MemorySegment.copy(signature, signatureOffset, fixed, JAVA_BYTE, SIG_AT, SIGNATURE_BYTES);
        MemorySegment.copy(publicKey, publicKeyOffset, fixed, JAVA_BYTE, PK_AT, PUBLIC_KEY_BYTES);
        try (Arena oversize = length > MAX_REUSED_MESSAGE_BYTES ? Arena.ofConfined() : null)
        {
            final MemorySegment m = scratch.message(message, offset, length, oversize);
            return 0 == (int)verifyDetached.invokeExact(
                scratch.signature, m, (long)length, scratch.publicKey);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("crypto_sign_verify_detached failed", ex);
        }
    }

    @Override
    public boolean isPrimeOrderPoint(final byte[] point, final int offset)
    {
        final Scratch scratch = SCRATCH.get();
        MemorySegment.copy(point, offset, scratch.fixed, JAVA_BYTE, PK_AT, PUBLIC_KEY_BYTES);
        try
        {
            // In 1.0.18 this checks canonical, not small order, on the curve and [L]P = identity.
            return 1 == (int)isValidPoint.invokeExact(scratch.publicKey);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("crypto_core_ed25519_is_valid_point failed", ex);
        }
    }

    /** Secrets do not outlive the call in native memory, where no GC would ever overwrite them. */
    private static void wipeSecrets(final Scratch scratch)
    {
        scratch.secretKey.fill((byte)0);
        scratch.seed.fill((byte)0);
    }

    private static void check(final boolean ok, final String function)
    {
        if (!ok)
        {
            throw new IllegalStateException(function + " returned an error");
        }
    }

    /** Per-thread native memory; freed by the GC with the thread (automatic arena). */
    private static final class Scratch
    {
        private final Arena arena = Arena.ofAuto();
        final MemorySegment fixed = arena.allocate(FIXED_SCRATCH_BYTES, 16);
        final MemorySegment signature = fixed.asSlice(SIG_AT, SIGNATURE_BYTES);
        final MemorySegment publicKey = fixed.asSlice(PK_AT, PUBLIC_KEY_BYTES);
        final MemorySegment secretKey = fixed.asSlice(SK_AT, SECRET_KEY_BYTES);
        final MemorySegment seed = fixed.asSlice(SEED_AT, SEED_BYTES);
        private MemorySegment messageBuffer = arena.allocate(INITIAL_MESSAGE_BYTES);

        /** Copies the message into native memory; {@code oversize} is non-null exactly for oversize messages. */
        MemorySegment message(final byte[] message, final int offset, final int length, final Arena oversize)
        {
            final MemorySegment target;
            if (oversize != null)
            {
                target = oversize.allocate(length);
            }
            else
            {
                if (length > messageBuffer.byteSize())
                {
                    final long grown = Math.min(MAX_REUSED_MESSAGE_BYTES, Math.max(length, 2 * messageBuffer.byteSize()));
                    messageBuffer = arena.allocate(grown);
                }
                target = messageBuffer;
            }
            MemorySegment.copy(message, offset, target, ValueLayout.JAVA_BYTE, 0, length);
            return target;
        }
    }
}
