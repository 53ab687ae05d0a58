package io.basalt.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFilesTest
{
    @TempDir
    Path dir;

    private final KeyPair keyPair = TestProviders.BOUNCY_CASTLE.generateKeyPair(new SecureRandom());
    private final String seedHex = Hex.encode(keyPair.seed());

    @Test
    void writesMode0600AndReadsBack() throws IOException
    {
        final Path file = dir.resolve("validator.key");
        KeyFiles.write(file, keyPair);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        final KeyPair read = KeyFiles.read(file);
        assertArrayEquals(keyPair.publicKey(), read.publicKey());
        assertArrayEquals(keyPair.seed(), read.seed());
        assertTrue(Files.readString(file).startsWith(KeyFiles.HEADER + "\n"));
        try (var listing = Files.list(dir))
        {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @Test
    void refusesToOverwriteUnlessAsked() throws IOException
    {
        final Path file = dir.resolve("k");
        KeyFiles.write(file, keyPair);
        final KeyPair other = TestProviders.BOUNCY_CASTLE.generateKeyPair(new SecureRandom());
        final KeyFileException ex = assertThrows(KeyFileException.class, () -> KeyFiles.write(file, other));
        assertTrue(ex.getMessage().contains("already exists"));
        assertArrayEquals(keyPair.publicKey(), KeyFiles.read(file).publicKey());

        KeyFiles.write(file, other, true);
        assertArrayEquals(other.publicKey(), KeyFiles.read(file).publicKey());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void refusesFilesReadableByOthers() throws IOException
    {
        final Path file = dir.resolve("k");
        KeyFiles.write(file, keyPair);
        for (final String mode : new String[]{ "rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-" })
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            final KeyFileException ex = assertThrows(KeyFileException.class, () -> KeyFiles.read(file));
            assertTrue(ex.getMessage().contains("chmod 600"), ex.getMessage());
            assertFalse(ex.getMessage().contains(seedHex));
        }
    }

    @Test
    void secretNeverInToStringOrErrors() throws IOException
    {
        assertFalse(keyPair.toString().contains(seedHex));
        assertTrue(keyPair.toString().contains(keyPair.publicKeyHex()));

        // A corrupted seed line: the error names the field, not the content.
        final Path file = dir.resolve("bad");
        final String badSeed = seedHex.substring(0, 62) + "zz";
        writeOwnerOnly(file, KeyFiles.HEADER + "\npublic-key " + keyPair.publicKeyHex() + "\nseed " + badSeed + "\n");
        final KeyFileException malformed = assertThrows(KeyFileException.class, () -> KeyFiles.read(file));
        assertFalse(malformed.getMessage().contains(seedHex.substring(0, 62)), malformed.getMessage());

        // A seed that does not match the public key.
        final Path mismatched = dir.resolve("mismatch");
        final String otherSeed = Hex.encode(new byte[32]);
        writeOwnerOnly(mismatched, KeyFiles.HEADER + "\npublic-key " + keyPair.publicKeyHex() + "\nseed " + otherSeed + "\n");
        final KeyFileException wrong = assertThrows(KeyFileException.class, () -> KeyFiles.read(mismatched));
        assertTrue(wrong.getMessage().contains("does not match"));
        assertFalse(wrong.getMessage().contains(otherSeed));

        final IllegalArgumentException hex = assertThrows(IllegalArgumentException.class, () -> Hex.decode(badSeed));
        assertFalse(hex.getMessage().contains(badSeed.substring(0, 10)));
    }

    @Test
    void rejectsForeignFiles() throws IOException
    {
        final Path file = dir.resolve("foreign");
        writeOwnerOnly(file, "hello\n");
        assertThrows(KeyFileException.class, () -> KeyFiles.read(file));
    }

    private static void writeOwnerOnly(final Path file, final String content) throws IOException
    {
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
