package io.basalt.node.api;

/** A validator's view of itself, for /status and the CLI. */
public record NodeStatus(
    int networkId,
    int shardId,
    int shardCount,
    int validatorIndex,
    int committeeSize,
    long committedHeight,
    long executedHeight,
    long round,
    String stateDigestHex,
    long consensusTimeMs,
    boolean ready) {
}
