/**
 * The transaction rules of one shard, pure: no Chronicle, no files, no threads, no clock. The
 * validator runs them over its Chronicle-backed state ({@code shard-node}), the simulator over
 * {@link io.basalt.exec.MemoryState}; both write the same {@link io.basalt.exec.HeightEffects} and
 * so reach the same state digest.
 */
package io.basalt.exec;
