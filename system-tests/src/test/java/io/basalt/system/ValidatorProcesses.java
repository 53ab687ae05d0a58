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
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * S shards of n validators each, every validator a {@code basalt node} OS process on loopback (Aeron
 * UDP between them: consensus on stream 1001 and cross-shard on stream 1002 of its consensus endpoint),
 * from files written by {@code basalt genesis} with every endpoint moved to a free port.
 *
 * <pre>
 *   target/process-tests/NAME/
 *     net/genesis.json, net/faucet-shard-S.key        (basalt genesis, endpoints rewritten)
 *     net/shard-S/validator-V/{node.json, validator.key, data/}
 *     validator-V.log                                  stdout+stderr of every run of validator V (one shard)
 *     shard-S-validator-V.log                          the same with several shards
 * </pre>
 *
 * Validators are named by a global index {@code g = S·n + V} (with one shard, g is the validator's
 * index); {@link #shardOf}, {@link #indexInShard} and {@link #validators(int)} translate.
 *
 * Each process runs the JVM of the tests with the tests' classpath and JVM flags ({@code basalt.jvm.args},
 * passed in by surefire from the parent POM's {@code basalt.test.jvm.args}). {@link #kill} is SIGKILL
 * ({@link Process#destroyForcibly}) and checks that the process is gone; {@link #close} kills whatever
 * still runs, and a shutdown hook does the same if the test JVM itself is stopped.
 */
final class ValidatorProcesses implements AutoCloseable {
    /** Exit status of a process ended by SIGKILL (128 + 9). */
    static final int SIGKILL_EXIT = 137;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long EXIT_WAIT_SECONDS = 15;
    private static final int MAX_HEAP_MB = 768;

    private final Path root;
    private final Path net;
    private final int shards;
    private final int perShard;
    private final int size;
    private final NodeHttp[] http;
    private final Process[] processes;
    private final int[] starts;
    /** What goes before the java command of validator g (e.g. {@code ip netns exec NS}); empty on loopback. */
    private final IntFunction<List<String>> launcher;
    private final Thread reaper = new Thread(this::killAll, "validator-processes-reaper");

    private ValidatorProcesses(final Path root, final int shards, final int perShard, final List<String> httpEndpoints) {
        this(root, shards, perShard, httpEndpoints, v -> List.of());
    }

    private ValidatorProcesses(final Path root, final int shards, final int perShard, final List<String> httpEndpoints,
                               final IntFunction<List<String>> launcher) {
        this.launcher = launcher;
        this.root = root;
        this.net = root.resolve("net");
        this.shards = shards;
        this.perShard = perShard;
        this.size = shards * perShard;
        this.http = new NodeHttp[size];
        for (int v = 0; v < size; v++) {
            http[v] = new NodeHttp(v, httpEndpoints.get(v));
        }
        this.processes = new Process[size];
        this.starts = new int[size];
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** One shard of {@code size} validators: see {@link #create(Path, int, int)}. */
    static ValidatorProcesses create(final Path root, final int size) throws IOException {
        return create(root, 1, size);
    }

    /**
     * Writes a fresh network of {@code shards} × {@code perShard} validators under {@code root}
     * (deleted first) with {@code basalt genesis}, then gives every validator free ports. Starts nothing.
     */
    static ValidatorProcesses create(final Path root, final int shards, final int perShard) throws IOException {
        deleteRecursively(root);
        Files.createDirectories(root);
        final Path net = root.resolve("net");
        final int exit = BasaltCli.execute("genesis", "--shards", Integer.toString(shards), "--validators",
            Integer.toString(perShard), "--hosts", "127.0.0.1", "--out", net.toString());
        assertEquals(0, exit, "basalt genesis exit code");
        return new ValidatorProcesses(root, shards, perShard,
            assignFreePorts(ClusterFiles.genesisFile(net), shards, perShard));
    }

    /**
     * A network whose validators sit on {@code hosts} (one address each, round-robin by global index,
     * as {@code basalt genesis --hosts} spreads them), keeping the fixed ports genesis writes: each
     * host is its own network namespace ({@link NetLab}), so ports cannot collide. Validator g is
     * started as {@code launcher(g) + java ...}. Starts nothing.
     */
    static ValidatorProcesses create(final Path root, final int shards, final int perShard, final List<String> hosts,
                                     final IntFunction<List<String>> launcher) throws IOException {
        deleteRecursively(root);
        Files.createDirectories(root);
        final Path net = root.resolve("net");
        final int exit = BasaltCli.execute("genesis", "--shards", Integer.toString(shards), "--validators",
            Integer.toString(perShard), "--hosts", String.join(",", hosts), "--out", net.toString());
        assertEquals(0, exit, "basalt genesis exit code");
        final JsonNode genesis = JSON.readTree(ClusterFiles.genesisFile(net).toFile());
        final List<String> httpEndpoints = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            final JsonNode validators = genesis.get("shards").get(s).get("validators");
            assertEquals(perShard, validators.size());
            for (int v = 0; v < perShard; v++) {
                final String consensus = validators.get(v).get("consensusEndpoint").asText();
                final String expected = hosts.get((s * perShard + v) % hosts.size());
                assertEquals(expected, consensus.substring(0, consensus.lastIndexOf(':')),
                    "host of validator " + s + "/" + v + " in genesis");
                httpEndpoints.add(validators.get(v).get("httpEndpoint").asText());
            }
        }
        return new ValidatorProcesses(root, shards, perShard, httpEndpoints, launcher);
    }

    /**
     * {@code basalt genesis} writes fixed ports (20000+k, 8080+k, 9000+2k). Rewrite each validator's
     * endpoints in genesis.json, keeping every other field as written; returns the HTTP endpoints by
     * global index. The consensus endpoint carries the cross-shard stream too (CrossShardTransport).
     */
    static List<String> assignFreePorts(final Path genesisFile, final int shards, final int perShard)
        throws IOException {
        final ObjectNode genesis = (ObjectNode) JSON.readTree(genesisFile.toFile());
        assertEquals(shards, genesis.get("shards").size(), "shards in " + genesisFile);
        final LoopbackPorts ports = new LoopbackPorts();
        final List<String> httpEndpoints = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            final JsonNode shard = genesis.get("shards").get(s);
            assertEquals(s, shard.get("shardId").asInt(), "shard id of entry " + s + " in " + genesisFile);
            final JsonNode validators = shard.get("validators");
            assertEquals(perShard, validators.size());
            for (final JsonNode node : validators) {
                final ObjectNode validator = (ObjectNode) node;
                final String httpEndpoint = "127.0.0.1:" + ports.next();
                validator.put("consensusEndpoint", "127.0.0.1:" + ports.next());
                validator.put("httpEndpoint", httpEndpoint);
                // The Aeron client gateway answers on the port after its own.
                validator.put("clientEndpoint", "127.0.0.1:" + ports.nextRun(2));
                httpEndpoints.add(httpEndpoint);
            }
        }
        JSON.writeValue(genesisFile.toFile(), genesis);
        return httpEndpoints;
    }

    /** Validators of the whole network. */
    int size() {
        return size;
    }

    int shards() {
        return shards;
    }

    int perShard() {
        return perShard;
    }

    int shardOf(final int validator) {
        return validator / perShard;
    }

    int indexInShard(final int validator) {
        return validator % perShard;
    }

    int global(final int shard, final int indexInShard) {
        return shard * perShard + indexInShard;
    }

    /** The global indices of the validators of {@code shard}. */
    List<Integer> validators(final int shard) {
        final List<Integer> out = new ArrayList<>(perShard);
        for (int v = 0; v < perShard; v++) {
            out.add(global(shard, v));
        }
        return out;
    }

    /** "validator V" with one shard, "validator S/V" with several: for messages. */
    String name(final int validator) {
        return shards == 1 ? "validator " + validator : "validator " + shardOf(validator) + "/" + indexInShard(validator);
    }

    NodeHttp http(final int validator) {
        return http[validator];
    }

    /** The faucet of shard 0. */
    KeyPair faucetKey() throws IOException {
        return faucetKey(0);
    }

    /** Each shard has its own faucet, an account of that shard funded in genesis. */
    KeyPair faucetKey(final int shard) throws IOException {
        return KeyFiles.read(ClusterFiles.faucetKey(net, shard));
    }

    Path nodeConfig(final int validator) {
        return ClusterFiles.validatorDir(net, shardOf(validator), indexInShard(validator)).resolve("node.json");
    }

    /** The validator's commit log (ChronicleLedger keeps it in dataDir/state). */
    Path commitLog(final int validator) throws IOException {
        return NodeConfig.read(nodeConfig(validator)).dataDir().resolve("state").resolve("commit.log");
    }

    Path log(final int validator) {
        return root.resolve(shards == 1 ? "validator-" + validator + ".log"
            : "shard-" + shardOf(validator) + "-validator-" + indexInShard(validator) + ".log");
    }

    /** Starts validator {@code v} as a new process (again, after a kill); returns at once. */
    synchronized void start(final int v) throws IOException {
        assertFalse(running(v), name(v) + " is already running");
        final List<String> command = new ArrayList<>(launcher.apply(v));
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
        Files.writeString(log(v), "==== start " + starts[v] + " of " + name(v) + " at " + Instant.now() + "\n",
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

    /** Validators of {@code shard} whose process is alive. */
    synchronized List<Integer> runningValidators(final int shard) {
        return runningValidators().stream().filter(v -> shardOf(v) == shard).toList();
    }

    /** The pid of validator {@code v}'s running process. */
    synchronized long pid(final int v) {
        assertTrue(running(v), name(v) + " is not running");
        return processes[v].pid();
    }

    /** An orderly stop: SIGTERM, then waits for the process to exit on its own. */
    void stop(final int v) throws InterruptedException {
        final Process process;
        synchronized (this) {
            process = processes[v];
        }
        assertTrue(process != null && process.isAlive(), name(v) + " should be running before the stop");
        process.destroy();
        assertTrue(process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS), name(v) + " did not stop on SIGTERM");
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
        assertTrue(process != null && process.isAlive(), name(v) + " should be running before the kill");
        final long pid = process.pid();
        process.destroyForcibly();
        assertTrue(process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS), name(v) + " (pid " + pid + ") survived SIGKILL");
        assertEquals(SIGKILL_EXIT, process.exitValue(), "exit status of " + name(v) + " after SIGKILL");
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
                throw new AssertionError(name(v) + " exited while starting\n" + tail(v, 60));
            }
            final NodeHttp.Status status = http[v].statusOrNull();
            if (status != null && status.ready()) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name(v) + " not ready after " + timeoutMs + " ms\n" + tail(v, 60));
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
                return "(no log for " + name(v) + ")";
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
