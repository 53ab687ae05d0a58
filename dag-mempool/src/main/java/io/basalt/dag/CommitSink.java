package io.basalt.dag;

/** Receives committed sub-DAGs, in height order, each exactly once per run of the core. */
@FunctionalInterface
public interface CommitSink {
    void onCommit(CommittedSubDag subDag);
}
