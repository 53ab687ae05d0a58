package io.basalt.perf.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Snapshots of CPU time: the process (OperatingSystemMXBean: every thread, GC and JIT included),
 * each live Java thread (ThreadMXBean), and the machine ({@code /proc/stat}). Two snapshots give a
 * {@link CpuUsage}; threads are grouped by role so four validators' consensus agents add up to one
 * line ("validator consensus"), which is what says where the time goes.
 */
final class CpuSampler {
    /** {@code basalt-s0v2-consensus-0} → role {@code consensus}. ValidatorNode names its threads so. */
    private static final Pattern VALIDATOR_THREAD = Pattern.compile("basalt-s\\d+v\\d+-(.+?)(-\\d+)?");
    /** Aeron names the shared media driver's thread after its folder: {@code /tmp/x/aeron [sender,receiver,driver-conductor]}. */
    private static final Pattern MEDIA_DRIVER_THREAD = Pattern.compile(".*aeron \\[(.+)\\]");
    /** Jiffies per second in /proc/stat: USER_HZ is 100 on every Linux we run on. */
    private static final double NS_PER_JIFFY = 1e9 / 100;

    record Snapshot(long wallNs, long processCpuNs, Map<Long, Long> threadCpuNs, Map<Long, String> threadNames,
                    double machineBusyNs) {
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os;

    CpuSampler() {
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun
            ? sun : null;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    Snapshot take() {
        final long wall = System.nanoTime();
        final long process = os == null ? -1 : os.getProcessCpuTime();
        final Map<Long, Long> cpu = new HashMap<>();
        final Map<Long, String> names = new HashMap<>();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue; // ended between the two calls
            }
            final long ns = threads.getThreadCpuTime(info.getThreadId());
            if (ns >= 0) {
                cpu.put(info.getThreadId(), ns);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return new Snapshot(wall, process, cpu, names, machineBusyNs());
    }

    static CpuUsage between(final Snapshot before, final Snapshot after) {
        final Map<String, Long> groups = new TreeMap<>();
        long javaThreads = 0;
        for (final Map.Entry<Long, Long> e : after.threadCpuNs().entrySet()) {
            final long used = e.getValue() - before.threadCpuNs().getOrDefault(e.getKey(), 0L);
            groups.merge(group(after.threadNames().get(e.getKey())), used, Long::sum);
            javaThreads += used;
        }
        final long process = after.processCpuNs() - before.processCpuNs();
        if (before.processCpuNs() >= 0 && process > javaThreads) {
            // Threads that ended in the window fall here too; over a measured window there are none of ours.
            groups.put("(GC, JIT, VM and native threads)", process - javaThreads);
        }
        return new CpuUsage(after.wallNs() - before.wallNs(), process, groups,
            after.machineBusyNs() - before.machineBusyNs());
    }

    /** The role a thread plays, with validator and sequence numbers taken out. */
    static String group(final String threadName) {
        if (threadName == null) {
            return "(unnamed)";
        }
        final Matcher m = VALIDATOR_THREAD.matcher(threadName);
        if (m.matches()) {
            return "validator " + m.group(1);
        }
        final Matcher driver = MEDIA_DRIVER_THREAD.matcher(threadName);
        if (driver.matches()) {
            return "aeron media driver [" + driver.group(1) + "]";
        }
        return threadName.replaceAll("\\d+", "#");
    }

    /** Busy CPU time of the whole machine since boot (user + nice + system + irq + softirq + steal), or NaN. */
    private static double machineBusyNs() {
        try {
            final String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            final String[] f = first.trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 9) {
                return Double.NaN;
            }
            long busy = 0;
            for (final int column : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[column]);
            }
            return busy * NS_PER_JIFFY;
        } catch (final IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
