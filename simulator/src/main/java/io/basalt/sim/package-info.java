/**
 * Deterministic whole-cluster simulator: seeded virtual time and network, faults, Byzantine validators and checkers.
 */
package io.basalt.sim;
