package io.basalt.perf.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The parent's handle on a {@link ClusterMain} child JVM: same java, same class path, the same JVM
 * flags as this one (the node's, and the heap), its log in {@code cluster.log} of the report folder.
 * The child stops when its stdin closes, so it goes when this JVM goes, however that happens; a
 * shutdown hook (Ctrl-C) and {@link #close} also destroy it, forcibly after a grace period.
 */
final class ChildCluster implements AutoCloseable {
    private static final long READY_TIMEOUT_S = 120;
    private static final long STOP_GRACE_S = 15;

    /** One validator's addresses as the child printed them. */
    record Endpoint(int shard, int index, String http, String client) {
    }

    private final Process process;
    private final Thread hook;
    private final List<Endpoint> endpoints;
    private final int networkId;
    private final long fee;

    private ChildCluster(final Process process, final Thread hook, final List<Endpoint> endpoints, final int networkId,
                         final long fee) {
        this.process = process;
        this.hook = hook;
        this.endpoints = endpoints;
        this.networkId = networkId;
        this.fee = fee;
    }

    static ChildCluster start(final Path dir, final int validators, final int accounts, final long seed,
                              final Path log) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ClusterMain.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(validators));
        command.add(Integer.toString(accounts));
        command.add(Long.toString(seed));
        Files.createDirectories(log.toAbsolutePath().getParent());
        final Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        final Thread hook = new Thread(() -> stop(process), "child-cluster-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return awaitReady(process, hook, log);
        } catch (final IOException | InterruptedException | RuntimeException e) {
            stop(process);
            Runtime.getRuntime().removeShutdownHook(hook);
            throw e;
        }
    }

    private static ChildCluster awaitReady(final Process process, final Thread hook, final Path log)
        throws IOException, InterruptedException {
        final List<Endpoint> endpoints = new ArrayList<>();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S);
        // The child prints little before READY, so reading on this thread cannot block it on a full pipe.
        final Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!process.waitFor(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())),
                    TimeUnit.SECONDS)) {
                    process.destroyForcibly(); // not ready in time: unblocks the read below
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            String line;
            while ((line = out.readLine()) != null) {
                final String[] f = line.strip().split("\\s+");
                if (f[0].equals(ClusterMain.ENDPOINT) && f.length == 5) {
                    endpoints.add(new Endpoint(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], f[4]));
                } else if (f[0].equals(ClusterMain.READY) && f.length == 3) {
                    drainInBackground(out);
                    return new ChildCluster(process, hook, endpoints, Integer.parseInt(f[1]), Long.parseLong(f[2]));
                }
            }
        } finally {
            watchdog.interrupt();
        }
        throw new IOException("the cluster JVM ended before it was ready (exit " + process.waitFor() + "); see " + log);
    }

    /** Whatever the child prints later is read and dropped, so that it never blocks on a full pipe. */
    private static void drainInBackground(final BufferedReader out) {
        Thread.ofPlatform().daemon().name("child-cluster-stdout").start(() -> {
            try {
                while (out.readLine() != null) {
                    Thread.onSpinWait();
                }
            } catch (final IOException e) {
                // the child went away
            }
        });
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    int networkId() {
        return networkId;
    }

    long fee() {
        return fee;
    }

    long pid() {
        return process.pid();
    }

    private static void stop(final Process process) {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close(); // the child's cue to stop cleanly
            if (!process.waitFor(STOP_GRACE_S, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (final IOException e) {
            process.destroyForcibly();
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException e) {
            // already shutting down: the hook runs (and finds the child gone)
        }
    }
}
