package io.basalt.perf.consensus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time by thread role between two snapshots: the validators' consensus agents ({@code bench-vK-consensus}
 * add up to one line), the submitter, Aeron's media driver and client conductor, and the rest of the
 * process (GC, JIT, VM threads) as process CPU minus the Java threads seen.
 */
final class ThreadCpu {
    record Snapshot(long wallNs, long processCpuNs, Map<Long, Long> cpuNs, Map<Long, String> names) {
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;

    ThreadCpu() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    Snapshot take() {
        final Map<Long, Long> cpu = new HashMap<>();
        final Map<Long, String> names = new HashMap<>();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                final long ns = threads.getThreadCpuTime(info.getThreadId());
                if (ns >= 0) {
                    cpu.put(info.getThreadId(), ns);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return new Snapshot(System.nanoTime(), os == null ? -1 : os.getProcessCpuTime(), cpu, names);
    }

    /** Cores used (CPU seconds per wall second) by role, plus "process total". */
    static Map<String, Double> coresByRole(final Snapshot before, final Snapshot after) {
        final double wallNs = after.wallNs() - before.wallNs();
        final Map<String, Long> ns = new TreeMap<>();
        long java = 0;
        for (final Map.Entry<Long, Long> e : after.cpuNs().entrySet()) {
            final long used = e.getValue() - before.cpuNs().getOrDefault(e.getKey(), 0L);
            ns.merge(role(after.names().get(e.getKey())), used, Long::sum);
            java += used;
        }
        final Map<String, Double> cores = new TreeMap<>();
        ns.forEach((role, used) -> cores.put(role, used / wallNs));
        if (before.processCpuNs() >= 0) {
            final long process = after.processCpuNs() - before.processCpuNs();
            cores.put("(GC, JIT, VM and native threads)", Math.max(0, process - java) / wallNs);
            cores.put("process total", process / wallNs);
        }
        return cores;
    }

    static String role(final String name) {
        if (name == null) {
            return "(unnamed)";
        }
        if (name.matches("bench-v\\d+-consensus")) {
            return "validator consensus agents (all)";
        }
        if (name.matches(".*aeron \\[.*\\]|.*driver-conductor.*|.*\\[sender.*")) {
            return "aeron media driver";
        }
        return name.replaceAll("\\d+", "#");
    }
}
