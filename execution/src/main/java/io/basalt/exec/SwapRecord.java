package io.basalt.exec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One shard's view of a cross-shard swap: its own leg, the two votes and the decision.
 *
 * <pre>
 *   myVote, otherVote:  NONE → PREPARED | ABORT          (each set once, never changed)
 *   decision:           OPEN → COMMITTED (both PREPARED) | ABORTED (any ABORT)
 *   escrowed:           my leg's amount from PREPARED until the decision, then 0
 *   incomingReceived:   the counterparty's leg was credited here (committed swaps only)
 * </pre>
 *
 * The record is deleted once the decision is made and this shard's party has what it is owed
 * (its refund, or the counterparty's leg). Layout of {@link #encode} ({@value #BYTES} bytes,
 * little-endian): swapId 32 | aSide u8 | otherShard u16 | myVote u8 | otherVote u8 | owner 32 |
 * counterparty 32 | assetId u32 | amount u64 | escrowed u64 | expiryMs u64 | decision u8 |
 * incomingReceived u8.
 */
public record SwapRecord(byte[] swapId, boolean aSide, int otherShard, int myVote, int otherVote,
                         byte[] owner, byte[] counterparty, int assetId, long amount, long escrowed,
                         long expiryMs, int decision, boolean incomingReceived) {
    public static final int NONE = 0;
    public static final int PREPARED = 1;
    public static final int ABORT = 2;
    public static final int OPEN = 0;
    public static final int COMMITTED = 1;
    public static final int ABORTED = 2;
    public static final int BYTES = 32 + 1 + 2 + 1 + 1 + 32 + 32 + 4 + 8 + 8 + 8 + 1 + 1;

    public SwapRecord withOtherVote(final int vote) {
        return new SwapRecord(swapId, aSide, otherShard, myVote, vote, owner, counterparty, assetId, amount, escrowed,
            expiryMs, decision, incomingReceived);
    }

    public SwapRecord decided(final int newDecision) {
        return new SwapRecord(swapId, aSide, otherShard, myVote, otherVote, owner, counterparty, assetId, amount, 0,
            expiryMs, newDecision, incomingReceived);
    }

    public SwapRecord withIncomingReceived() {
        return new SwapRecord(swapId, aSide, otherShard, myVote, otherVote, owner, counterparty, assetId, amount, escrowed,
            expiryMs, decision, true);
    }

    /** Nothing is left to do here: decided, and this shard's party has its refund or the counterparty's leg. */
    public boolean finished() {
        return decision == ABORTED || decision == COMMITTED && incomingReceived;
    }

    public byte[] encode() {
        final ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(swapId).put((byte) (aSide ? 1 : 0)).putShort((short) otherShard).put((byte) myVote).put((byte) otherVote)
            .put(owner).put(counterparty).putInt(assetId).putLong(amount).putLong(escrowed).putLong(expiryMs)
            .put((byte) decision).put((byte) (incomingReceived ? 1 : 0));
        return b.array();
    }

    public static SwapRecord decode(final byte[] bytes, final int offset) {
        final ByteBuffer b = ByteBuffer.wrap(bytes, offset, BYTES).order(ByteOrder.LITTLE_ENDIAN);
        final byte[] id = new byte[32];
        b.get(id);
        final boolean aSide = b.get() != 0;
        final int otherShard = b.getShort() & 0xFFFF;
        final int myVote = b.get();
        final int otherVote = b.get();
        final byte[] owner = new byte[32];
        b.get(owner);
        final byte[] counterparty = new byte[32];
        b.get(counterparty);
        return new SwapRecord(id, aSide, otherShard, myVote, otherVote, owner, counterparty, b.getInt(), b.getLong(),
            b.getLong(), b.getLong(), b.get(), b.get() != 0);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof SwapRecord r && Arrays.equals(encode(), r.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "SwapRecord[aSide=" + aSide + " other=" + otherShard + " votes=" + myVote + "/" + otherVote
            + " decision=" + decision + " escrowed=" + escrowed + " incoming=" + incomingReceived + "]";
    }
}
