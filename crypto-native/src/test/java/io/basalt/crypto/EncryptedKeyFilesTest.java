package io.basalt.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key files sealed under a passphrase: round trip, and every way a wrong passphrase or an edit is refused. */
class EncryptedKeyFilesTest
{
    /** Cheap Argon2id for tests; the cost is read back from the file, so reading exercises the same path. */
    private static final KeyFiles.Argon2Cost CHEAP = new KeyFiles.Argon2Cost(256, 1, 1);
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private final Ed25519 ed25519 = TestProviders.BOUNCY_CASTLE;

    @Test
    void roundTripsAndNeverWritesTheSeed() throws IOException
    {
        final KeyPair key = ed25519.generateKeyPair(RANDOM);
        final Path file = dir.resolve("validator.key");
        KeyFiles.writeEncrypted(file, key, PASSPHRASE, false, CHEAP);

        assertTrue(KeyFiles.isEncrypted(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertFalse(text.contains(Hex.encode(key.seed())), "the seed must not be in the file");
        assertTrue(text.contains(key.publicKeyHex()), "the public key stays readable");

        final KeyPair read = KeyFiles.read(file, PASSPHRASE.clone());
        assertArrayEquals(key.publicKey(), read.publicKey());
        assertArrayEquals(key.seed(), read.seed());
    }

    @Test
    void theDefaultCostIsWhatNewFilesGet() throws IOException
    {
        final Path file = dir.resolve("strong.key");
        KeyFiles.writeEncrypted(file, ed25519.generateKeyPair(RANDOM), PASSPHRASE, false);
        assertTrue(Files.readString(file).contains("kdf argon2id m=65536 t=3 p=1 salt="));
    }

    @Test
    void aWrongPassphraseIsRefusedClearly() throws IOException
    {
        final Path file = dir.resolve("k.key");
        KeyFiles.writeEncrypted(file, ed25519.generateKeyPair(RANDOM), PASSPHRASE, false, CHEAP);
        final KeyFileException ex = assertThrows(KeyFileException.class,
            () -> KeyFiles.read(file, "Correct horse battery staple".toCharArray()));
        assertTrue(ex.getMessage().startsWith("wrong passphrase for key file"), ex.getMessage());
    }

    @Test
    void editsToAnyLineAreRefused() throws IOException
    {
        final KeyPair key = ed25519.generateKeyPair(RANDOM);
        final KeyPair other = ed25519.generateKeyPair(RANDOM);
        final Path file = dir.resolve("k.key");
        KeyFiles.writeEncrypted(file, key, PASSPHRASE, false, CHEAP);
        final List<String> lines = Files.readAllLines(file);
        // Another public key (authenticated as associated data), a cheaper kdf, a flipped sealed byte.
        assertRefused(file, lines, 1, "public-key " + other.publicKeyHex());
        assertRefused(file, lines, 2, lines.get(2).replace("m=256", "m=264"));
        final String sealed = lines.get(4);
        final char last = sealed.charAt(sealed.length() - 1);
        assertRefused(file, lines, 4, sealed.substring(0, sealed.length() - 1) + (last == '0' ? '1' : '0'));
        assertRefused(file, lines, 3, "nonce 00");
        assertRefused(file, lines, 2, lines.get(2).replace("m=256", "m=99999999"));
    }

    @Test
    void passphraseFilesMustBeOwnerOnlyAndDropOneNewline() throws IOException
    {
        final Path file = dir.resolve("passphrase");
        Files.writeString(file, "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        final KeyFileException open = assertThrows(KeyFileException.class, () -> KeyFiles.readPassphraseFile(file));
        assertTrue(open.getMessage().contains("accessible by group or others"), open.getMessage());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertArrayEquals("s3cret".toCharArray(), KeyFiles.readPassphraseFile(file));
        Files.writeString(file, "\n");
        assertThrows(KeyFileException.class, () -> KeyFiles.readPassphraseFile(file));
        assertThrows(KeyFileException.class, () -> KeyFiles.readPassphraseFile(dir.resolve("none")));
    }

    @Test
    void withoutAPassphraseTheErrorSaysWhatToSet() throws IOException
    {
        if (System.getenv(KeyFiles.PASSPHRASE_FILE_ENV) != null || System.getenv(KeyFiles.PASSPHRASE_ENV) != null)
        {
            return; // this machine sets one: the message below cannot be seen here
        }
        final Path file = dir.resolve("k.key");
        KeyFiles.writeEncrypted(file, ed25519.generateKeyPair(RANDOM), PASSPHRASE, false, CHEAP);
        final KeyFileException ex = assertThrows(KeyFileException.class, () -> KeyFiles.read(file));
        assertTrue(ex.getMessage().contains(KeyFiles.PASSPHRASE_FILE_ENV), ex.getMessage());
    }

    @Test
    void anEmptyPassphraseIsRefused()
    {
        assertThrows(KeyFileException.class,
            () -> KeyFiles.writeEncrypted(dir.resolve("k.key"), ed25519.generateKeyPair(RANDOM), new char[0], false));
    }

    private static void assertRefused(final Path file, final List<String> lines, final int index, final String line)
        throws IOException
    {
        final List<String> edited = new java.util.ArrayList<>(lines);
        edited.set(index, line);
        Files.write(file, edited);
        assertThrows(KeyFileException.class, () -> KeyFiles.read(file, PASSPHRASE.clone()), "edited line " + index);
        Files.write(file, lines);
    }
}
