package io.basalt.node.exec;

import io.basalt.protocol.ExecResult;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.basalt.dag.CommittedSubDag;
import io.basalt.node.store.CommitLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 at any moment: a torn log tail, or a record that reached the log but not the maps. */
class LedgerRecoveryTest {
    private static final int HEIGHTS = 6;

    @TempDir
    Path tmp;

    private final LedgerFixture fx = new LedgerFixture(3, 4, 10_000);

    private List<CommittedSubDag> history() {
        final List<CommittedSubDag> subDags = new ArrayList<>();
        long now = LedgerFixture.T0 + 1_000;
        for (int h = 1; h <= HEIGHTS; h++) {
            now += 100;
            subDags.add(fx.subDag(h, now,
                fx.transfer(fx.local[h % 4], fx.local[(h + 1) % 4], 0, 10 * h, now + 20_000),
                fx.createAsset(fx.local[h % 4], 100 + h, 1_000, now + 20_000)));
        }
        return subDags;
    }

    private record Snapshot(long height, byte[] digest, long balance0, long supply0) {
    }

    private Snapshot snapshot(final ChronicleLedger ledger) {
        return new Snapshot(ledger.appliedHeight(), ledger.stateDigest(), ledger.balance(fx.local[1], 0), ledger.supply(0));
    }

    private static void assertSame(final Snapshot expected, final Snapshot actual) {
        assertEquals(expected.height, actual.height);
        assertArrayEquals(expected.digest, actual.digest);
        assertEquals(expected.balance0, actual.balance0);
        assertEquals(expected.supply0, actual.supply0);
    }

    @Test
    void tornTailAtEveryOffsetRecoversTheLastCompleteHeight() throws IOException {
        final List<CommittedSubDag> subDags = history();
        final Path before = tmp.resolve("before");
        final Path full = tmp.resolve("full");
        final Snapshot atBefore;
        final Snapshot atFull;
        try (ChronicleLedger ledger = ChronicleLedger.open(before, fx.genesis, 0, 4096)) {
            subDags.subList(0, HEIGHTS - 1).forEach(s -> ledger.apply(s, null));
            atBefore = snapshot(ledger);
        }
        copy(before, full);
        try (ChronicleLedger ledger = ChronicleLedger.open(full, fx.genesis, 0, 4096)) {
            ledger.apply(subDags.getLast(), null);
            atFull = snapshot(ledger);
        }
        final byte[] shortLog = Files.readAllBytes(before.resolve(CommitLog.FILE_NAME));
        final byte[] fullLog = Files.readAllBytes(full.resolve(CommitLog.FILE_NAME));
        final int recordBytes = fullLog.length - shortLog.length;
        // Every cut inside the last record, and the complete record.
        for (int cut = 0; cut <= recordBytes; cut++) {
            final Path crashed = tmp.resolve("cut" + cut);
            copy(before, crashed);
            Files.write(crashed.resolve(CommitLog.FILE_NAME), java.util.Arrays.copyOf(fullLog, shortLog.length + cut));
            try (ChronicleLedger ledger = ChronicleLedger.open(crashed, fx.genesis, 0, 4096)) {
                assertSame(cut == recordBytes ? atFull : atBefore, snapshot(ledger));
            }
            deleteTree(crashed);
        }
    }

    @Test
    void recordInTheLogButNotInTheMapsIsReplayed() throws IOException {
        final List<CommittedSubDag> subDags = history();
        final Path reference = tmp.resolve("reference");
        final Snapshot expected;
        try (ChronicleLedger ledger = ChronicleLedger.open(reference, fx.genesis, 0, 4096)) {
            subDags.forEach(s -> ledger.apply(s, null));
            expected = snapshot(ledger);
        }
        // A validator that crashed after appending heights 4..6 to the log but before touching its maps.
        final Path crashed = tmp.resolve("crashed");
        try (ChronicleLedger ledger = ChronicleLedger.open(crashed, fx.genesis, 0, 4096)) {
            subDags.subList(0, 3).forEach(s -> ledger.apply(s, null));
        }
        Files.copy(reference.resolve(CommitLog.FILE_NAME), crashed.resolve(CommitLog.FILE_NAME),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (ChronicleLedger ledger = ChronicleLedger.open(crashed, fx.genesis, 0, 4096)) {
            assertSame(expected, snapshot(ledger));
            // and it goes on like the others: the next height is a duplicate of height 1's transfer
            ledger.apply(fx.subDag(HEIGHTS + 1, LedgerFixture.T0 + 5_000, subDags.getFirst().blocks().getFirst().transaction(0)), null);
            assertEquals(ExecResult.SUCCESS, ledger.executed(id(subDags.getFirst().blocks().getFirst().transaction(0))).result());
            assertEquals(HEIGHTS + 1, ledger.appliedHeight());
        }
        // Applying a height twice (the core re-emitting after restart) is a no-op.
        try (ChronicleLedger ledger = ChronicleLedger.open(crashed, fx.genesis, 0, 4096)) {
            final byte[] digest = ledger.stateDigest();
            ledger.apply(subDags.getLast(), null);
            assertArrayEquals(digest, ledger.stateDigest());
        }
    }

    private static byte[] id(final byte[] tx) {
        final byte[] id = new byte[32];
        new io.basalt.crypto.Sha256().digest(tx, 0, tx.length - 4 - 64, id, 0);
        return id;
    }

    static void copy(final Path from, final Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (final Path f : files.toList()) {
                Files.write(to.resolve(f.getFileName()), Files.readAllBytes(f), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            }
        }
    }

    static void deleteTree(final Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
