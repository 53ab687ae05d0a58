package io.basalt.perf.load;

import io.basalt.protocol.Layout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.collections.Long2LongHashMap;

/**
 * The ids of one step's transactions (32 bytes each, flat) and a lookup from id to index. Built
 * once, before the step, and only read afterwards (by the validators' threads, through the
 * trackers' listeners); Agrona's map is safe for that once published.
 */
final class TxIndex {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] ids;
    private final Long2LongHashMap indexByIdPrefix;

    TxIndex(final byte[] ids) {
        if (ids.length % Layout.HASH_LENGTH != 0) {
            throw new IllegalArgumentException("ids must be 32 bytes each");
        }
        final int n = ids.length / Layout.HASH_LENGTH;
        this.ids = ids;
        this.indexByIdPrefix = new Long2LongHashMap(Math.max(16, n * 2), 0.65f, -1);
        for (int i = 0; i < n; i++) {
            if (indexByIdPrefix.put((long) LONG_LE.get(ids, i * Layout.HASH_LENGTH), i) != -1) {
                // 64-bit prefixes of SHA-256 ids colliding within one step: about 10⁻⁹ at 200,000 transactions.
                throw new IllegalStateException("two transaction ids share their first 8 bytes; run again");
            }
        }
    }

    /** The index of the transaction with this id, or -1 when it is not one of this step's. */
    int indexOf(final byte[] txId) {
        if (txId == null || txId.length != Layout.HASH_LENGTH) {
            return -1;
        }
        final long index = indexByIdPrefix.get((long) LONG_LE.get(txId, 0));
        if (index < 0 || !Arrays.equals(ids, (int) index * Layout.HASH_LENGTH, (int) index * Layout.HASH_LENGTH
            + Layout.HASH_LENGTH, txId, 0, Layout.HASH_LENGTH)) {
            return -1;
        }
        return (int) index;
    }

    byte[] id(final int index) {
        return Arrays.copyOfRange(ids, index * Layout.HASH_LENGTH, (index + 1) * Layout.HASH_LENGTH);
    }
}
