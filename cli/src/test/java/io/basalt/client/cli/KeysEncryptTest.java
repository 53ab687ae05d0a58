package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code basalt keys new --encrypt}: the key on disk is sealed, and opens with the passphrase from the file. */
class KeysEncryptTest {
    @TempDir
    Path dir;

    @Test
    void writesAKeyThatOnlyThePassphraseOpens() throws Exception {
        final Path passphrase = dir.resolve("passphrase");
        Files.writeString(passphrase, "a long passphrase\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        final Path key = dir.resolve("validator.key");

        final StringWriter out = new StringWriter();
        final CommandLine cli = BasaltCli.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("keys", "new", "--encrypt", "--passphrase-file", passphrase.toString(),
            "--out", key.toString(), "-o", "json"));
        final JsonNode printed = new ObjectMapper().readTree(out.toString());

        assertTrue(KeyFiles.isEncrypted(key));
        assertFalse(Files.readAllLines(key).stream().anyMatch(l -> l.startsWith("seed ")), "no plain seed line");
        final var opened = KeyFiles.read(key, "a long passphrase".toCharArray());
        assertArrayEquals(Hex.decode(printed.get("address").asText()), opened.publicKey());
    }

    @Test
    void aPassphraseFileOthersCanReadIsRefused() throws Exception {
        final Path passphrase = dir.resolve("passphrase");
        Files.writeString(passphrase, "p");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-r--r--"));
        final StringWriter err = new StringWriter();
        final CommandLine cli = BasaltCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(4, cli.execute("keys", "new", "--encrypt", "--passphrase-file", passphrase.toString(),
            "--out", dir.resolve("k.key").toString()));
        assertTrue(err.toString().contains("accessible by group or others"), err.toString());
        assertFalse(Files.exists(dir.resolve("k.key")));
    }
}
