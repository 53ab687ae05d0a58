package io.basalt.dag;

import io.basalt.dag.CoreStorage.CommitRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The retained commit records of a {@link CoreStorage}, in height order: what every storage keeps
 * the same way (the simulator's, the node's file store, the benchmarks'). Records whose leader
 * round falls below a retention bound are dropped; a record not above the last height is ignored,
 * so replaying a log twice cannot duplicate one.
 */
public final class CommitWindow {
    private final ArrayDeque<CommitRecord> records = new ArrayDeque<>();

    /** Appends a record above the last height; returns false (and keeps nothing) otherwise. */
    public boolean add(final CommitRecord record) {
        final CommitRecord last = records.peekLast();
        if (last != null && record.height() <= last.height()) {
            return false;
        }
        records.addLast(record);
        return true;
    }

    /** Drops the records whose leader round is below {@code keepFromRound}. */
    public void dropBelow(final long keepFromRound) {
        while (!records.isEmpty() && records.peekFirst().leader().round() < keepFromRound) {
            records.pollFirst();
        }
    }

    /** The latest record, or null. */
    public CommitRecord last() {
        return records.peekLast();
    }

    /** Records whose leader round is at least {@code fromLeaderRound}, in height order. */
    public List<CommitRecord> from(final long fromLeaderRound) {
        final List<CommitRecord> found = new ArrayList<>();
        for (final CommitRecord record : records) {
            if (record.leader().round() >= fromLeaderRound) {
                found.add(record);
            }
        }
        return found;
    }

    public int size() {
        return records.size();
    }
}
