package io.basalt.exec;

import java.util.Arrays;
import java.util.HexFormat;

/** A byte-array key compared by content (ids, balance keys) for hash maps. The array must not change. */
public record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(final Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
