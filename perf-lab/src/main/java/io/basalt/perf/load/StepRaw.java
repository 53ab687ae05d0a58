package io.basalt.perf.load;

/**
 * What one open-loop step left behind, index by index, before any statistics: the raw material of
 * {@link LatencyAccounting}. All times are nanoseconds after the step's start.
 *
 * @param label          what the step was for ("sweep", "refine", "half-saturation", "fixed")
 * @param schedule       intended send times and the measured window
 * @param submitNs       when the submitter actually called submit for transaction i; {@link #NOT_SENT} if never
 * @param rejectCodes    the node's answer: {@code RejectCode.ordinal()}, 0 = ACCEPTED; {@link #NOT_SENT_CODE} if never sent
 * @param commitNs       when COMMITTED was seen on the validator the transaction went to; {@link #NOT_COMMITTED} if not
 *                       before the drain ended
 * @param failedExecutions COMMITTED events of this step whose execution result was not success
 * @param cpu            CPU used over the measured window
 * @param node           the first validator's consensus progress over the window
 * @param stages         every validator's stage breakdown over the window
 */
record StepRaw(String label, OpenLoopSchedule schedule, long[] submitNs, byte[] rejectCodes, long[] commitNs,
               long failedExecutions, CpuUsage cpu, NodeProgress node, StageBreakdown stages) {
    static final long NOT_SENT = -1;
    static final byte NOT_SENT_CODE = -1;
    static final long NOT_COMMITTED = 0;

    StepRaw(final String label, final OpenLoopSchedule schedule, final long[] submitNs, final byte[] rejectCodes,
            final long[] commitNs, final long failedExecutions, final CpuUsage cpu, final NodeProgress node) {
        this(label, schedule, submitNs, rejectCodes, commitNs, failedExecutions, cpu, node, StageBreakdown.ABSENT);
    }

    StepRaw {
        final int n = schedule.total();
        if (submitNs.length != n || rejectCodes.length != n || commitNs.length != n) {
            throw new IllegalArgumentException("raw arrays must hold one entry per scheduled transaction (" + n + ")");
        }
    }

    /**
     * Rounds and commits (heights) a validator made over the window, from its status before and after,
     * and the consensus messages and bytes it sent (its metrics).
     */
    record NodeProgress(long rounds, long heights, long messagesSent, long bytesSent, double seconds) {
        static final NodeProgress NONE = new NodeProgress(0, 0, 0, 0, 0);

        double roundsPerSecond() {
            return seconds > 0 ? rounds / seconds : Double.NaN;
        }

        double heightsPerSecond() {
            return seconds > 0 ? heights / seconds : Double.NaN;
        }

        double messagesSentPerSecond() {
            return seconds > 0 ? messagesSent / seconds : Double.NaN;
        }

        double bytesSentPerSecond() {
            return seconds > 0 ? bytesSent / seconds : Double.NaN;
        }
    }
}
