package io.basalt.xshard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md §2: the pure cores ({@code dag-mempool}, {@code execution}, {@code cross-shard}) take
 * events and time as arguments and know nothing of the world, so the simulator can run them. This
 * fails when a main source file of any of them reaches for a transport, a ring, a store, a thread,
 * a file or a clock. It lives here, beside the reactor's other pure modules, and reads their
 * sources by path.
 */
class PurityTest {
    static final Pattern FORBIDDEN = Pattern.compile(
        "\\bimport\\s+(io\\.aeron|com\\.lmax|net\\.openhft|java\\.io\\.File|java\\.nio\\.file|java\\.net|"
            + "java\\.util\\.concurrent)\\b|System\\.nanoTime|System\\.currentTimeMillis|Instant\\.now|new\\s+Thread\\b");

    @Test
    void mainSourcesImportNoIoThreadsOrClocks() throws IOException {
        for (final String module : List.of("../cross-shard", "../execution", "../dag-mempool")) {
            assertEquals(List.of(), violations(Path.of(module, "src/main/java")), module);
        }
    }

    @Test
    void theCheckItselfCatchesAClock() {
        assertTrue(FORBIDDEN.matcher("long t = System.nanoTime();").find());
        assertTrue(FORBIDDEN.matcher("import io.aeron.Aeron;").find());
        assertTrue(FORBIDDEN.matcher("import java.util.concurrent.ConcurrentHashMap;").find());
    }

    static List<String> violations(final Path root) throws IOException {
        assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " is where the module's sources are");
        final List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                final List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (FORBIDDEN.matcher(lines.get(i)).find()) {
                        found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        return found;
    }
}
