package io.basalt.client.sdk;

/**
 * A validator's status as served by {@code GET /v1/status}, with the network's flat fee, which a
 * client needs to build transactions.
 */
public record NetworkStatus(
    int networkId,
    int shardId,
    int shardCount,
    int validatorIndex,
    int committeeSize,
    long fee,
    long committedHeight,
    long executedHeight,
    long round,
    String stateDigest,
    long consensusTimeMs,
    boolean ready) {
}
