package io.basalt.system;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports, chosen when a test starts.
 *
 * <p>Ports are drawn below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range})
 * and kept only when both TCP and UDP can bind them. The range matters because a validator that is
 * killed and restarted must get its port back: an ephemeral-range port could meanwhile become the
 * source port of some outgoing connection (the test's HTTP client, Aeron's publications). Ports the
 * default {@code basalt genesis} layout uses (20000+, 8080+, 9000+) are avoided, so a developer's
 * {@code basalt local} does not collide with a test run.
 */
final class LoopbackPorts {
    private static final int LOW = 10_240;
    private static final int MAX_TRIES = 10_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Set<Integer> taken = new HashSet<>();
    private final int high;

    LoopbackPorts() {
        this.high = ephemeralLow();
    }

    /** A port free for both TCP and UDP that this instance has not handed out yet. */
    int next() {
        return nextRun(1);
    }

    /** The first of {@code count} consecutive free ports. */
    int nextRun(final int count) {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            final int first = random.nextInt(LOW, high - count);
            if (runFree(first, count)) {
                for (int i = 0; i < count; i++) {
                    taken.add(first + i);
                }
                return first;
            }
        }
        throw new IllegalStateException("no free loopback ports below " + high + " after " + MAX_TRIES + " tries");
    }

    private boolean runFree(final int first, final int count) {
        for (int port = first; port < first + count; port++) {
            if (taken.contains(port) || reservedByDefaults(port) || !free(port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean reservedByDefaults(final int port) {
        return (port >= 20_000 && port < 20_256) || (port >= 8_000 && port < 9_600);
    }

    private static boolean free(final int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(LOOPBACK, port));
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                return udp.isBound();
            }
        } catch (final IOException e) {
            return false;
        }
    }

    /** Lower bound of the ephemeral range; 32768 (Linux's default) when it cannot be read. */
    private static int ephemeralLow() {
        try {
            final String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            final int low = Integer.parseInt(range.split("\\s+")[0]);
            return Math.max(LOW + 4_096, Math.min(low, 65_000));
        } catch (final IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
