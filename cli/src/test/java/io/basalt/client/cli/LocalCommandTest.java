package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The shape {@code basalt local} starts, without starting it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class LocalCommandTest {
    @TempDir
    Path dir;

    private static LocalCommand parse(final String... args) {
        final LocalCommand command = new LocalCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void aNewClusterIsTwoShardsOfFourValidators() throws Exception {
        assertEquals(new LocalCommand.Shape(2, 4), parse().shape(dir.resolve("new")));
        assertEquals(new LocalCommand.Shape(3, 1), parse("--shards", "3", "--validators", "1").shape(dir.resolve("new")));
        final String help = new CommandLine(new LocalCommand()).getUsageMessage();
        assertTrue(help.contains("2 shards x 4 validators by default"), help);
    }

    @Test
    void anExistingClusterKeepsItsShapeUnlessToldOtherwise() throws Exception {
        final Path old = dir.resolve("old");
        ClusterFiles.generate(old, 1, 4, List.of("127.0.0.1"), ClusterFiles.DEFAULT_FEE, "backoff",
            LocalCluster.MIN_ROUND_INTERVAL_MS);
        assertEquals(new LocalCommand.Shape(1, 4), parse().shape(old), "a 1 x 4 cluster from before the default changed");
        assertEquals(new LocalCommand.Shape(2, 4), parse("--shards", "2").shape(old), "asked for: then start says --reset");
        assertEquals(new LocalCommand.Shape(2, 4), parse("--reset").shape(old), "reset: a new cluster of the default shape");
    }

    @Test
    void aShapeBelowOneIsAUsageError() {
        assertEquals(2, BasaltCli.execute("local", "--shards", "0", "--data", dir.resolve("x").toString()));
    }
}
