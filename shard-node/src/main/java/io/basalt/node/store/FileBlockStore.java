package io.basalt.node.store;

import io.basalt.dag.Block;
import io.basalt.dag.BlockCodec;
import io.basalt.dag.BlockRef;
import io.basalt.dag.CommitWindow;
import io.basalt.dag.CoreStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The consensus core's disk: append-only, checksummed segment files holding own blocks, peers'
 * blocks and commit records, with an in-memory index (by ref and by round) of the retention window.
 * Semantics mirror the simulator's {@code SimStorage}.
 *
 * <pre>
 *   segment file blocks-&lt;seq, 20 digits&gt;.seg:  record record ... [torn tail]
 *
 *   0        4        8      9
 *   +--------+--------+------+----------------------------------------------+
 *   | length | crc32c | type | payload (length - 1 bytes)                   |
 *   |  u32   |  u32   |  u8  |                                              |
 *   +--------+--------+------+----------------------------------------------+
 *   type 1 OWN_BLOCK, 2 PEER_BLOCK: payload = the block's encoded() bytes
 *   type 3 COMMIT: height u64 | leader author u32 | leader round u64 | leader digest 32 |
 *                  decidedSlot u64 | consensusTimeMs u64                      (68 bytes)
 *   crc32c covers type and payload. All integers little-endian.
 * </pre>
 *
 * <p>Durability: {@link #persistOwnBlock} forces the segment before it returns (the core sends an
 * own block only afterwards, so a validator never signs two blocks of one round, even across a
 * crash). {@link #storeBlock} and {@link #storeCommit} do not: a peer's block can be fetched
 * again, and a commit record is a deterministic function of the DAG, so a record lost in a crash
 * is decided again, identically, when the core recovers (execution forces its own commit log
 * before it applies a height, and skips heights it already applied). Every later force covers
 * them too. One fsync per round on the consensus thread instead of two. A segment is forced
 * before the next one starts, so only the last segment can end in a torn record, which
 * {@link #open} cuts off; a bad record anywhere else is corruption and stops the node.
 *
 * <p>Pruning: on each commit, blocks below {@code leaderRound - retentionRounds} leave the index,
 * and whole segments whose blocks all lie below that are deleted. Each new segment starts with
 * copies of the last own block and the last commit, so deleting old segments never loses them.
 *
 * <p>Not thread-safe: the consensus agent owns it.
 */
public final class FileBlockStore implements CoreStorage, AutoCloseable {
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    static final byte OWN_BLOCK = 1;
    static final byte PEER_BLOCK = 2;
    static final byte COMMIT = 3;
    private static final int HEADER_BYTES = 8;
    private static final int COMMIT_PAYLOAD_BYTES = 8 + 4 + 8 + 32 + 8 + 8;
    private static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;
    private static final int PENDING_INITIAL_BYTES = 256 * 1024;
    /** Unforced records are written out once this many bytes wait, forced or not. */
    private static final int PENDING_WRITE_BYTES = 4 * 1024 * 1024;
    private static final String PREFIX = "blocks-";
    private static final String SUFFIX = ".seg";

    /**
     * Rounds of decoded blocks kept in memory: the consensus window (GC depth and rounds ahead) with
     * room to spare. Retention is far longer (peers catching up read it), but under load a block is
     * ~180 KB, so holding the whole retention in memory would not fit four validators in one heap.
     */
    static final long HOT_ROUNDS = 256;

    /** A block's bytes on disk: segment, offset of the encoded block, length. */
    private record Location(long segment, long offset, int length) {
    }

    private final Path dir;
    private final long retentionRounds;
    private final long segmentBytes;
    private final BlockCodec codec = new BlockCodec(null);
    private final CRC32C crc = new CRC32C();
    /** Where every retained block is on disk; a few dozen bytes each, whatever the block's size. */
    private final TreeMap<Long, List<BlockRef>> blocksByRound = new TreeMap<>();
    private final Map<BlockRef, Location> byRef = new HashMap<>();
    /** Decoded blocks of the last {@link #HOT_ROUNDS} rounds; older ones are read back from disk. */
    private final TreeMap<Long, List<Block>> hotByRound = new TreeMap<>();
    private final Map<BlockRef, Block> hot = new HashMap<>();
    private long highestIndexedRound = -1;
    private final CommitWindow commits = new CommitWindow();
    /** Closed segments: sequence number to the highest round (of a block or a commit's leader) they hold. */
    private final TreeMap<Long, Long> closedSegmentMaxRound = new TreeMap<>();
    private ByteBuffer writeBuffer = ByteBuffer.allocate(1024 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private FileChannel active;
    private long activeSeq;
    /** The active segment's length including records still in {@link #pending}. */
    private long activeSize;
    /** How much of the active segment is written to the file (the rest is in {@link #pending}). */
    private long writtenSize;
    /**
     * Records appended since the last write: peers' blocks and commits wait here and go to the
     * file in one write with the next forced own block (or a read that needs them, or a roll).
     */
    private ByteBuffer pending = ByteBuffer.allocate(PENDING_INITIAL_BYTES);
    private long activeMaxRound = -1;
    private Block lastOwnBlock;
    private long droppedTailBytes;

    private FileBlockStore(final Path dir, final long retentionRounds, final long segmentBytes) {
        this.dir = dir;
        this.retentionRounds = retentionRounds;
        this.segmentBytes = segmentBytes;
    }

    public static FileBlockStore open(final Path dir, final long retentionRounds) {
        return open(dir, retentionRounds, DEFAULT_SEGMENT_BYTES);
    }

    /** As {@link #open(Path, long)} with a chosen segment size (small in tests to exercise pruning). */
    public static FileBlockStore open(final Path dir, final long retentionRounds, final long segmentBytes) {
        if (retentionRounds < 1 || segmentBytes < 4096) {
            throw new IllegalArgumentException("retentionRounds must be >= 1 and segmentBytes >= 4096");
        }
        final FileBlockStore store = new FileBlockStore(dir, retentionRounds, segmentBytes);
        try {
            Files.createDirectories(dir);
            store.recover();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open block store in " + dir, e);
        }
        return store;
    }

    // ---------------------------------------------------------------- CoreStorage

    @Override
    public void persistOwnBlock(final Block block) {
        if (lastOwnBlock != null && block.round() <= lastOwnBlock.round()) {
            throw new IllegalStateException("refusing to persist a second own block for round " + block.round()
                + " (last own round " + lastOwnBlock.round() + "): that would be an equivocation");
        }
        final Location location = append(OWN_BLOCK, block, null);
        force();
        lastOwnBlock = block;
        index(block, location);
    }

    @Override
    public void storeBlock(final Block block) {
        if (byRef.containsKey(block.ref())) {
            return;
        }
        index(block, append(PEER_BLOCK, block, null));
    }

    @Override
    public void storeCommit(final CommitRecord record) {
        append(COMMIT, null, record); // not forced: see the class comment on durability
        commits.add(record);
        activeMaxRound = Math.max(activeMaxRound, record.leader().round());
        prune(record.leader().round() - retentionRounds);
    }

    @Override
    public Block lastOwnBlock() {
        return lastOwnBlock;
    }

    @Override
    public CommitRecord lastCommit() {
        return commits.last();
    }

    @Override
    public List<CommitRecord> commitsFrom(final long fromLeaderRound) {
        return commits.from(fromLeaderRound);
    }

    @Override
    public List<Block> blocksInRounds(final long fromRound, final long toRound, final int max) {
        final List<Block> blocks = new ArrayList<>();
        if (fromRound > toRound) {
            return blocks;
        }
        for (final List<BlockRef> round : blocksByRound.subMap(fromRound, true, toRound, true).values()) {
            for (final BlockRef ref : round) {
                if (blocks.size() == max) {
                    return blocks;
                }
                blocks.add(block(ref));
            }
        }
        return blocks;
    }

    @Override
    public Block block(final BlockRef ref) {
        final Block cached = hot.get(ref);
        if (cached != null) {
            return cached;
        }
        final Location location = byRef.get(ref);
        return location == null ? null : readBlock(location);
    }

    /** Reads a block back from its segment; only peers catching up and recovery go this far back. */
    private Block readBlock(final Location location) {
        final ByteBuffer bytes = ByteBuffer.allocate(location.length());
        try {
            if (location.segment() == activeSeq) {
                if (location.offset() + location.length() > writtenSize) {
                    writePending();
                }
                readFully(active, bytes, location.offset());
            } else {
                try (FileChannel channel = FileChannel.open(segmentPath(location.segment()), StandardOpenOption.READ)) {
                    readFully(channel, bytes, location.offset());
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read a block back from segment " + location.segment(), e);
        }
        final Block block = codec.decode(bytes.array());
        if (block == null) {
            throw new IllegalStateException("stored block in segment " + location.segment() + " at " + location.offset()
                + " no longer decodes: " + codec.lastError());
        }
        return block;
    }

    // ---------------------------------------------------------------- introspection

    public int blockCount() {
        return byRef.size();
    }

    /** Decoded blocks held in memory (the hot window). */
    public int hotBlockCount() {
        return hot.size();
    }

    public int commitCount() {
        return commits.size();
    }

    /** Number of segment files on disk, the active one included. */
    public int segmentCount() {
        return closedSegmentMaxRound.size() + 1;
    }

    /** Bytes of torn tail cut off when the store was opened. */
    public long droppedTailBytes() {
        return droppedTailBytes;
    }

    @Override
    public void close() {
        try {
            writePending();
            active.force(true);
            active.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- index and pruning

    private void index(final Block block, final Location location) {
        if (byRef.putIfAbsent(block.ref(), location) == null) {
            blocksByRound.computeIfAbsent(block.round(), r -> new ArrayList<>(4)).add(block.ref());
            if (block.round() > highestIndexedRound - HOT_ROUNDS) {
                hot.put(block.ref(), block);
                hotByRound.computeIfAbsent(block.round(), r -> new ArrayList<>(4)).add(block);
            }
            if (block.round() > highestIndexedRound) {
                highestIndexedRound = block.round();
                evictBelow(highestIndexedRound - HOT_ROUNDS + 1);
            }
        }
        activeMaxRound = Math.max(activeMaxRound, block.round());
    }

    private void evictBelow(final long round) {
        final Iterator<Map.Entry<Long, List<Block>>> it = hotByRound.headMap(round, false).entrySet().iterator();
        while (it.hasNext()) {
            for (final Block block : it.next().getValue()) {
                hot.remove(block.ref());
            }
            it.remove();
        }
    }

    private void prune(final long keepFrom) {
        commits.dropBelow(keepFrom);
        final Iterator<Map.Entry<Long, List<BlockRef>>> it = blocksByRound.headMap(keepFrom, false).entrySet().iterator();
        while (it.hasNext()) {
            for (final BlockRef ref : it.next().getValue()) {
                byRef.remove(ref);
            }
            it.remove();
        }
        evictBelow(keepFrom);
        final Iterator<Map.Entry<Long, Long>> segments = closedSegmentMaxRound.entrySet().iterator();
        while (segments.hasNext()) {
            final Map.Entry<Long, Long> segment = segments.next();
            if (segment.getValue() >= keepFrom) {
                break; // segments are in write order; keep this one and every later one
            }
            try {
                Files.deleteIfExists(segmentPath(segment.getKey()));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot delete old block segment", e);
            }
            segments.remove();
        }
    }

    // ---------------------------------------------------------------- writing

    private Location append(final byte type, final Block block, final CommitRecord commit) {
        final int payload = block != null ? block.encoded().length : COMMIT_PAYLOAD_BYTES;
        final int recordBytes = HEADER_BYTES + 1 + payload;
        if (activeSize > 0 && activeSize + recordBytes > segmentBytes) {
            roll();
        }
        return writeRecord(type, block, commit);
    }

    /** Appends one record; returns where a block's encoded bytes landed (null for a commit). */
    private Location writeRecord(final byte type, final Block block, final CommitRecord commit) {
        final long recordStart = activeSize;
        final int payload = block != null ? block.encoded().length : COMMIT_PAYLOAD_BYTES;
        final int recordBytes = HEADER_BYTES + 1 + payload;
        if (writeBuffer.capacity() < recordBytes) {
            writeBuffer = ByteBuffer.allocate(Math.max(recordBytes, writeBuffer.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        writeBuffer.clear();
        writeBuffer.position(HEADER_BYTES);
        writeBuffer.put(type);
        if (block != null) {
            writeBuffer.put(block.encoded());
        } else {
            writeBuffer.putLong(commit.height())
                .putInt(commit.leader().author())
                .putLong(commit.leader().round())
                .put(commit.leader().digest())
                .putLong(commit.decidedSlot())
                .putLong(commit.consensusTimeMs());
        }
        crc.reset();
        crc.update(writeBuffer.array(), HEADER_BYTES, 1 + payload);
        writeBuffer.putInt(0, 1 + payload).putInt(4, (int) crc.getValue());
        writeBuffer.flip();
        if (pending.remaining() < recordBytes) {
            if (pending.position() >= PENDING_WRITE_BYTES) {
                writePending();
            }
            if (pending.remaining() < recordBytes) {
                final ByteBuffer grown = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + recordBytes));
                pending.flip();
                grown.put(pending);
                pending = grown;
            }
        }
        pending.put(writeBuffer);
        activeSize += recordBytes;
        return block == null ? null : new Location(activeSeq, recordStart + HEADER_BYTES + 1, payload);
    }

    /** Writes what {@link #pending} holds to the active segment, in one call when the OS allows. */
    private void writePending() {
        pending.flip();
        try {
            while (pending.hasRemaining()) {
                writtenSize += active.write(pending, writtenSize);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write block segment " + activeSeq, e);
        } finally {
            pending.clear();
        }
        assert writtenSize == activeSize : "written " + writtenSize + " of " + activeSize;
    }

    private void force() {
        writePending();
        try {
            active.force(false);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot force block segment " + activeSeq, e);
        }
    }

    /** Closes the active segment (forced) and starts the next with the last own block and commit. */
    private void roll() {
        writePending();
        try {
            active.force(true);
            active.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot close block segment " + activeSeq, e);
        }
        closedSegmentMaxRound.put(activeSeq, activeMaxRound);
        openSegment(activeSeq + 1);
        if (lastOwnBlock != null) {
            writeRecord(OWN_BLOCK, lastOwnBlock, null);
            activeMaxRound = Math.max(activeMaxRound, lastOwnBlock.round());
        }
        if (commits.last() != null) {
            writeRecord(COMMIT, null, commits.last());
            activeMaxRound = Math.max(activeMaxRound, commits.last().leader().round());
        }
        force();
    }

    private void openSegment(final long seq) {
        try {
            activeSeq = seq;
            active = FileChannel.open(segmentPath(seq), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            activeSize = active.size();
            writtenSize = activeSize;
            activeMaxRound = -1;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open block segment " + seq, e);
        }
    }

    private Path segmentPath(final long seq) {
        return dir.resolve(PREFIX + String.format("%020d", seq) + SUFFIX);
    }

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        final List<Long> seqs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
                .forEach(n -> seqs.add(Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()))));
        }
        seqs.sort(null);
        for (int i = 0; i < seqs.size(); i++) {
            final boolean last = i == seqs.size() - 1;
            final long maxRound = readSegment(seqs.get(i), last);
            if (!last) {
                closedSegmentMaxRound.put(seqs.get(i), maxRound);
            } else {
                openSegment(seqs.get(i));
                activeMaxRound = maxRound;
            }
        }
        if (seqs.isEmpty()) {
            openSegment(0);
        }
        final CommitRecord lastCommit = commits.last();
        if (lastCommit != null) {
            prune(lastCommit.leader().round() - retentionRounds);
        }
    }

    /** Reads one segment into the index; returns its highest block round. */
    private long readSegment(final long seq, final boolean last) throws IOException {
        final Path path = segmentPath(seq);
        long maxRound = -1;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            final ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            long offset = 0;
            while (true) {
                if (size - offset < HEADER_BYTES) {
                    break;
                }
                head.clear();
                readFully(channel, head, offset);
                final long length = Integer.toUnsignedLong(head.getInt(0));
                if (length < 1 || length > MAX_RECORD_BYTES || length > size - offset - HEADER_BYTES) {
                    break;
                }
                final ByteBuffer body = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
                readFully(channel, body, offset + HEADER_BYTES);
                crc.reset();
                crc.update(body.array(), 0, (int) length);
                if ((int) crc.getValue() != head.getInt(4)) {
                    break;
                }
                final long round = readRecord(body.flip(), seq, path, offset);
                maxRound = Math.max(maxRound, round);
                offset += HEADER_BYTES + length;
            }
            if (offset < size) {
                if (!last) {
                    throw new IllegalStateException("block segment " + path + " is corrupt at offset " + offset
                        + " but is not the last segment");
                }
                droppedTailBytes = size - offset;
                channel.truncate(offset);
                channel.force(true);
            }
        }
        return maxRound;
    }

    /** Applies one record to the index; returns the block's round or the commit's leader round. */
    private long readRecord(final ByteBuffer body, final long seq, final Path path, final long offset) {
        final byte type = body.get();
        switch (type) {
            case OWN_BLOCK, PEER_BLOCK -> {
                final byte[] bytes = new byte[body.remaining()];
                body.get(bytes);
                final Block block = codec.decode(bytes);
                if (block == null) {
                    throw new IllegalStateException("block record at " + path + ":" + offset + " does not decode: "
                        + codec.lastError());
                }
                if (type == OWN_BLOCK && (lastOwnBlock == null || block.round() > lastOwnBlock.round())) {
                    lastOwnBlock = block;
                }
                index(block, new Location(seq, offset + HEADER_BYTES + 1, bytes.length));
                return block.round();
            }
            case COMMIT -> {
                final long height = body.getLong();
                final int author = body.getInt();
                final long round = body.getLong();
                final byte[] digest = new byte[BlockRef.DIGEST_LENGTH];
                body.get(digest);
                final CommitRecord record = new CommitRecord(height, new BlockRef(author, round, digest),
                    body.getLong(), body.getLong());
                commits.add(record); // a record repeated at a segment's start is ignored
                return round;
            }
            default -> throw new IllegalStateException("unknown record type " + type + " at " + path + ":" + offset);
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer dst, final long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            final int n = channel.read(dst, at);
            if (n < 0) {
                throw new IOException("unexpected end of segment");
            }
            at += n;
        }
    }
}
