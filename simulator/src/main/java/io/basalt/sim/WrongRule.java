package io.basalt.sim;

/**
 * Deliberately wrong rules, for showing that the checkers catch them. The cross-shard ones the
 * simulator imposes from outside execution, by what it feeds the unchanged {@code HeightExecutor}:
 *
 * <ul>
 *   <li>{@link #LENIENT_CERTIFICATES}: a certificate with f+1 valid signatures of the source
 *       committee counts as one with 2f+1. The simulator tops such a certificate up with the
 *       missing members' signatures before the executor checks it.</li>
 *   <li>{@link #SEQ_BLIND}: the destination ignores the stream's seq and applies a batch it has
 *       applied before. The simulator shows the executor a state whose next expected seq, for
 *       that one batch, is the batch's own.</li>
 * </ul>
 *
 * The consensus one the simulator imposes through the core's test-only switch:
 *
 * <ul>
 *   <li>{@link #UNSAFE_ROUND_ADVANCE}: the round rule before the Starfish pacemaker
 *       ({@code CoreConfig.withUnsafeRoundAdvance}): a validator behind the quorum round proposes
 *       quorum round + 1 at once, entering it without a block of its own in the round before, and
 *       pushes no parents. {@link Scenario#qiuSchedule} stalls it.</li>
 * </ul>
 */
public enum WrongRule {
    NONE,
    LENIENT_CERTIFICATES,
    SEQ_BLIND,
    UNSAFE_ROUND_ADVANCE
}
