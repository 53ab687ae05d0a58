package io.basalt.exec;

/** An initial balance of the genesis: {@code amount} of {@code assetId} to {@code account}. */
public record Allocation(byte[] account, int assetId, long amount) {
}
