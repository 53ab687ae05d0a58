package io.basalt.client.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code basalt} command line. {@code scripts/basalt} builds when needed and runs this class.
 *
 * <p>Each subcommand is its own class; this one only names them, prints the version and maps
 * errors to exit codes, so that a failing command prints one clear line instead of a stack trace.
 */
@Command(
    name = "basalt",
    mixinStandardHelpOptions = true,
    versionProvider = BasaltCli.Version.class,
    description = "Basalt: a sharded BFT ledger with millisecond finality.",
    subcommands = {
        VersionCommand.class,
        KeysCommand.class,
        LocalCommand.class,
        NodeCommand.class,
        GenesisCommand.class,
        TransferCommand.class,
        CreateAssetCommand.class,
        BalanceCommand.class,
        TxCommand.class,
        WatchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class BasaltCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(final String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(final String... args) {
        final CommandLine commandLine = new CommandLine(new BasaltCli());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("basalt: " + ex.getMessage());
            return ex instanceof CliException cli ? cli.exitCode() : 1;
        });
        return commandLine.execute(args);
    }

    /** Reads the version Maven wrote into the jar's resources. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"basalt " + BuildInfo.version() + " (JDK " + Runtime.version() + ")"};
        }
    }
}
