package io.basalt.perf.load;

/**
 * What one multi-shard step left behind, index by index: the raw material of {@link
 * MixedAccounting}. Times are nanoseconds after the step's start.
 *
 * @param label       what the step was for ("mixed", "scale-2")
 * @param shards      shards in the cluster
 * @param schedule    intended send times and the measured window
 * @param plan        each transaction's kind and where it went
 * @param submitNs    when the submitter called submit for transaction i; {@link StepRaw#NOT_SENT} if never
 * @param rejectCodes the node's answer ({@code RejectCode.ordinal()}, 0 = ACCEPTED; {@link StepRaw#NOT_SENT_CODE})
 * @param timesNs     by {@link MixedTracker} slot: when that event was seen ({@link MixedTracker#NOT_SEEN} if not)
 * @param results     by slot: the event's result code (0 = success)
 * @param cpu         CPU over the measured window
 * @param node        validator 0 of shard 0: consensus progress over the window
 */
record MixedRaw(String label, int shards, OpenLoopSchedule schedule, MixPlan plan, long[] submitNs, byte[] rejectCodes,
                long[][] timesNs, int[][] results, CpuUsage cpu, StepRaw.NodeProgress node) {
    MixedRaw {
        final int n = schedule.total();
        if (plan.size() != n || submitNs.length != n || rejectCodes.length != n
            || timesNs.length != MixedTracker.SLOTS || results.length != MixedTracker.SLOTS) {
            throw new IllegalArgumentException("raw arrays must hold one entry per scheduled transaction (" + n
                + ") and one row per slot");
        }
        for (int slot = 0; slot < MixedTracker.SLOTS; slot++) {
            if (timesNs[slot].length != n || results[slot].length != n) {
                throw new IllegalArgumentException("slot " + slot + " must hold " + n + " entries");
            }
        }
    }
}
