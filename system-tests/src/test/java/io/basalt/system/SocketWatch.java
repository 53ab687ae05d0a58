package io.basalt.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every socket some processes hold, sampled from Linux's /proc every few milliseconds: a process's
 * sockets are the {@code socket:[inode]} links under /proc/PID/fd, and /proc/PID/net/{tcp,tcp6,udp,udp6}
 * give each inode's local and remote address. What the watch has seen stays in {@link #seen()}.
 */
final class SocketWatch implements AutoCloseable {
    /** One socket as seen: protocol, local and remote address and port (remote port 0: not connected). */
    record Socket(String protocol, InetAddress local, int localPort, InetAddress remote, int remotePort) {
        boolean connected() {
            return remotePort != 0;
        }

        @Override
        public String toString() {
            return protocol + " " + local.getHostAddress() + ":" + localPort + " -> " + remote.getHostAddress() + ":" + remotePort;
        }
    }

    private static final List<String> TABLES = List.of("tcp", "tcp6", "udp", "udp6");
    private final Set<Socket> seen = ConcurrentHashMap.newKeySet();
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long samples;

    SocketWatch(final long sampleIntervalMs) {
        sampler = Thread.ofPlatform().daemon().name("socket-watch").start(() -> {
            while (running) {
                for (final long pid : pids) {
                    sample(pid);
                }
                samples++;
                try {
                    Thread.sleep(sampleIntervalMs);
                } catch (final InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts watching a process (as soon as it has a pid). */
    void watch(final long pid) {
        pids.add(pid);
    }

    /** Waits until every watched process has been sampled at least {@code rounds} more times. */
    void settle(final int rounds) throws InterruptedException {
        final long target = samples + rounds;
        while (samples < target && running) {
            Thread.sleep(5);
        }
    }

    Set<Socket> seen() {
        return Set.copyOf(seen);
    }

    long samples() {
        return samples;
    }

    private void sample(final long pid) {
        final Set<Long> inodes = socketInodes(pid);
        if (inodes.isEmpty()) {
            return;
        }
        for (final String table : TABLES) {
            final List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table), StandardCharsets.US_ASCII);
            } catch (final IOException gone) {
                return; // the process exited between the two reads
            }
            for (int i = 1; i < lines.size(); i++) {
                final String[] f = lines.get(i).trim().split("\\s+");
                if (f.length > 9 && inodes.contains(Long.parseLong(f[9]))) {
                    seen.add(new Socket(table, address(f[1]), port(f[1]), address(f[2]), port(f[2])));
                }
            }
        }
    }

    private static Set<Long> socketInodes(final long pid) {
        final Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (final Path fd : fds) {
                try {
                    final String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (final NoSuchFileException closed) {
                    // closed while we listed
                }
            }
        } catch (final IOException gone) {
            // not started yet or exited
        }
        return inodes;
    }

    /** "0100007F:1F90" (IPv4) or 32 hex digits (IPv6), each 32-bit word in host (little-endian) order. */
    static InetAddress address(final String hostPort) {
        final String hex = hostPort.substring(0, hostPort.indexOf(':'));
        final byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                final int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes); // an IPv4-mapped IPv6 address comes back as IPv4
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException(hostPort, e);
        }
    }

    static int port(final String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1), 16);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join(2_000);
    }
}
