package io.basalt.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Ed25519 key files: small text, owner-only (POSIX mode 0600) from the moment they exist.
 * <pre>
 *   basalt-ed25519-key v1
 *   public-key &lt;64 hex digits&gt;
 *   seed &lt;64 hex digits&gt;
 * </pre>
 * Writing goes to a temporary file in the same directory, created 0600, synced, then renamed into place, so a
 * crash leaves either no key file or a complete one, and the secret is never readable by others even briefly.
 */
public final class KeyFiles
{
    public static final String HEADER = "basalt-ed25519-key v1";
    private static final String PUBLIC_KEY_PREFIX = "public-key ";
    private static final String SEED_PREFIX = "seed ";
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private KeyFiles()
    {
    }

    /** Writes a new key file; refuses to replace an existing one. */
    public static void write(final Path path, final KeyPair keyPair) throws IOException
    {
        write(path, keyPair, false);
    }

    public static void write(final Path path, final KeyPair keyPair, final boolean overwrite) throws IOException
    {
        final Path target = path.toAbsolutePath();
        final Path directory = target.getParent();
        final Path temp = createOwnerOnlyTempFile(directory, target.getFileName().toString());
        try
        {
            writeAndSync(temp, encode(keyPair));
            moveIntoPlace(temp, target, overwrite);
            syncDirectory(directory);
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Reads a key file, refusing one that group or others may access, and checks that the stored public key is the
     * one derived from the stored seed (catches truncation and hand edits).
     */
    public static KeyPair read(final Path path) throws IOException
    {
        requireOwnerOnly(path);
        final List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        if (lines.size() < 3 || !HEADER.equals(lines.get(0).strip()))
        {
            throw new KeyFileException("not a " + HEADER + " key file: " + path);
        }
        final byte[] publicKey = field(lines.get(1), PUBLIC_KEY_PREFIX, path);
        final byte[] seed = field(lines.get(2), SEED_PREFIX, path);
        try
        {
            final KeyPair keyPair = new Ed25519(BouncyCastleEd25519.INSTANCE).keyPairFromSeed(seed);
            if (!Arrays.equals(publicKey, keyPair.publicKeyUnsafe()))
            {
                throw new KeyFileException("public key in " + path + " does not match its seed");
            }
            return keyPair;
        }
        finally
        {
            Arrays.fill(seed, (byte)0);
        }
    }

    private static Path createOwnerOnlyTempFile(final Path directory, final String name) throws IOException
    {
        final FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
        try
        {
            return Files.createTempFile(directory, "." + name + ".", ".tmp", ownerOnly);
        }
        catch (final UnsupportedOperationException ex)
        {
            throw new KeyFileException("key files need a POSIX file system (mode 0600): " + directory, ex);
        }
    }

    private static void writeAndSync(final Path file, final byte[] content) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        finally
        {
            Arrays.fill(content, (byte)0);
        }
    }

    /**
     * Without overwrite, a hard link publishes the file and fails atomically if the name exists, so two writers
     * cannot both succeed. With overwrite, an atomic rename replaces the old file.
     */
    private static void moveIntoPlace(final Path temp, final Path target, final boolean overwrite) throws IOException
    {
        if (overwrite)
        {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try
        {
            Files.createLink(target, temp);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new KeyFileException("key file already exists, not overwriting: " + target, ex);
        }
    }

    /** Makes the rename durable; not every platform lets a directory be opened, so this is best effort. */
    private static void syncDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException | RuntimeException ignored)
        {
            // The file itself is synced; losing the directory entry on power loss is the remaining, rare risk.
        }
    }

    private static void requireOwnerOnly(final Path path) throws IOException
    {
        final Set<PosixFilePermission> permissions;
        try
        {
            permissions = Files.getPosixFilePermissions(path);
        }
        catch (final UnsupportedOperationException ex)
        {
            throw new KeyFileException("cannot check permissions of " + path + " on a non-POSIX file system", ex);
        }
        if (!OWNER_READ_WRITE.containsAll(permissions))
        {
            throw new KeyFileException("key file " + path + " is accessible by group or others (mode " +
                PosixFilePermissions.toString(permissions) + "); run: chmod 600 " + path);
        }
    }

    private static byte[] encode(final KeyPair keyPair)
    {
        final String text = HEADER + "\n" +
            PUBLIC_KEY_PREFIX + keyPair.publicKeyHex() + "\n" +
            SEED_PREFIX + Hex.encode(keyPair.seed()) + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses "prefix &lt;64 hex&gt;"; errors name the file and the field, never the line's content. */
    private static byte[] field(final String line, final String prefix, final Path path) throws KeyFileException
    {
        final String stripped = line.strip();
        final String name = prefix.strip();
        if (!stripped.startsWith(prefix) || stripped.length() != prefix.length() + 64)
        {
            throw new KeyFileException("malformed '" + name + "' line in key file " + path);
        }
        try
        {
            return Hex.decode(stripped.substring(prefix.length()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new KeyFileException("malformed '" + name + "' value in key file " + path + ": " + ex.getMessage());
        }
    }
}
