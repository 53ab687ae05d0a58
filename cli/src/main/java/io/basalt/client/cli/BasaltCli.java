package io.basalt.client.cli;

import io.basalt.client.sdk.BasaltException;
import io.basalt.node.metrics.BuildInfo;
import java.io.PrintWriter;
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
    // Subcommands inherit the version provider, so that "basalt swap -V" prints the version too.
    scope = CommandLine.ScopeType.INHERIT,
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
        NetworkCommand.class,
        FaucetCommand.class,
        SwapCommand.class,
        CompletionCommand.class,
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
        return commandLine().execute(args);
    }

    /** The whole command tree with Basalt's error handling; {@code completion} and the tests walk it. */
    static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new BasaltCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Every number on the command line (amounts, asset ids, counts) through the one strict
        // parser: picocli's defaults (Long.valueOf) take "+5" and other scripts' digits.
        commandLine.registerConverter(Long.class, text -> strictNumber(text, Long.MAX_VALUE));
        commandLine.registerConverter(Long.TYPE, text -> strictNumber(text, Long.MAX_VALUE));
        commandLine.registerConverter(Integer.class, text -> (int) strictNumber(text, Integer.MAX_VALUE));
        commandLine.registerConverter(Integer.TYPE, text -> (int) strictNumber(text, Integer.MAX_VALUE));
        commandLine.setParameterExceptionHandler(BasaltCli::usageError);
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("basalt: " + message(ex));
            cmd.getErr().flush();
            if (ex instanceof CliException cli) {
                return cli.exitCode();
            }
            return ex instanceof BasaltException ? ClientCommands.EXIT_NODE : 1;
        });
        return commandLine;
    }

    /**
     * A command line picocli could not parse: one line that says what is wrong, a suggestion when a
     * name was misspelt, and where the usage is; exit 2. The whole usage is not dumped on stderr:
     * the line after it is what people read.
     */
    private static int usageError(final CommandLine.ParameterException ex, final String[] args) {
        final CommandLine cmd = ex.getCommandLine();
        final PrintWriter err = cmd.getErr();
        err.println("basalt: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return cmd.getExitCodeExceptionMapper() != null
            ? cmd.getExitCodeExceptionMapper().getExitCode(ex)
            : cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A plain non-negative decimal integer up to {@code max}; anything else is a usage error (exit 2). */
    static long strictNumber(final String text, final long max) {
        try {
            return io.basalt.protocol.Decimal.parse(text, max, "the value");
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** An exception as one line: its message, or its type when it has none (a bug, but still one line). */
    private static String message(final Exception ex) {
        if (ex instanceof CliException || ex instanceof BasaltException) {
            return ex.getMessage();
        }
        return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }

    /** Reads the version Maven wrote into the jar's resources. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"basalt " + BuildInfo.version() + " (" + BuildInfo.revision() + ", JDK " + Runtime.version() + ")"};
        }
    }
}
