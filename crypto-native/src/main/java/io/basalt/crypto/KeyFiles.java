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
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Ed25519 key files: small text, owner-only (POSIX mode 0600) from the moment they exist.
 * <pre>
 *   basalt-ed25519-key v1                     basalt-ed25519-key v2 encrypted
 *   public-key &lt;64 hex digits&gt;               public-key &lt;64 hex digits&gt;
 *   seed &lt;64 hex digits&gt;                     kdf argon2id m=65536 t=3 p=1 salt=&lt;32 hex&gt;
 *                                             nonce &lt;24 hex&gt;
 *                                             sealed-seed &lt;96 hex&gt;
 * </pre>
 * An encrypted file seals the seed with AES-256-GCM under a key that Argon2id (Bouncy Castle) derives
 * from a passphrase; the header, public key and kdf line are the associated data, so none can be
 * changed unnoticed. {@link #read(Path)} takes the passphrase from the environment:
 * {@value #PASSPHRASE_FILE_ENV} (a file, owner-only like the key) or else {@value #PASSPHRASE_ENV}.</p>
 * Writing goes to a temporary file in the same directory, created 0600, synced, then renamed into place, so a
 * crash leaves either no key file or a complete one, and the secret is never readable by others even briefly.
 */
public final class KeyFiles
{
    public static final String HEADER = "basalt-ed25519-key v1";
    public static final String ENCRYPTED_HEADER = "basalt-ed25519-key v2 encrypted";
    /** Environment variable naming a file that holds the passphrase of encrypted key files. */
    public static final String PASSPHRASE_FILE_ENV = "BASALT_KEY_PASSPHRASE_FILE";
    /** Environment variable holding the passphrase itself (the file is preferred: environments leak). */
    public static final String PASSPHRASE_ENV = "BASALT_KEY_PASSPHRASE";
    /** Argon2id cost of new encrypted files: 64 MiB, 3 passes, 1 lane. */
    static final Argon2Cost DEFAULT_COST = new Argon2Cost(65_536, 3, 1);
    private static final String KDF_PREFIX = "kdf argon2id ";
    private static final String NONCE_PREFIX = "nonce ";
    private static final String SEALED_PREFIX = "sealed-seed ";
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
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
        writeOwnerOnly(path, encode(keyPair), overwrite);
    }

    private static void writeOwnerOnly(final Path path, final byte[] content, final boolean overwrite) throws IOException
    {
        final Path target = path.toAbsolutePath();
        final Path directory = target.getParent();
        final Path temp = createOwnerOnlyTempFile(directory, target.getFileName().toString());
        try
        {
            writeAndSync(temp, content);
            moveIntoPlace(temp, target, overwrite);
            syncDirectory(directory);
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes a new key file whose seed is sealed under {@code passphrase} (not kept); refuses to replace one. */
    public static void writeEncrypted(final Path path, final KeyPair keyPair, final char[] passphrase,
        final boolean overwrite) throws IOException
    {
        writeEncrypted(path, keyPair, passphrase, overwrite, DEFAULT_COST);
    }

    static void writeEncrypted(final Path path, final KeyPair keyPair, final char[] passphrase, final boolean overwrite,
        final Argon2Cost cost) throws IOException
    {
        if (passphrase == null || passphrase.length == 0)
        {
            throw new KeyFileException("an encrypted key file needs a non-empty passphrase");
        }
        final SecureRandom random = new SecureRandom();
        final byte[] salt = new byte[SALT_BYTES];
        final byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        final String kdfLine = KDF_PREFIX + cost.text() + " salt=" + Hex.encode(salt);
        final String publicKeyLine = PUBLIC_KEY_PREFIX + keyPair.publicKeyHex();
        // keyPair.seed() is the key's own array, not a copy: it is read here, never cleared.
        final byte[] sealed = aesGcm(Cipher.ENCRYPT_MODE, derive(passphrase, salt, cost), nonce,
            associatedData(publicKeyLine, kdfLine), keyPair.seed(), path);
        final String text = ENCRYPTED_HEADER + "\n" + publicKeyLine + "\n" + kdfLine + "\n" +
            NONCE_PREFIX + Hex.encode(nonce) + "\n" + SEALED_PREFIX + Hex.encode(sealed) + "\n";
        writeOwnerOnly(path, text.getBytes(StandardCharsets.US_ASCII), overwrite);
    }

    /** Whether the file is an encrypted key file (by its first line); false for a plain one. */
    public static boolean isEncrypted(final Path path) throws IOException
    {
        final List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        return !lines.isEmpty() && ENCRYPTED_HEADER.equals(lines.get(0).strip());
    }

    /**
     * Reads a key file, refusing one that group or others may access, and checks that the stored public key is the
     * one derived from the stored seed (catches truncation and hand edits). An encrypted file is opened with the
     * passphrase from the environment ({@link #passphraseFromEnvironment()}).
     */
    public static KeyPair read(final Path path) throws IOException
    {
        return read(path, null);
    }

    /** {@link #read(Path)} with the passphrase of an encrypted file given (null: from the environment). */
    public static KeyPair read(final Path path, final char[] passphrase) throws IOException
    {
        requireOwnerOnly(path);
        final List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        if (!lines.isEmpty() && ENCRYPTED_HEADER.equals(lines.get(0).strip()))
        {
            return readEncrypted(path, lines, passphrase);
        }
        if (lines.size() < 3 || !HEADER.equals(lines.get(0).strip()))
        {
            throw new KeyFileException("not a " + HEADER + " key file: " + path);
        }
        final byte[] publicKey = field(lines.get(1), PUBLIC_KEY_PREFIX, path);
        final byte[] seed = field(lines.get(2), SEED_PREFIX, path);
        return fromSeed(publicKey, seed, path);
    }

    /**
     * The passphrase for encrypted key files: the content of the file {@value #PASSPHRASE_FILE_ENV} names (owner-only,
     * one trailing newline dropped), else {@value #PASSPHRASE_ENV}; an error that says what to set when neither is.
     */
    public static char[] passphraseFromEnvironment() throws IOException
    {
        final String file = System.getenv(PASSPHRASE_FILE_ENV);
        if (file != null && !file.isBlank())
        {
            return readPassphraseFile(Path.of(file));
        }
        final String value = System.getenv(PASSPHRASE_ENV);
        if (value != null && !value.isEmpty())
        {
            return value.toCharArray();
        }
        throw new KeyFileException("the key file is encrypted: set " + PASSPHRASE_FILE_ENV +
            " to a file holding its passphrase (or " + PASSPHRASE_ENV + ")");
    }

    /** A passphrase file: owner-only like a key file; its one trailing newline (\n or \r\n) is not part of it. */
    public static char[] readPassphraseFile(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file))
        {
            throw new KeyFileException("passphrase file not found: " + file);
        }
        requireOwnerOnly(file);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.endsWith("\n"))
        {
            text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
        }
        if (text.isEmpty())
        {
            throw new KeyFileException("passphrase file is empty: " + file);
        }
        return text.toCharArray();
    }

    private static KeyPair readEncrypted(final Path path, final List<String> lines, final char[] given) throws IOException
    {
        if (lines.size() < 5)
        {
            throw new KeyFileException("truncated encrypted key file: " + path);
        }
        final String publicKeyLine = lines.get(1).strip();
        final String kdfLine = lines.get(2).strip();
        final byte[] publicKey = field(publicKeyLine, PUBLIC_KEY_PREFIX, path);
        if (!kdfLine.startsWith(KDF_PREFIX))
        {
            throw new KeyFileException("malformed 'kdf' line in key file " + path);
        }
        final String[] kdf = kdfLine.substring(KDF_PREFIX.length()).split(" ");
        if (kdf.length != 4 || !kdf[3].startsWith("salt="))
        {
            throw new KeyFileException("malformed 'kdf' line in key file " + path);
        }
        final Argon2Cost cost = Argon2Cost.parse(kdf[0], kdf[1], kdf[2], path);
        final byte[] salt = hexField(kdf[3].substring("salt=".length()), SALT_BYTES, "kdf salt", path);
        final byte[] nonce = hexField(strippedValue(lines.get(3), NONCE_PREFIX, path), NONCE_BYTES, "nonce", path);
        final byte[] sealed = hexField(strippedValue(lines.get(4), SEALED_PREFIX, path), 32 + TAG_BITS / 8,
            "sealed-seed", path);
        final char[] passphrase = given != null ? given : passphraseFromEnvironment();
        try
        {
            final byte[] seed = aesGcm(Cipher.DECRYPT_MODE, derive(passphrase, salt, cost), nonce,
                associatedData(publicKeyLine, kdfLine), sealed, path);
            return fromSeed(publicKey, seed, path);
        }
        finally
        {
            if (given == null)
            {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static KeyPair fromSeed(final byte[] publicKey, final byte[] seed, final Path path) throws KeyFileException
    {
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

    private static String strippedValue(final String line, final String prefix, final Path path) throws KeyFileException
    {
        final String stripped = line.strip();
        if (!stripped.startsWith(prefix))
        {
            throw new KeyFileException("malformed '" + prefix.strip() + "' line in key file " + path);
        }
        return stripped.substring(prefix.length());
    }

    private static byte[] hexField(final String hex, final int bytes, final String name, final Path path)
        throws KeyFileException
    {
        if (hex.length() != 2 * bytes)
        {
            throw new KeyFileException("malformed '" + name + "' in key file " + path);
        }
        try
        {
            return Hex.decode(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new KeyFileException("malformed '" + name + "' in key file " + path + ": " + ex.getMessage());
        }
    }

    private static byte[] associatedData(final String publicKeyLine, final String kdfLine)
    {
        return (ENCRYPTED_HEADER + "\n" + publicKeyLine + "\n" + kdfLine).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] derive(final char[] passphrase, final byte[] salt, final Argon2Cost cost)
    {
        final Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKiB())
            .withIterations(cost.iterations())
            .withParallelism(cost.lanes())
            .withSalt(salt)
            .build());
        final byte[] key = new byte[32];
        generator.generateBytes(passphrase, key);
        return key;
    }

    private static byte[] aesGcm(final int mode, final byte[] key, final byte[] nonce, final byte[] associatedData,
        final byte[] input, final Path path) throws KeyFileException
    {
        try
        {
            final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(input);
        }
        catch (final AEADBadTagException ex)
        {
            throw new KeyFileException("wrong passphrase for key file " + path + " (or the file was altered)");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new KeyFileException("cannot " + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open") + " key file " +
                path + ": " + ex.getMessage(), ex);
        }
        finally
        {
            Arrays.fill(key, (byte)0);
        }
    }

    /** Argon2id cost: memory in KiB, passes, lanes; bounded when read so a hostile file cannot ask for the moon. */
    record Argon2Cost(int memoryKiB, int iterations, int lanes)
    {
        String text()
        {
            return "m=" + memoryKiB + " t=" + iterations + " p=" + lanes;
        }

        static Argon2Cost parse(final String m, final String t, final String p, final Path path) throws KeyFileException
        {
            try
            {
                final int memory = Integer.parseInt(value(m, "m="));
                final int iterations = Integer.parseInt(value(t, "t="));
                final int lanes = Integer.parseInt(value(p, "p="));
                if (memory < 8 * lanes || memory > 4 * 1024 * 1024 || iterations < 1 || iterations > 64 ||
                    lanes < 1 || lanes > 16)
                {
                    throw new KeyFileException("kdf cost out of range in key file " + path + " (m " + memory +
                        " KiB, t " + iterations + ", p " + lanes + ")");
                }
                return new Argon2Cost(memory, iterations, lanes);
            }
            catch (final NumberFormatException ex)
            {
                throw new KeyFileException("malformed 'kdf' line in key file " + path);
            }
        }

        private static String value(final String field, final String prefix)
        {
            if (!field.startsWith(prefix) || field.length() == prefix.length() || field.length() > prefix.length() + 9)
            {
                throw new NumberFormatException(field);
            }
            for (int i = prefix.length(); i < field.length(); i++)
            {
                if (field.charAt(i) < '0' || field.charAt(i) > '9')
                {
                    throw new NumberFormatException(field);
                }
            }
            return field.substring(prefix.length());
        }
    }
}
