/**
 * Deterministic whole-network simulator: S shards of n validators in seeded virtual time, each
 * validator running the consensus core, the real transaction rules over its own in-memory state
 * and the cross-shard relay; faults inside and between shards, Byzantine validators in consensus
 * and in the relay; checkers for agreement, state, money, exactly-once cross-shard application,
 * atomic swaps and liveness. See {@link io.basalt.sim.Simulation} and docs/simulator-multishard.md.
 */
package io.basalt.sim;
