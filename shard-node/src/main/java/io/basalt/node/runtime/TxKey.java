package io.basalt.node.runtime;

import java.util.Arrays;

/** A 32-byte transaction id as a map key. Ids are SHA-256 outputs, so their first bytes hash well. */
final class TxKey {
    private final byte[] id;
    private final int hash;

    TxKey(final byte[] id) {
        assert id.length == 32;
        this.id = id;
        this.hash = (id[0] & 0xFF) | (id[1] & 0xFF) << 8 | (id[2] & 0xFF) << 16 | (id[3] & 0xFF) << 24;
    }

    static TxKey copyOf(final byte[] buffer, final int offset) {
        return new TxKey(Arrays.copyOfRange(buffer, offset, offset + 32));
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof TxKey other && other.hash == hash && Arrays.equals(other.id, id);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
