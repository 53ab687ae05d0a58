package io.basalt.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CoreStorage.CommitRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockStoreTest {
    @TempDir
    Path dir;

    private final BlockCodec codec = new BlockCodec((digest, signature) -> { });

    private Block block(final int author, final long round) {
        return codec.build(0, author, round, 1000 + round,
            new BlockRef[] {new BlockRef(author, round - 1, new byte[32])}, new byte[0][]);
    }

    private static CommitRecord commit(final long height, final Block leader) {
        return new CommitRecord(height, leader.ref(), leader.round() * 2, 5_000 + height);
    }

    @Test
    void roundTripAndRestart() {
        final Block own1 = block(0, 1);
        final Block peer1 = block(1, 1);
        final Block own2 = block(0, 2);
        try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
            assertNull(store.lastOwnBlock());
            assertNull(store.lastCommit());
            store.persistOwnBlock(own1);
            store.storeBlock(peer1);
            store.storeBlock(peer1);
            store.persistOwnBlock(own2);
            store.storeCommit(commit(1, own1));
            assertEquals(3, store.blockCount());
        }
        try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
            assertEquals(own2.ref(), store.lastOwnBlock().ref());
            assertArrayEquals(own2.encoded(), store.lastOwnBlock().encoded());
            assertEquals(commit(1, own1), store.lastCommit());
            assertEquals(List.of(commit(1, own1)), store.commitsFrom(0));
            assertEquals(peer1.ref(), store.block(peer1.ref()).ref());
            assertEquals(List.of(own1.ref(), peer1.ref()),
                store.blocksInRounds(1, 1, 10).stream().map(Block::ref).sorted().toList());
            assertEquals(2, store.blocksInRounds(1, 2, 2).size());
            assertEquals(0, store.droppedTailBytes());
        }
    }

    /** Only the last HOT_ROUNDS rounds stay decoded in memory; older retained blocks come back from disk. */
    @Test
    void blocksOlderThanTheHotWindowAreReadBackFromDisk() {
        final long rounds = FileBlockStore.HOT_ROUNDS + 40;
        final java.util.List<Block> written = new java.util.ArrayList<>();
        try (FileBlockStore store = FileBlockStore.open(dir, 10_000, 4096)) {
            for (long round = 1; round <= rounds; round++) {
                final Block block = block(1, round);
                written.add(block);
                store.storeBlock(block);
            }
            assertTrue(store.segmentCount() > 1, "the test must span closed segments too");
            assertEquals(FileBlockStore.HOT_ROUNDS, store.hotBlockCount(), "decoded blocks in memory are bounded");
            for (final Block expected : written) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected.encoded(), store.block(expected.ref()).encoded());
            }
            assertEquals(10, store.blocksInRounds(1, 10, 100).size());
        }
        try (FileBlockStore store = FileBlockStore.open(dir, 10_000, 4096)) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(written.get(0).encoded(), store.block(written.get(0).ref()).encoded());
            assertEquals(written.get(5).ref(), store.blocksInRounds(6, 6, 10).get(0).ref());
        }
    }

    @Test
    void refusesASecondOwnBlockForARoundAcrossRestarts() {
        try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
            store.persistOwnBlock(block(0, 5));
            assertThrows(IllegalStateException.class, () -> store.persistOwnBlock(block(0, 5)));
            assertThrows(IllegalStateException.class, () -> store.persistOwnBlock(block(0, 4)));
        }
        try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
            assertThrows(IllegalStateException.class, () -> store.persistOwnBlock(block(0, 5)));
            store.persistOwnBlock(block(0, 6));
        }
    }

    @Test
    void tornTailIsCutAtEveryOffset() throws IOException {
        final Block own1 = block(0, 1);
        try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
            store.persistOwnBlock(own1);
            store.storeCommit(commit(1, own1));
        }
        final Path segment = onlySegment();
        final long complete = Files.size(segment);
        try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
            store.persistOwnBlock(block(0, 2));
        }
        final byte[] full = Files.readAllBytes(segment);
        for (long cut = complete; cut < full.length; cut++) {
            Files.write(segment, java.util.Arrays.copyOf(full, (int) cut));
            try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
                assertEquals(own1.ref(), store.lastOwnBlock().ref(), "cut at " + cut);
                assertEquals(cut - complete, store.droppedTailBytes());
                assertEquals(1, store.lastCommit().height());
            }
            assertEquals(complete, Files.size(segment));
        }
        // A flipped byte in the last record is a checksum failure: cut as well.
        final byte[] flipped = full.clone();
        flipped[flipped.length - 3] ^= 1;
        Files.write(segment, flipped);
        try (FileBlockStore store = FileBlockStore.open(dir, 100)) {
            assertEquals(own1.ref(), store.lastOwnBlock().ref());
        }
    }

    @Test
    void pruningDropsOldRoundsAndWholeSegmentsButKeepsLastOwnBlockAndCommit() throws IOException {
        final long retention = 10;
        Block lastOwn = null;
        try (FileBlockStore store = FileBlockStore.open(dir, retention, 4096)) {
            lastOwn = block(0, 1);
            store.persistOwnBlock(lastOwn);
            for (long round = 1; round <= 200; round++) {
                for (int author = 1; author < 4; author++) {
                    store.storeBlock(block(author, round));
                }
                if (round % 2 == 0) {
                    store.storeCommit(commit(round / 2, block(1, round)));
                }
            }
            assertTrue(store.blocksInRounds(0, 189, 1000).isEmpty());
            assertEquals(3 * 11, store.blocksInRounds(190, 200, 1000).size());
            assertTrue(store.commitCount() <= 6);
            assertTrue(store.segmentCount() < 10, "old segments deleted: " + store.segmentCount());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.count() < 10);
        }
        try (FileBlockStore store = FileBlockStore.open(dir, retention, 4096)) {
            assertEquals(lastOwn.ref(), store.lastOwnBlock().ref(), "the last own block survives pruning");
            assertEquals(100, store.lastCommit().height());
            assertTrue(store.blocksInRounds(0, 189, 1000).isEmpty());
            assertEquals(3 * 11, store.blocksInRounds(190, 200, 1000).size());
            assertThrows(IllegalStateException.class, () -> store.persistOwnBlock(block(0, 1)));
        }
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> segments = files.filter(p -> p.toString().endsWith(".seg")).toList();
            assertEquals(1, segments.size());
            return segments.getFirst();
        }
    }
}
