package io.basalt.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.cli.BasaltCli;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.runtime.ClusterFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One shard of n validators, each a {@code basalt node} OS process on loopback, from files written by
 * {@code basalt genesis} with every endpoint moved to a free port.
 *
 * <pre>
 *   target/process-tests/NAME/
 *     net/genesis.json, net/faucet-shard-0.key        (basalt genesis, endpoints rewritten)
 *     net/shard-0/validator-V/{node.json, validator.key, data/}
 *     validator-V.log                                  stdout+stderr of every run of validator V
 * </pre>
 *
 * Each process runs the JVM of the tests with the tests' classpath and JVM flags ({@code basalt.jvm.args},
 * passed in by surefire from the parent POM's {@code basalt.test.jvm.args}). {@link #kill} is SIGKILL
 * ({@link Process#destroyForcibly}) and checks that the process is gone; {@link #close} kills whatever
 * still runs, and a shutdown hook does the same if the test JVM itself is stopped.
 */
final class ValidatorProcesses implements AutoCloseable {
    static final int SHARD = 0;
    /** Exit status of a process ended by SIGKILL (128 + 9). */
    static final int SIGKILL_EXIT = 137;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long EXIT_WAIT_SECONDS = 15;
    private static final int MAX_HEAP_MB = 768;

    private final Path root;
    private final Path net;
    private final int size;
    private final NodeHttp[] http;
    private final Process[] processes;
    private final int[] starts;
    private final Thread reaper = new Thread(this::killAll, "validator-processes-reaper");

    private ValidatorProcesses(final Path root, final int size, final List<String> httpEndpoints) {
        this.root = root;
        this.net = root.resolve("net");
        this.size = size;
        this.http = new NodeHttp[size];
        for (int v = 0; v < size; v++) {
            http[v] = new NodeHttp(v, httpEndpoints.get(v));
        }
        this.processes = new Process[size];
        this.starts = new int[size];
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * Writes a fresh network of {@code size} validators under {@code root} (deleted first) with
     * {@code basalt genesis}, then gives every validator free ports. Starts nothing.
     */
    static ValidatorProcesses create(final Path root, final int size) throws IOException {
        deleteRecursively(root);
        Files.createDirectories(root);
        final Path net = root.resolve("net");
        final int exit = BasaltCli.execute("genesis", "--shards", "1", "--validators", Integer.toString(size),
            "--hosts", "127.0.0.1", "--out", net.toString());
        assertEquals(0, exit, "basalt genesis exit code");
        return new ValidatorProcesses(root, size, assignFreePorts(ClusterFiles.genesisFile(net), size));
    }

    /**
     * {@code basalt genesis} writes fixed ports (20000+k, 8080+k, 9000+2k). Rewrite each validator's
     * endpoints in genesis.json, keeping every other field as written; returns the HTTP endpoints.
     */
    private static List<String> assignFreePorts(final Path genesisFile, final int size) throws IOException {
        final ObjectNode genesis = (ObjectNode) JSON.readTree(genesisFile.toFile());
        final JsonNode validators = genesis.get("shards").get(SHARD).get("validators");
        assertEquals(size, validators.size());
        final LoopbackPorts ports = new LoopbackPorts();
        final List<String> httpEndpoints = new ArrayList<>();
        for (final JsonNode node : validators) {
            final ObjectNode validator = (ObjectNode) node;
            final String httpEndpoint = "127.0.0.1:" + ports.next();
            validator.put("consensusEndpoint", "127.0.0.1:" + ports.next());
            validator.put("httpEndpoint", httpEndpoint);
            // The Aeron client gateway answers on the port after its own.
            validator.put("clientEndpoint", "127.0.0.1:" + ports.nextRun(2));
            httpEndpoints.add(httpEndpoint);
        }
        JSON.writeValue(genesisFile.toFile(), genesis);
        return httpEndpoints;
    }

    int size() {
        return size;
    }

    NodeHttp http(final int validator) {
        return http[validator];
    }

    KeyPair faucetKey() throws IOException {
        return KeyFiles.read(ClusterFiles.faucetKey(net, SHARD));
    }

    Path nodeConfig(final int validator) {
        return ClusterFiles.validatorDir(net, SHARD, validator).resolve("node.json");
    }

    /** The validator's commit log (ChronicleLedger keeps it in dataDir/state). */
    Path commitLog(final int validator) throws IOException {
        return NodeConfig.read(nodeConfig(validator)).dataDir().resolve("state").resolve("commit.log");
    }

    Path log(final int validator) {
        return root.resolve("validator-" + validator + ".log");
    }

    /** Starts validator {@code v} as a new process (again, after a kill); returns at once. */
    synchronized void start(final int v) throws IOException {
        assertFalse(running(v), "validator " + v + " is already running");
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmArgs());
        command.add("-ea");
        command.add("-Xmx" + MAX_HEAP_MB + "m");
        // C1 only: four validator JVMs and the test JVM share two cores, and C2's compile threads
        // (Chronicle Map also compiles generated classes at start-up) doubled the time to ready
        // (13 s against 6.5 s measured). These are correctness tests; peak speed is perf-lab's job.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classpath());
        command.add(BasaltCli.class.getName());
        command.add("node");
        command.add("--config");
        command.add(nodeConfig(v).toString());
        starts[v]++;
        Files.writeString(log(v), "==== start " + starts[v] + " of validator " + v + " at " + Instant.now() + "\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        processes[v] = new ProcessBuilder(command)
            .directory(nodeConfig(v).getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(v).toFile()))
            .start();
    }

    void startAll() throws IOException {
        for (int v = 0; v < size; v++) {
            start(v);
        }
    }

    synchronized boolean running(final int v) {
        return processes[v] != null && processes[v].isAlive();
    }

    /** Validators whose process is alive. */
    synchronized List<Integer> runningValidators() {
        final List<Integer> up = new ArrayList<>();
        for (int v = 0; v < size; v++) {
            if (running(v)) {
                up.add(v);
            }
        }
        return up;
    }

    /**
     * {@code kill -9}: SIGKILL through {@link Process#destroyForcibly}, then checks that the process
     * exited with 137 (killed by signal 9, not a clean shutdown) and that no process has its pid.
     */
    void kill(final int v) throws InterruptedException {
        final Process process;
        synchronized (this) {
            process = processes[v];
        }
        assertTrue(process != null && process.isAlive(), "validator " + v + " should be running before the kill");
        final long pid = process.pid();
        process.destroyForcibly();
        assertTrue(process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS), "validator " + v + " (pid " + pid + ") survived SIGKILL");
        assertEquals(SIGKILL_EXIT, process.exitValue(), "exit status of validator " + v + " after SIGKILL");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is still alive");
    }

    /**
     * Waits until validator {@code v} serves HTTP and reports ready; fails early, with its log, if its
     * process exits.
     */
    NodeHttp.Status awaitReady(final int v, final long timeoutMs) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (!running(v)) {
                throw new AssertionError("validator " + v + " exited while starting\n" + tail(v, 60));
            }
            final NodeHttp.Status status = http[v].statusOrNull();
            if (status != null && status.ready()) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("validator " + v + " not ready after " + timeoutMs + " ms\n" + tail(v, 60));
    }

    void awaitAllReady(final long timeoutMs) throws InterruptedException {
        for (int v = 0; v < size; v++) {
            awaitReady(v, timeoutMs);
        }
    }

    /** The last {@code lines} lines of validator {@code v}'s log, for failure reports. */
    String tail(final int v, final int lines) {
        try {
            if (!Files.exists(log(v))) {
                return "(no log for validator " + v + ")";
            }
            final List<String> all = Files.readAllLines(log(v), StandardCharsets.UTF_8);
            final StringBuilder out = new StringBuilder("---- last lines of " + log(v) + " ----\n");
            for (final String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
                out.append(line).append('\n');
            }
            return out.toString();
        } catch (final IOException | UncheckedIOException e) {
            return "(cannot read " + log(v) + ": " + e + ")";
        }
    }

    String tails(final int lines) {
        final StringBuilder out = new StringBuilder();
        for (int v = 0; v < size; v++) {
            out.append(tail(v, lines));
        }
        return out.toString();
    }

    /** Kills every process that still runs (SIGKILL: the data is not reused after a test). */
    @Override
    public void close() {
        killAll();
        for (final NodeHttp client : http) {
            client.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (final IllegalStateException shuttingDown) {
            // the hook is running or about to; it does the same
        }
    }

    private synchronized void killAll() {
        for (final Process process : processes) {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
        for (final Process process : processes) {
            if (process != null) {
                try {
                    process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The tests' JVM flags, handed down by surefire; empty when run from an IDE without them. */
    private static List<String> jvmArgs() {
        final String args = System.getProperty("basalt.jvm.args", "").trim();
        return args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+"));
    }

    /**
     * The tests' classpath. Surefire may run the tests from a manifest-only jar; it then names the
     * real classpath in {@code surefire.test.class.path}.
     */
    private static String classpath() {
        final String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
