package io.basalt.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitLogTest {
    @TempDir
    Path dir;

    private static UnsafeBuffer record(final long height, final int extra) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8 + extra]);
        b.putLong(0, height, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < extra; i++) {
            b.putByte(8 + i, (byte) (height + i));
        }
        return b;
    }

    @Test
    void appendsReadsBackAndCutsATornTail() throws IOException {
        try (CommitLog log = CommitLog.open(dir)) {
            for (long h = 1; h <= 5; h++) {
                log.append(record(h, 20), 28);
            }
            assertThrows(IllegalStateException.class, () -> log.append(record(7, 1), 9));
        }
        final Path file = dir.resolve(CommitLog.FILE_NAME);
        final byte[] full = Files.readAllBytes(file);
        for (int cut = 1; cut < 36; cut++) {
            Files.write(file, java.util.Arrays.copyOf(full, full.length - cut));
            try (CommitLog log = CommitLog.open(dir)) {
                assertEquals(4, log.lastHeight());
                final List<Long> heights = new ArrayList<>();
                log.forEachAbove(2, (body, length) -> heights.add(body.getLong(0, ByteOrder.LITTLE_ENDIAN)));
                assertEquals(List.of(3L, 4L), heights);
                log.append(record(5, 20), 28);
                assertEquals(full.length, Files.size(file));
            }
        }
        full[full.length - 1] ^= 0x40;
        Files.write(file, full);
        try (CommitLog log = CommitLog.open(dir)) {
            assertEquals(4, log.lastHeight());
            assertEquals(36, log.droppedTailBytes());
        }
    }
}
