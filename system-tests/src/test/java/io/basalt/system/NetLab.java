package io.basalt.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A small network of hosts on one machine, for process tests that need validators on distinct
 * addresses and faults between them (docs/chaos.md). Everything it creates carries the prefix
 * {@code basalt-c<pid>-} (namespaces) or {@code bc<pid>} (the one link in the root namespace), and
 * {@link #close} (also run by a shutdown hook) deletes it all.
 *
 * <pre>
 *   root namespace (the test JVM)          basalt-cPID-sw                 basalt-cPID-nI
 *   bcPIDh 10.77.X.254/24  ──veth──  uplink ─┐                                 eth0 10.77.X.(I+1)/24, lo up
 *                                       ├─ br0 (bridge) ─ pI ──veth──────  (one per host I)
 * </pre>
 *
 * The bridge sits in a namespace of its own, so no bridge appears in the root namespace; deleting the
 * namespaces removes every link with them. X is picked so that no route of the root namespace
 * overlaps 10.77.X.0/24.
 *
 * <p>Faults: {@link #partition} and {@link #isolate} add {@code blackhole} routes to the other side's
 * addresses in every namespace concerned (both directions; packets vanish, as on a cut link; the test
 * JVM at .254 still reaches everyone over HTTP). {@link #loss} adds an iptables rule inside a host's
 * namespace ({@code -m statistic --mode random}: the kernel's coin, not seeded). {@link #heal}
 * removes every fault. Delay is not offered: this kernel has no netem qdisc.
 */
final class NetLab implements AutoCloseable {
    private static final long COMMAND_TIMEOUT_S = 20;

    private final String prefix;
    private final String switchNs;
    private final String hostLink;
    private final int subnet;
    private final int hosts;
    private final List<String> routes = new ArrayList<>(); // "ns|address" blackholes in place
    private final Set<Integer> lossy = new LinkedHashSet<>();
    private final Thread reaper = new Thread(this::cleanUp, "netlab-reaper");
    private boolean closed;

    private NetLab(final int hosts) {
        final long pid = ProcessHandle.current().pid();
        this.prefix = "basalt-c" + pid + "-";
        this.switchNs = prefix + "sw";
        this.hostLink = "bc" + pid + "h";
        this.hosts = hosts;
        this.subnet = freeSubnet(pid);
    }

    /**
     * Creates the bridge and {@code hosts} namespaces, each with its address and loopback up. Fails,
     * naming what is missing, when not root or {@code ip} is absent (scripts/lib/netlab.sh installs it).
     */
    static NetLab create(final int hosts) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("NetLab needs root (ip netns); running as " + System.getProperty("user.name"));
        }
        if (!onPath("ip")) {
            throw new AssertionError("NetLab needs iproute2's `ip`: run scripts/lib/netlab.sh (apt-get install iproute2)");
        }
        final NetLab lab = new NetLab(hosts);
        Runtime.getRuntime().addShutdownHook(lab.reaper);
        try {
            lab.build();
        } catch (final IOException | RuntimeException | Error e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() throws IOException, InterruptedException {
        final String net = "10.77." + subnet + ".";
        ip("netns", "add", switchNs);
        ip("-n", switchNs, "link", "set", "lo", "up");
        ip("-n", switchNs, "link", "add", "br0", "type", "bridge");
        ip("-n", switchNs, "link", "set", "br0", "up");
        // The test JVM's way in: one veth end in the root namespace, the other on the bridge.
        ip("link", "add", hostLink, "type", "veth", "peer", "name", "uplink", "netns", switchNs);
        ip("-n", switchNs, "link", "set", "uplink", "master", "br0");
        ip("-n", switchNs, "link", "set", "uplink", "up");
        ip("addr", "add", net + "254/24", "dev", hostLink);
        ip("link", "set", hostLink, "up");
        for (int i = 0; i < hosts; i++) {
            final String ns = namespace(i);
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", switchNs, "link", "add", "p" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", switchNs, "link", "set", "p" + i, "master", "br0");
            ip("-n", switchNs, "link", "set", "p" + i, "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
    }

    int hosts() {
        return hosts;
    }

    String namespace(final int host) {
        return prefix + "n" + host;
    }

    String address(final int host) {
        return "10.77." + subnet + "." + (host + 1);
    }

    /** The root namespace's address on the lab network (the test JVM's). */
    String hostAddress() {
        return "10.77." + subnet + ".254";
    }

    /** The host whose address this is, or -1. */
    int hostOf(final String address) {
        for (int i = 0; i < hosts; i++) {
            if (address(i).equals(address)) {
                return i;
            }
        }
        return -1;
    }

    /** What to put before a command to run it on {@code host}: {@code ip netns exec NS}, which execs it (same pid). */
    List<String> exec(final int host) {
        return List.of("ip", "netns", "exec", namespace(host));
    }

    /** Cuts every link between {@code a} and {@code b}, both directions. */
    synchronized void partition(final Collection<Integer> a, final Collection<Integer> b)
        throws IOException, InterruptedException {
        for (final int x : a) {
            for (final int y : b) {
                if (x != y) {
                    blackhole(x, y);
                    blackhole(y, x);
                }
            }
        }
    }

    /** Cuts {@code host} off from every other host (the test JVM still reaches it). */
    void isolate(final int host) throws IOException, InterruptedException {
        final List<Integer> others = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            if (i != host) {
                others.add(i);
            }
        }
        partition(List.of(host), others);
    }

    /**
     * Drops each UDP packet {@code host} sends to another lab host with probability {@code p}
     * (iptables in its namespace; the kernel draws, so which packets go is not reproducible, only
     * which hosts and what rate).
     */
    synchronized void loss(final int host, final double p) throws IOException, InterruptedException {
        if (!onPath("iptables")) {
            throw new AssertionError("loss needs iptables: run scripts/lib/netlab.sh (apt-get install iptables)");
        }
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("loss probability " + p);
        }
        lossy.add(host);
        for (int peer = 0; peer < hosts; peer++) {
            if (peer != host) {
                run(List.of("ip", "netns", "exec", namespace(host), "iptables", "-w", "-A", "OUTPUT", "-p", "udp",
                    "-d", address(peer) + "/32", "-m", "statistic", "--mode", "random",
                    "--probability", String.format("%.4f", p), "-j", "DROP"), true);
            }
        }
    }

    /** Packets dropped so far by the loss rule of {@code host} (iptables counters); 0 without one. */
    synchronized long dropped(final int host) throws IOException, InterruptedException {
        if (!lossy.contains(host)) {
            return 0;
        }
        final String out = run(List.of("ip", "netns", "exec", namespace(host), "iptables", "-w", "-L", "OUTPUT",
            "-v", "-x", "-n"), true);
        long packets = 0;
        for (final String line : out.split("\n")) {
            final String[] f = line.trim().split("\\s+");
            if (f.length > 2 && "DROP".equals(f[2])) {
                packets += Long.parseLong(f[0]);
            }
        }
        return packets;
    }

    /** Removes every partition and loss rule. */
    synchronized void heal() throws IOException, InterruptedException {
        for (final String route : List.copyOf(routes)) {
            final String[] parts = route.split("\\|");
            ip("-n", parts[0], "route", "del", "blackhole", parts[1] + "/32");
            routes.remove(route);
        }
        for (final int host : List.copyOf(lossy)) {
            run(List.of("ip", "netns", "exec", namespace(host), "iptables", "-w", "-F", "OUTPUT"), true);
            lossy.remove(host);
        }
    }

    synchronized boolean faulty() {
        return !routes.isEmpty() || !lossy.isEmpty();
    }

    private void blackhole(final int from, final int to) throws IOException, InterruptedException {
        final String key = namespace(from) + "|" + address(to);
        if (!routes.contains(key)) {
            ip("-n", namespace(from), "route", "add", "blackhole", address(to) + "/32");
            routes.add(key);
        }
    }

    /** Deletes the namespaces (their links go with them) and the root namespace's link. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (final IllegalStateException shuttingDown) {
            // the hook is running; it does the same
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        final List<String> leftover = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            quietly(List.of("ip", "netns", "del", namespace(i)));
        }
        quietly(List.of("ip", "netns", "del", switchNs));
        quietly(List.of("ip", "link", "del", hostLink)); // normally gone with its peer
        try {
            final String names = run(List.of("ip", "netns", "list"), false);
            for (final String line : names.split("\n")) {
                if (line.startsWith(prefix)) {
                    leftover.add(line);
                }
            }
            if (!run(List.of("ip", "-br", "link", "show"), false).contains(hostLink)) {
                if (leftover.isEmpty()) {
                    return;
                }
            } else {
                leftover.add(hostLink);
            }
        } catch (final IOException | InterruptedException | RuntimeException e) {
            leftover.add("(could not list: " + e + ")");
        }
        System.err.println("NetLab: could not remove " + leftover);
    }

    private static void quietly(final List<String> command) {
        try {
            run(command, false);
        } catch (final IOException | InterruptedException | RuntimeException ignored) {
            // cleanUp reports what is left
        }
    }

    private static void ip(final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        run(command, true);
    }

    /** Runs a command, returns its output; with {@code check}, a non-zero exit is an error naming it. */
    private static String run(final List<String> command, final boolean check) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] out;
        try {
            out = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } finally {
            process.getInputStream().close();
        }
        final String text = new String(out, StandardCharsets.UTF_8);
        if (check && process.exitValue() != 0) {
            throw new IOException("`" + String.join(" ", command) + "` exited " + process.exitValue() + ": " + text.trim());
        }
        return text;
    }

    private static boolean onPath(final String tool) {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        for (final String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** A third octet whose 10.77.X.0/24 no route of the root namespace touches, starting from the pid. */
    private static int freeSubnet(final long pid) {
        final String routes;
        try {
            routes = run(List.of("ip", "-4", "route", "show", "table", "all"), false)
                + run(List.of("ip", "-4", "addr", "show"), false);
        } catch (final IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read routes", e);
        }
        for (int i = 0; i < 250; i++) {
            final int x = (int) ((pid + i) % 250) + 1;
            if (!routes.contains("10.77." + x + ".")) {
                return x;
            }
        }
        throw new IllegalStateException("no free 10.77.X.0/24 subnet");
    }
}
