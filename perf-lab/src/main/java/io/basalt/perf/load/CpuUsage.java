package io.basalt.perf.load;

import java.util.Map;

/**
 * CPU used over a measured window, in nanoseconds of CPU: the whole process (every thread,
 * including GC and JIT), the process's Java threads grouped by role, and the whole machine (from
 * {@code /proc/stat}; NaN where unreadable), so that what other programs used shows as the difference.
 */
record CpuUsage(long wallNs, long processCpuNs, Map<String, Long> threadGroupCpuNs, double machineBusyNs) {
    static final CpuUsage NONE = new CpuUsage(0, 0, Map.of(), Double.NaN);

    /** Cores this process kept busy on average. */
    double processCores() {
        return wallNs > 0 ? (double) processCpuNs / wallNs : Double.NaN;
    }

    /** Cores kept busy by everything else on the machine (other engineers' builds, the OS). */
    double otherCores() {
        return wallNs > 0 && !Double.isNaN(machineBusyNs) ? Math.max(0, machineBusyNs - processCpuNs) / wallNs : Double.NaN;
    }

    double cores(final long cpuNs) {
        return wallNs > 0 ? (double) cpuNs / wallNs : Double.NaN;
    }
}
