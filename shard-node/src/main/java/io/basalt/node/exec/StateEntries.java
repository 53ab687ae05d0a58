package io.basalt.node.exec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * Keys and values of the ledger's Chronicle Maps: mutable, fixed-size, reused by the execution
 * thread (one set per thread for readers) so that a lookup allocates nothing. Chronicle compares
 * keys by their serialized bytes, so no equals/hashCode is needed. All classes are public with a
 * no-argument constructor because Chronicle instantiates them when it iterates a map.
 */
final class StateEntries {
    static final int ACCOUNT_BYTES = 32;
    static final int BALANCE_KEY_BYTES = ACCOUNT_BYTES + Integer.BYTES;

    private StateEntries() {
    }

    /** (account 32 bytes, asset id u32 little-endian): the key of one balance. */
    public static final class BalanceKey implements BytesMarshallable {
        final byte[] bytes = new byte[BALANCE_KEY_BYTES];

        void set(final byte[] src, final int offset) {
            System.arraycopy(src, offset, bytes, 0, BALANCE_KEY_BYTES);
        }

        int assetId() {
            return (bytes[32] & 0xFF) | (bytes[33] & 0xFF) << 8 | (bytes[34] & 0xFF) << 16 | (bytes[35] & 0xFF) << 24;
        }

        @Override
        public void readMarshallable(final BytesIn<?> in) {
            in.read(bytes, 0, BALANCE_KEY_BYTES);
        }

        @Override
        public void writeMarshallable(final BytesOut<?> out) {
            out.write(bytes, 0, BALANCE_KEY_BYTES);
        }
    }

    /** A balance, or a replay entry's expiry: one long. */
    public static final class LongValue implements BytesMarshallable {
        long value;

        @Override
        public void readMarshallable(final BytesIn<?> in) {
            value = in.readLong();
        }

        @Override
        public void writeMarshallable(final BytesOut<?> out) {
            out.writeLong(value);
        }
    }

    /** A 32-byte transaction id. */
    public static final class TxIdKey implements BytesMarshallable {
        final byte[] bytes = new byte[32];

        @Override
        public void readMarshallable(final BytesIn<?> in) {
            in.read(bytes, 0, 32);
        }

        @Override
        public void writeMarshallable(final BytesOut<?> out) {
            out.write(bytes, 0, 32);
        }
    }

    /** An asset id. */
    public static final class AssetKey implements BytesMarshallable {
        int assetId;

        @Override
        public void readMarshallable(final BytesIn<?> in) {
            assetId = in.readInt();
        }

        @Override
        public void writeMarshallable(final BytesOut<?> out) {
            out.writeInt(assetId);
        }
    }

    /**
     * An asset: its issuer (zero for genesis assets and assets that arrived from another shard),
     * its supply on this shard (balances plus escrows) and the part of it in swap escrows.
     */
    public static final class AssetValue implements BytesMarshallable {
        final byte[] issuer = new byte[ACCOUNT_BYTES];
        long supply;
        long escrowed;

        @Override
        public void readMarshallable(final BytesIn<?> in) {
            in.read(issuer, 0, ACCOUNT_BYTES);
            supply = in.readLong();
            escrowed = in.readLong();
        }

        @Override
        public void writeMarshallable(final BytesOut<?> out) {
            out.write(issuer, 0, ACCOUNT_BYTES);
            out.writeLong(supply);
            out.writeLong(escrowed);
        }
    }

    /** A swap record ({@code io.basalt.exec.SwapRecord}'s fixed encoding). */
    public static final class SwapValue implements BytesMarshallable {
        final byte[] bytes = new byte[io.basalt.exec.SwapRecord.BYTES];

        @Override
        public void readMarshallable(final BytesIn<?> in) {
            in.read(bytes, 0, bytes.length);
        }

        @Override
        public void writeMarshallable(final BytesOut<?> out) {
            out.write(bytes, 0, bytes.length);
        }
    }

    /** The applied height, its consensus time and the state digest after it. */
    public static final class MetaValue implements BytesMarshallable {
        long height;
        long consensusTimeMs;
        final byte[] digest = new byte[32];

        @Override
        public void readMarshallable(final BytesIn<?> in) {
            height = in.readLong();
            consensusTimeMs = in.readLong();
            in.read(digest, 0, 32);
        }

        @Override
        public void writeMarshallable(final BytesOut<?> out) {
            out.writeLong(height);
            out.writeLong(consensusTimeMs);
            out.write(digest, 0, 32);
        }
    }
}
