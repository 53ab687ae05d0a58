package io.basalt.sim;

import java.util.ArrayList;
import java.util.List;

/** What the checkers of one run found, in the order they found it; the first few are kept. */
final class Violations {
    static final int MAX_KEPT = 20;

    private final List<String> found = new ArrayList<>();

    void add(final String message) {
        if (found.size() < MAX_KEPT) {
            found.add(message);
        }
    }

    void crash(final long nowNs, final Throwable e) {
        final java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        final String[] lines = trace.toString().split("\n");
        add("invariant broken at " + nowNs / Scenario.MS + " ms: "
            + String.join(" <- ", java.util.Arrays.copyOf(lines, Math.min(4, lines.length))).replace('\t', ' '));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<String> list() {
        return List.copyOf(found);
    }
}
