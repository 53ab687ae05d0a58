package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Every command of the tree answers {@code --help} and {@code -h}: the tree is walked, so a command
 * added without help options fails here. Also the errors that point to that help, and completion.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliHelpTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int run(final List<String> args) {
        out.reset();
        err.reset();
        return BasaltCli.execute(args.toArray(String[]::new));
    }

    /** The path of names from the root's first subcommand down to every command, depth first. */
    private static void paths(final CommandLine command, final List<String> path, final List<List<String>> into) {
        into.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                final List<String> next = new ArrayList<>(path);
                next.add(name);
                paths(sub, next, into);
            }
        });
    }

    @Test
    void everyCommandAndSubcommandAnswersHelp() {
        final List<List<String>> all = new ArrayList<>();
        paths(BasaltCli.commandLine(), List.of(), all);
        assertTrue(all.size() > 20, "the walk found the tree: " + all);
        for (final List<String> path : all) {
            for (final String flag : List.of("--help", "-h")) {
                final List<String> args = new ArrayList<>(path);
                args.add(flag);
                assertEquals(0, run(args), "basalt " + String.join(" ", args) + ": " + err);
                final String usage = ("Usage: basalt " + String.join(" ", path)).strip();
                assertTrue(out.toString(StandardCharsets.UTF_8).contains(usage),
                    "usage on stdout for basalt " + String.join(" ", args) + ": " + out);
                assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing on stderr for " + args);
            }
        }
        assertEquals(0, run(List.of("swap", "accept", "-V")));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("basalt "), "subcommands inherit the version: " + out);
        assertTrue(all.contains(List.of("keys", "list")) && all.contains(List.of("swap", "accept"))
            && all.contains(List.of("faucet")) && all.contains(List.of("completion")), all.toString());
    }

    @Test
    void aCommandWithoutItsSubcommandSaysWhereTheHelpIs() {
        for (final String command : List.of("keys", "tx", "swap")) {
            assertEquals(2, run(List.of(command)));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("see basalt " + command + " --help"), err.toString());
            assertEquals(0, run(List.of(command, "--help")), "and that help works");
        }
    }

    @Test
    void usageErrorsAreShortAndPointToHelp() {
        assertEquals(2, run(List.of("transfer", "--to", "ab")));
        final String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("basalt: Missing required option"), message);
        assertTrue(message.contains("Run 'basalt transfer --help' for usage."), message);
        assertFalse(message.contains("Usage:"), "no usage dump: " + message);

        assertEquals(2, run(List.of("balanse")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Did you mean: basalt balance"), err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Run 'basalt --help' for usage."), err.toString());

        assertEquals(2, run(List.of("keys", "list", "--shards", "many")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Run 'basalt keys list --help' for usage."), err.toString());

        assertEquals(2, run(List.of("transfer", "--key", "k", "--to", "ab", "--amount", "1", "--wait-timeout", "soon")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a duration"), err.toString());
        assertEquals(2, run(List.of("balance", "ab", "-o", "yaml")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("text, json"), err.toString());
    }

    @Test
    void completionPrintsABashScriptThatKnowsTheCommands() {
        assertEquals(0, run(List.of("completion")));
        final String script = out.toString(StandardCharsets.UTF_8);
        assertTrue(script.contains("complete -F"), "a bash completion script");
        for (final String word : List.of("faucet", "swap", "accept", "--wait-timeout", "--output")) {
            assertTrue(script.contains(word), word + " is completed");
        }
    }
}
