/**
 * Cross-shard receipts, atomic swaps (shard-led two-phase commit) and quorum certificates. Pure state machines.
 */
package io.basalt.xshard;
