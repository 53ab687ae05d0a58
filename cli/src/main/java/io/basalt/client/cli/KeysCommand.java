package io.basalt.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFileException;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code basalt keys}: Ed25519 key files. The secret never leaves the file; only addresses are printed. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, inspect and list Ed25519 key files.",
    subcommands = {KeysCommand.New.class, KeysCommand.Show.class, KeysCommand.ListKeys.class})
final class KeysCommand implements Runnable {
    /** A key file is a few short lines; anything larger is not one and is not read whole. */
    static final long MAX_KEY_FILE_BYTES = 4096;
    /** Most files {@code keys list} looks at in one folder. */
    static final int MAX_LISTED_FILES = 10_000;

    @Override
    public void run() {
        throw new CliException("keys needs a subcommand: new, show or list (see basalt keys --help)", 2);
    }

    /** {"file": path, "address": hex} and, when the shard count is known, "shard". */
    static ObjectNode json(final Path file, final KeyPair key, final Integer shards) {
        final ObjectNode node = OutputOptions.object();
        node.put("file", file.toString());
        node.put("address", key.publicKeyHex());
        if (shards != null) {
            node.put("shard", Shards.shardOf(key.publicKey(), shards));
        }
        return node;
    }

    /** {@code basalt keys new [--out FILE] [--force] [-o json]}. */
    @Command(name = "new", mixinStandardHelpOptions = true,
        description = "Generate a key pair into a file readable only by you (mode 0600) and print its address.")
    static final class New implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", defaultValue = "basalt.key", paramLabel = "FILE",
            description = "key file to write (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--force", description = "replace an existing file")
        boolean force;

        @Option(names = "--encrypt", description = "seal the key under a passphrase (Argon2id, AES-256-GCM): from"
            + " --passphrase-file, else the file named by " + KeyFiles.PASSPHRASE_FILE_ENV + ", else "
            + KeyFiles.PASSPHRASE_ENV + "; a validator reads it back from the same variables")
        boolean encrypt;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "file holding the passphrase for --encrypt (mode 0600; one trailing newline is dropped)")
        Path passphraseFile;

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            if (passphraseFile != null && !encrypt) {
                throw new CliException("--passphrase-file needs --encrypt", 2);
            }
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final KeyPair keyPair = ed25519.generateKeyPair(new SecureRandom());
            try {
                final Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (encrypt) {
                    final char[] passphrase = passphraseFile != null ? KeyFiles.readPassphraseFile(passphraseFile)
                        : KeyFiles.passphraseFromEnvironment();
                    try {
                        KeyFiles.writeEncrypted(out, keyPair, passphrase, force);
                    } finally {
                        java.util.Arrays.fill(passphrase, '\0');
                    }
                } else {
                    KeyFiles.write(out, keyPair, force);
                }
            } catch (final KeyFileException e) {
                if (!force && Files.exists(out)) {
                    throw new CliException(out + " already exists; pass --force to replace it", 4);
                }
                throw new CliException(e.getMessage(), 4);
            } catch (final IOException e) {
                if (!force && Files.exists(out)) {
                    throw new CliException(out + " already exists; pass --force to replace it", 4);
                }
                throw new CliException("cannot write " + out + ": " + e.getMessage(), 4);
            }
            final PrintWriter print = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.print(print, json(out.toAbsolutePath(), keyPair, null));
                return;
            }
            print.println("address " + keyPair.publicKeyHex());
            print.println("key file " + out.toAbsolutePath() + " (mode 0600" + (encrypt ? ", encrypted" : "") + ")");
            print.flush();
        }
    }

    /** {@code basalt keys show FILE [-o json]}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the address of a key file.")
    static final class Show implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "key file")
        Path file;

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            final KeyPair key = ClientCommands.readKey(file);
            final PrintWriter print = spec.commandLine().getOut();
            if (output.json()) {
                OutputOptions.print(print, json(file, key, null));
            } else {
                print.println("address " + key.publicKeyHex());
                print.flush();
            }
        }
    }

    /**
     * {@code basalt keys list [DIR] [--shards N] [-o json]}: the key files in a folder (not its
     * subfolders), by name. Other files are skipped without a word; a file that looks like a key
     * file but cannot be read is reported on stderr, and the listing goes on.
     */
    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the key files in a folder with their addresses (never their secrets).")
    static final class ListKeys implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".", description = "folder to look in (default: the current one)")
        Path dir;

        @Option(names = "--shards", paramLabel = "N",
            description = "shard count of the network: print each account's shard too")
        Integer shards;

        @Mixin
        OutputOptions output;

        @Override
        public void run() {
            if (shards != null && shards < 1) {
                throw new CliException("--shards must be at least 1", 2);
            }
            if (!Files.isDirectory(dir)) {
                throw new CliException(dir + " is not a folder", 4);
            }
            final List<Path> files = keyFiles(dir);
            final PrintWriter out = spec.commandLine().getOut();
            final ArrayNode keys = OutputOptions.JSON.createArrayNode();
            for (final Path file : files) {
                final KeyPair key;
                try {
                    key = KeyFiles.read(file);
                } catch (final IOException | RuntimeException e) {
                    spec.commandLine().getErr().println("basalt: skipping " + file + ": " + e.getMessage());
                    continue;
                }
                if (output.json()) {
                    keys.add(json(file, key, shards));
                } else {
                    out.println(key.publicKeyHex() + (shards == null ? "" : "  shard " + Shards.shardOf(key.publicKey(), shards))
                        + "  " + file);
                }
            }
            if (output.json()) {
                final ObjectNode node = OutputOptions.object();
                node.put("dir", dir.toAbsolutePath().toString());
                node.set("keys", keys);
                OutputOptions.print(out, node);
            } else if (keys.isEmpty() && files.isEmpty()) {
                out.println("no key files in " + dir.toAbsolutePath());
            }
            out.flush();
        }

        /** Regular files of the folder that start with the key file header, sorted by name. */
        private static List<Path> keyFiles(final Path dir) {
            final List<Path> found = new ArrayList<>();
            try (Stream<Path> entries = Files.list(dir)) {
                entries.limit(MAX_LISTED_FILES).sorted().forEach(file -> {
                    if (looksLikeKeyFile(file)) {
                        found.add(file);
                    }
                });
            } catch (final IOException e) {
                throw new CliException("cannot list " + dir + ": " + e.getMessage(), 4);
            }
            return found;
        }

        private static boolean looksLikeKeyFile(final Path file) {
            try {
                if (!Files.isRegularFile(file) || Files.size(file) > MAX_KEY_FILE_BYTES) {
                    return false;
                }
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    return KeyFiles.HEADER.equals(reader.readLine());
                }
            } catch (final IOException | RuntimeException e) {
                // Unreadable or not text: not a key file this command can list.
                return false;
            }
        }
    }
}
