package io.basalt.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball of {@code scripts/basalt dist} (dist/target/basalt-VERSION.tar.gz, built by the
 * reactor before this module), unpacked into an empty folder: its launcher writes a network,
 * starts a validator that answers /health and /v1/network, and its jar runs on its own with
 * {@code java -jar}. Nothing from the source tree is on the path: only the unpacked files and a JDK.
 */
@Tag("process")
class DistributionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path empty;

    @AfterEach
    void stop() throws InterruptedException {
        for (final Process process : started) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(180)
    void tarballStartsAValidatorFromAnEmptyFolder() throws Exception {
        final Path tarball = tarball();
        run(empty, 60, "tar", "-xzf", tarball.toString());
        final Path home;
        try (Stream<Path> entries = Files.list(empty)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertTrue(home.getFileName().toString().startsWith("basalt-"), "top folder " + home);
        final Path launcher = home.resolve("bin/basalt");
        assertTrue(Files.getPosixFilePermissions(launcher).contains(PosixFilePermission.OWNER_EXECUTE),
            "bin/basalt must be executable");
        for (final String file : List.of("config/node.example.json", "systemd/basalt-validator.service",
            "Containerfile", "README.md", "libexec/jdk.sh")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), "the tarball lacks " + file);
        }
        JSON.readTree(home.resolve("config/node.example.json").toFile()); // well-formed

        // The runnable jar needs no flags and no classpath: its manifest carries both.
        final Path jar;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("cli-")).findFirst().orElseThrow();
        }
        final String version = run(home, 60, javaBin(), "-jar", jar.toString(), "--version");
        assertTrue(version.startsWith("basalt "), "java -jar --version printed: " + version);

        // One validator (a committee of one commits alone), written by the tarball's own launcher.
        final Path net = empty.resolve("net");
        run(home, 120, launcher.toString(), "genesis", "--shards", "1", "--validators", "1", "--out", net.toString());
        final String http = ValidatorProcesses.assignFreePorts(net.resolve("genesis.json"), 1, 1).get(0);
        final Path config = net.resolve("shard-0/validator-0/node.json");
        assertTrue(Files.isRegularFile(config), "genesis wrote no " + config);
        final Path log = empty.resolve("validator.log");
        final ProcessBuilder node = new ProcessBuilder(launcher.toString(), "node", "--config", config.toString())
            .directory(config.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        node.environment().put("JAVA_HOME", javaHome());
        final Process validator = node.start();
        started.add(validator);

        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final URI base = URI.create("http://" + http);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String health = null;
        while (System.nanoTime() < deadline && validator.isAlive()) {
            try {
                final HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    health = response.body();
                    break;
                }
            } catch (final IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        assertTrue(health != null, "the validator never answered /health; alive=" + validator.isAlive()
            + ", log:\n" + tail(log));
        final HttpResponse<String> network = client.send(HttpRequest.newBuilder(base.resolve("/v1/network"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, network.statusCode(), network.body());
        final JsonNode body = JSON.readTree(network.body());
        final JsonNode genesis = JSON.readTree(net.resolve("genesis.json").toFile());
        assertEquals(genesis.get("networkId").asLong(), body.path("networkId").asLong(),
            "the validator serves the network the launcher wrote: " + network.body());

        validator.destroy(); // SIGTERM: an orderly stop
        assertTrue(validator.waitFor(30, TimeUnit.SECONDS), "the validator did not stop on SIGTERM");
    }

    private static Path tarball() throws IOException {
        final Path target = Path.of(System.getProperty("basalt.dist.dir", "../dist/target"));
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches("basalt-.*\\.tar\\.gz")).findFirst()
                .orElseThrow(() -> new AssertionError("no basalt-*.tar.gz in " + target.toAbsolutePath()
                    + ": build it with ./mvnw package (or scripts/basalt dist) first"));
        }
    }

    private static String javaHome() {
        return System.getProperty("java.home");
    }

    private static String javaBin() {
        return Path.of(javaHome(), "bin", "java").toString();
    }

    /** Runs a command to completion with JAVA_HOME set to this JVM's JDK; returns its output, fails on a non-zero exit. */
    private static String run(final Path dir, final int timeoutSeconds, final String... command)
        throws IOException, InterruptedException {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome());
        final Process process = builder.start();
        final byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        final String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private static String tail(final Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
