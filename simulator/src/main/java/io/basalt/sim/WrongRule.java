package io.basalt.sim;

/**
 * Deliberately wrong cross-shard rules, for showing that the checkers catch them. The simulator
 * imposes them from outside execution, by what it feeds the unchanged {@code HeightExecutor}:
 *
 * <ul>
 *   <li>{@link #LENIENT_CERTIFICATES}: a certificate with f+1 valid signatures of the source
 *       committee counts as one with 2f+1. The simulator tops such a certificate up with the
 *       missing members' signatures before the executor checks it.</li>
 *   <li>{@link #SEQ_BLIND}: the destination ignores the stream's seq and applies a batch it has
 *       applied before. The simulator shows the executor a state whose next expected seq, for
 *       that one batch, is the batch's own.</li>
 * </ul>
 */
public enum WrongRule {
    NONE,
    LENIENT_CERTIFICATES,
    SEQ_BLIND
}
