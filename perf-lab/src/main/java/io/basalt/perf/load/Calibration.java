package io.basalt.perf.load;

import java.util.Locale;

/**
 * What this machine allows, measured in the same run before the steps, so every step can be read
 * against it: the signature ceiling ({@link VerifyCalibration}) and the messaging round-trip floor
 * ({@link RttCalibration}). Either may be null when it could not be measured.
 */
record Calibration(VerifyCalibration verify, RttCalibration rtt) {

    double ofCeiling(final double committedPerSecond) {
        return verify == null ? Double.NaN : verify.ofCeiling(committedPerSecond);
    }

    double rttMultiple(final double latencyMs) {
        return rtt == null ? Double.NaN : rtt.multipleOfP50(latencyMs);
    }

    /** The calibration as a Markdown paragraph and table. */
    String markdown() {
        final StringBuilder md = new StringBuilder("Calibration (same run, before the steps):\n\n| | |\n|---|---|\n");
        if (verify != null) {
            md.append(String.format(Locale.ROOT, "| Ed25519 verify, 1 thread | %,.0f /s (%s; %d senders, pool %,d, "
                    + "%,d checks in %.2f s) |%n| signature ceiling | %d cores × %,.0f /s ÷ %d validators per shard = "
                    + "**%,.0f tx/s** |%n", verify.perSecond(), verify.provider(), verify.senders(), verify.pool(),
                verify.checks(), verify.seconds(), verify.cores(), verify.perSecond(), verify.validatorsPerShard(),
                verify.ceilingTxPerSecond()));
        } else {
            md.append("| signature ceiling | not measured |\n");
        }
        if (rtt != null) {
            md.append(String.format(Locale.ROOT, "| Aeron %s round trip (%s idle, %,d round trips) | p50 **%.1f µs**, "
                    + "p99 %.1f µs, mean %.1f µs, max %.0f µs |%n", rtt.channel(), rtt.idleStrategy(), rtt.roundTrips(),
                rtt.p50Us(), rtt.p99Us(), rtt.meanUs(), rtt.maxUs()));
        } else {
            md.append("| Aeron round trip | not measured |\n");
        }
        return md.toString();
    }
}
