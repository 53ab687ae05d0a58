package io.basalt.client.cli;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code basalt keys}: Ed25519 key files. The secret never leaves the file; only addresses are printed. */
@Command(name = "keys", description = "Create and inspect Ed25519 key files.",
    subcommands = {KeysCommand.New.class, KeysCommand.Show.class})
final class KeysCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("keys needs a subcommand: new or show (see basalt keys --help)", 2);
    }

    /** {@code basalt keys new [--out FILE] [--force]}. */
    @Command(name = "new", mixinStandardHelpOptions = true,
        description = "Generate a key pair into a file readable only by you (mode 0600) and print its address.")
    static final class New implements Runnable {
        @Option(names = {"-o", "--out"}, defaultValue = "basalt.key", description = "key file to write (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--force", description = "replace an existing file")
        boolean force;

        @Override
        public void run() {
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            final KeyPair keyPair = ed25519.generateKeyPair(new SecureRandom());
            try {
                final Path parent = out.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                KeyFiles.write(out, keyPair, force);
            } catch (final IOException e) {
                if (!force && Files.exists(out)) {
                    throw new CliException(out + " already exists; pass --force to replace it", 4);
                }
                throw new CliException("cannot write " + out + ": " + e.getMessage(), 4);
            }
            System.out.println("address " + keyPair.publicKeyHex());
            System.out.println("key file " + out.toAbsolutePath() + " (mode 0600)");
        }
    }

    /** {@code basalt keys show FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the address of a key file.")
    static final class Show implements Runnable {
        @Parameters(paramLabel = "FILE", description = "key file")
        Path file;

        @Override
        public void run() {
            try {
                System.out.println("address " + KeyFiles.read(file).publicKeyHex());
            } catch (final IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage(), 4);
            }
        }
    }
}
