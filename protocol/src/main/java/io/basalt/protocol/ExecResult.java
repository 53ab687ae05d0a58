package io.basalt.protocol;

/**
 * The outcome of executing one committed transaction. Stable numeric codes: they travel in
 * finality events and status answers. A committed transaction that fails is still final: its
 * fee is charged when the sender can pay it (except for DUPLICATE, which is a no-op).
 */
public enum ExecResult {
    SUCCESS(0),
    INSUFFICIENT_BALANCE(1),
    INSUFFICIENT_FEE(2),
    EXPIRED(3),
    DUPLICATE(4),
    WRONG_SHARD(5),
    ASSET_EXISTS(6),
    OVERFLOW(7),
    WRONG_NETWORK(8),
    UNSUPPORTED(9),
    INVALID(10),
    /** A certified batch ahead of its stream: not applied; it is proposed again once its predecessors are. */
    OUT_OF_ORDER(11),
    /** A certified batch whose certificate, root, destination or content does not hold: never applied. */
    BAD_CERTIFICATE(12),
    /** A cross-shard swap that aborted: every escrow was refunded (a SETTLED result). */
    SWAP_ABORTED(13),
    /** CREATE_ASSET of an id that another shard mints: asset a is created on shard a mod shardCount. */
    ASSET_ID_OF_OTHER_SHARD(14);

    private final int code;

    ExecResult(final int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ExecResult fromCode(final int code) {
        for (final ExecResult r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return INVALID;
    }
}
