package io.basalt.node.exec;

import io.basalt.crypto.Ed25519;
import io.basalt.crypto.SignatureCheck;
import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import io.basalt.exec.ByteKey;
import io.basalt.exec.EffectsCodec;
import io.basalt.exec.ExecConfig;
import io.basalt.exec.GenesisState;
import io.basalt.exec.HeightEffects;
import io.basalt.exec.HeightExecutor;
import io.basalt.exec.StateView;
import io.basalt.exec.SupplyBook;
import io.basalt.exec.SwapRecord;
import io.basalt.exec.TxView;
import io.basalt.node.config.Genesis;
import io.basalt.node.store.CommitLog;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import io.basalt.xshard.SignatureVerifier;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The shard's state in persisted Chronicle Maps, made crash-safe by a write-ahead {@link CommitLog}.
 * The transaction rules are not here: {@link HeightExecutor} (module {@code execution}) decides
 * every height's {@link HeightEffects} over this store's {@link StateView}; this class makes them
 * durable and visible.
 *
 * <h2>Durability</h2>
 * Each height's effects are encoded as one commit-log record ({@link EffectsCodec} draws the
 * layout), appended and forced, and only then written to the maps; the meta map's applied height
 * is written last. On open, records above that height are re-applied. After-images are absolute
 * values, so re-applying a record that partly reached the maps is harmless: a {@code kill -9} at
 * any moment ends in the state of a validator that never stopped. Two writes are outside the
 * digest and the record on purpose: replay entries whose expiry passed are deleted (an expired
 * entry is treated as absent anyway), and outbound batches the destination acknowledged are
 * pruned (a re-sent batch is a no-op there).
 *
 * <h2>Supply invariant</h2>
 * Always on ({@link SupplyBook}; an {@link IllegalStateException} stops the node): per asset, the
 * balances plus the escrows equal the shard's supply. On open a full scan recomputes the sums, so
 * a balance corrupted on disk stops the node there.
 *
 * <h2>Maps</h2>
 * <pre>
 *   balances  (account 32 | asset u32) → u64        assets   asset u32 → (issuer, supply, escrowed)
 *   replay    txId 32 → expiryMs                    swaps    swapId 32 → SwapRecord
 *   streams   (kind u2 | shard u16) → next seq in / out, or the acknowledged watermark out
 *   outbox    (dest u16 | seq u48) → batch prefix
 *   meta      0 → (height, consensusTimeMs, digest)
 * </pre>
 */
public final class ChronicleLedger implements Ledger {
    static {
        // Before any Chronicle class loads: never phone home, never print the banner.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    /** Results kept in memory for {@link #executed}; older ones are forgotten. */
    public static final int MAX_RECENT_RESULTS = 1 << 20;
    /** The on-disk format of the state folder; a folder without this marker is from an older Basalt. */
    static final String FORMAT = "basalt-state-2";
    private static final int REPLAY_BUCKETS = 128;
    private static final Integer META_KEY = 0;
    private static final int AVERAGE_BATCH_BYTES = 4096;

    private final Path dir;
    private final ExecConfig config;
    private final Genesis genesis;
    private final CommitLog log;
    private final ChronicleMap<StateEntries.BalanceKey, StateEntries.LongValue> balanceMap;
    private final ChronicleMap<StateEntries.AssetKey, StateEntries.AssetValue> assetMap;
    private final ChronicleMap<StateEntries.TxIdKey, StateEntries.LongValue> replayMap;
    private final ChronicleMap<StateEntries.TxIdKey, StateEntries.SwapValue> swapMap;
    private final ChronicleMap<Integer, Long> streamMap;
    private final ChronicleMap<Long, byte[]> outboxMap;
    private final ChronicleMap<Integer, StateEntries.MetaValue> metaMap;
    private final ThreadLocal<Reader> readers;
    private final StateView view = new View();

    // ---- execution-thread state
    private final HeightExecutor executor;
    private final SupplyBook supply;
    private final UnsafeBuffer blockView = new UnsafeBuffer(new byte[0]);
    private final ReplayBucket[] replayBuckets = new ReplayBucket[REPLAY_BUCKETS];
    private long prunedThroughSecond = Long.MIN_VALUE;
    private final ConcurrentHashMap<ByteKey, TxRecord> recent = new ConcurrentHashMap<>();
    private final ArrayDeque<ByteKey> recentOrder = new ArrayDeque<>();
    private final ConcurrentHashMap<ByteKey, TxRecord> settledRecent = new ConcurrentHashMap<>();
    /** Transfers sent to other shards: the (dest, seq) of the batch that carried each ({@link #outboxKey}). */
    private final ConcurrentHashMap<ByteKey, Long> sentIn = new ConcurrentHashMap<>();
    private final ArrayDeque<ByteKey> sentOrder = new ArrayDeque<>();
    private final ArrayDeque<ByteKey> settledOrder = new ArrayDeque<>();
    private final StateEntries.MetaValue metaValue = new StateEntries.MetaValue();
    private final Reader exec;

    // ---- published to readers
    private volatile long appliedHeight;
    private volatile long consensusTimeMs;
    private volatile byte[] stateDigest;
    private boolean closed;

    private ChronicleLedger(final Path dir, final Genesis genesis, final int shardId, final long expectedEntries,
                            final SignatureVerifier verifier) throws IOException {
        if (shardId < 0 || shardId >= genesis.shardCount()) {
            throw new IllegalArgumentException("shard " + shardId + " is not in genesis");
        }
        this.dir = dir;
        this.genesis = genesis;
        this.config = genesis.execConfig(shardId);
        checkFormat(dir);
        final long entries = Math.max(1024, expectedEntries);
        balanceMap = openMap(ChronicleMapBuilder.of(StateEntries.BalanceKey.class, StateEntries.LongValue.class)
            .name("balances").constantKeySizeBySample(new StateEntries.BalanceKey())
            .constantValueSizeBySample(new StateEntries.LongValue()).entries(entries), "balances.cm");
        assetMap = openMap(ChronicleMapBuilder.of(StateEntries.AssetKey.class, StateEntries.AssetValue.class)
            .name("assets").constantKeySizeBySample(new StateEntries.AssetKey())
            .constantValueSizeBySample(new StateEntries.AssetValue()).entries(Math.max(1024, entries / 64)), "assets.cm");
        replayMap = openMap(ChronicleMapBuilder.of(StateEntries.TxIdKey.class, StateEntries.LongValue.class)
            .name("replay").constantKeySizeBySample(new StateEntries.TxIdKey())
            .constantValueSizeBySample(new StateEntries.LongValue()).entries(entries), "replay.cm");
        swapMap = openMap(ChronicleMapBuilder.of(StateEntries.TxIdKey.class, StateEntries.SwapValue.class)
            .name("swaps").constantKeySizeBySample(new StateEntries.TxIdKey())
            .constantValueSizeBySample(new StateEntries.SwapValue()).entries(Math.max(1024, entries / 16)), "swaps.cm");
        streamMap = openMap(ChronicleMapBuilder.of(Integer.class, Long.class).name("streams")
            .entries(4 * Math.max(16, genesis.shardCount())), "streams.cm");
        outboxMap = openMap(ChronicleMapBuilder.of(Long.class, byte[].class).name("outbox")
            .averageValueSize(AVERAGE_BATCH_BYTES).entries(Math.max(4096, entries / 16)), "outbox.cm");
        metaMap = openMap(ChronicleMapBuilder.of(Integer.class, StateEntries.MetaValue.class)
            .name("meta").constantValueSizeBySample(new StateEntries.MetaValue()).entries(16), "meta.cm");
        log = CommitLog.open(dir);
        readers = ThreadLocal.withInitial(Reader::new);
        exec = new Reader();
        executor = new HeightExecutor(config, genesis.shardCommittees(), verifier);
        supply = new SupplyBook(shardId);
        for (int i = 0; i < REPLAY_BUCKETS; i++) {
            replayBuckets[i] = new ReplayBucket();
        }
    }

    /**
     * Opens the ledger of {@code shardId} in {@code dir}, creating it from genesis on first open, and
     * recovers from the commit log. Certificates are checked with strict Ed25519.
     */
    public static ChronicleLedger open(final Path dir, final Genesis genesis, final int shardId, final long expectedEntries) {
        final Ed25519 ed25519 = Ed25519.fromSystemProperties();
        return open(dir, genesis, shardId, expectedEntries, (key, message, offset, length, signature, signatureOffset) ->
            ed25519.check(key, 0, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID);
    }

    public static ChronicleLedger open(final Path dir, final Genesis genesis, final int shardId, final long expectedEntries,
                                       final SignatureVerifier verifier) {
        final ChronicleLedger ledger;
        try {
            ledger = new ChronicleLedger(dir, genesis, shardId, expectedEntries, verifier);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot open ledger in " + dir, e);
        }
        try {
            ledger.recover();
        } catch (final RuntimeException e) {
            ledger.close();
            throw e;
        }
        return ledger;
    }

    /** Refuses a state folder written by an older format; marks a new one. */
    private static void checkFormat(final Path dir) throws IOException {
        Files.createDirectories(dir);
        final Path marker = dir.resolve("FORMAT");
        if (Files.exists(marker)) {
            final String format = Files.readString(marker, StandardCharsets.US_ASCII).trim();
            if (!FORMAT.equals(format)) {
                throw new IllegalStateException("state folder " + dir + " has format " + format + ", this Basalt reads "
                    + FORMAT + ": start from a fresh data folder (basalt local --reset)");
            }
        } else if (Files.exists(dir.resolve("meta.cm"))) {
            throw new IllegalStateException("state folder " + dir + " was written by an older Basalt (no FORMAT marker):"
                + " start from a fresh data folder (basalt local --reset)");
        } else {
            Files.writeString(marker, FORMAT + "\n", StandardCharsets.US_ASCII);
        }
    }

    private <K, V> ChronicleMap<K, V> openMap(final ChronicleMapBuilder<K, V> builder, final String name) throws IOException {
        final File file = dir.resolve(name).toFile();
        builder.maxBloatFactor(4.0);
        // The ledger closes its maps itself, after the execution thread stopped; Chronicle's own
        // exit hook would close them under a running apply during a JVM shutdown.
        builder.skipCloseOnExitHook(true);
        // recoverPersistedTo repairs what a process killed inside a map operation left behind
        // (held segment locks, half-written entries); it is the documented way to open after a crash.
        return file.exists() ? builder.recoverPersistedTo(file, true) : builder.createPersistedTo(file);
    }

    // ------------------------------------------------------------------------------- recovery

    private void recover() {
        if (metaMap.getUsing(META_KEY, metaValue) == null) {
            applyGenesis();
        }
        scanSupply();
        rebuildReplayBuckets();
        if (log.lastHeight() > 0 && log.lastHeight() < metaValue.height) {
            throw new IllegalStateException("commit log ends at height " + log.lastHeight()
                + " but the state is at " + metaValue.height + ": the log was lost");
        }
        if (metaValue.height > 0 && log.lastHeight() > metaValue.height && log.firstHeight() > metaValue.height + 1) {
            throw new IllegalStateException("commit log starts at " + log.firstHeight() + ", state is at " + metaValue.height);
        }
        final long stateHeight = metaValue.height;
        log.forEachAbove(0, (body, length) -> {
            final byte[] bytes = new byte[length];
            body.getBytes(0, bytes, 0, length);
            if (EffectsCodec.heightOf(bytes) <= stateHeight) {
                rememberResults(bytes, length); // so that executed() answers across a restart
            } else {
                applyRecord(bytes, length);
            }
        });
        supply.checkAll(appliedHeight);
    }

    private void applyGenesis() {
        final GenesisState.Initial initial = GenesisState.of(config, genesis.execAllocations());
        for (final HeightEffects.BalanceImage b : initial.balances()) {
            exec.balanceKey(b.account(), b.assetId());
            exec.value.value = b.balance();
            balanceMap.put(exec.balanceKey, exec.value);
        }
        for (final HeightEffects.AssetImage a : initial.assets()) {
            putAsset(a);
        }
        metaValue.height = 0;
        metaValue.consensusTimeMs = genesis.genesisTimeMs();
        System.arraycopy(initial.digest(), 0, metaValue.digest, 0, EffectsCodec.DIGEST_BYTES);
        metaMap.put(META_KEY, metaValue);
    }

    private void scanSupply() {
        supply.clear();
        assetMap.forEach((k, v) -> supply.asset(k.assetId, v.supply, v.escrowed));
        balanceMap.forEach((k, v) -> supply.balanceChanged(k.assetId(), 0, v.value));
        appliedHeight = metaValue.height;
        consensusTimeMs = metaValue.consensusTimeMs;
        stateDigest = metaValue.digest.clone();
    }

    private void rebuildReplayBuckets() {
        final long now = metaValue.consensusTimeMs;
        final List<byte[]> expired = new ArrayList<>();
        replayMap.forEach((k, v) -> {
            if (v.value <= now) {
                expired.add(k.bytes.clone());
            } else {
                bucketAdd(k.bytes, v.value);
            }
        });
        for (final byte[] id : expired) {
            System.arraycopy(id, 0, exec.idKey.bytes, 0, 32);
            replayMap.remove(exec.idKey);
        }
        prunedThroughSecond = Math.floorDiv(now, 1000) - 1;
    }

    /** Recomputes every asset's supply from all balances and checks it (a full scan; for operators and tests). */
    public void verifySupplyFully() {
        scanSupply();
        supply.checkAll(appliedHeight);
    }

    // ------------------------------------------------------------------------------- apply

    @Override
    public void apply(final CommittedSubDag subDag, final ExecutionListener listener) {
        if (subDag.height() <= appliedHeight) {
            return; // already applied (a restarted core may hand us a height the log recovered)
        }
        if (subDag.height() != appliedHeight + 1) {
            throw new IllegalStateException("height " + subDag.height() + " after " + appliedHeight);
        }
        final long now = Math.max(subDag.consensusTimeMs(), consensusTimeMs);
        executor.begin(view, subDag.height(), now);
        for (final Block block : subDag.blocks()) {
            blockView.wrap(block.encoded());
            for (int i = 0; i < block.transactionCount(); i++) {
                executor.execute(blockView, block.transactionOffset(i), block.transactionLength(i));
            }
        }
        final HeightEffects effects = executor.finish();
        final byte[] record = EffectsCodec.encode(effects, stateDigest);
        log.append(new UnsafeBuffer(record), record.length);
        applyEffects(effects, EffectsCodec.digestOf(record, record.length), listener);
    }

    /** Recovery: a record of the log, its digest chain checked against the state's, applied. */
    private void applyRecord(final byte[] body, final int length) {
        applyEffects(EffectsCodec.decode(body, length, stateDigest), EffectsCodec.digestOf(body, length), null);
    }

    /**
     * Writes one height's after-images to the maps, checks the supply invariant for what it touched,
     * publishes the new height and tells the listener. The same code serves execution (with the
     * effects it just encoded, not decoded again) and recovery.
     */
    private void applyEffects(final HeightEffects e, final byte[] digest, final ExecutionListener listener) {
        if (e.height != appliedHeight + 1) {
            throw new IllegalStateException("record of height " + e.height + " after " + appliedHeight);
        }
        for (final HeightEffects.BalanceImage b : e.balances) {
            exec.balanceKey(b.account(), b.assetId());
            final long old = balanceMap.getUsing(exec.balanceKey, exec.value) == null ? 0 : exec.value.value;
            if (b.balance() == 0) {
                balanceMap.remove(exec.balanceKey);
            } else {
                exec.value.value = b.balance();
                balanceMap.put(exec.balanceKey, exec.value);
            }
            supply.balanceChanged(b.assetId(), old, b.balance());
        }
        for (final HeightEffects.AssetImage a : e.assets) {
            putAsset(a);
        }
        supply.check(e);
        for (final HeightEffects.ReplayImage r : e.replay) {
            System.arraycopy(r.txId(), 0, exec.idKey.bytes, 0, 32);
            exec.value.value = r.expiryMs();
            replayMap.put(exec.idKey, exec.value);
            bucketAdd(r.txId(), r.expiryMs());
        }
        writeSwapsAndStreams(e);
        pruneReplay(e.consensusTimeMs);
        metaValue.height = e.height;
        metaValue.consensusTimeMs = e.consensusTimeMs;
        System.arraycopy(digest, 0, metaValue.digest, 0, EffectsCodec.DIGEST_BYTES);
        metaMap.put(META_KEY, metaValue);

        stateDigest = metaValue.digest.clone();
        consensusTimeMs = e.consensusTimeMs;
        appliedHeight = e.height;
        remember(e);
        if (listener != null) {
            tell(listener, e);
        }
    }

    private void writeSwapsAndStreams(final HeightEffects e) {
        for (final HeightEffects.SwapImage s : e.swaps) {
            System.arraycopy(s.swapId(), 0, exec.idKey.bytes, 0, 32);
            if (s.record() == null) {
                swapMap.remove(exec.idKey);
            } else {
                System.arraycopy(s.record().encode(), 0, exec.swapValue.bytes, 0, SwapRecord.BYTES);
                swapMap.put(exec.idKey, exec.swapValue);
            }
        }
        for (final HeightEffects.StreamImage s : e.streams) {
            streamMap.put(streamKey(s.inbound(), s.shard()), s.next());
        }
        for (final HeightEffects.OutboundBatch b : e.batches) {
            outboxMap.put(outboxKey(b.destShard(), b.seq()), b.prefix());
        }
    }

    private void putAsset(final HeightEffects.AssetImage a) {
        final StateEntries.AssetKey key = new StateEntries.AssetKey();
        key.assetId = a.assetId();
        final StateEntries.AssetValue value = new StateEntries.AssetValue();
        System.arraycopy(a.issuer(), 0, value.issuer, 0, 32);
        value.supply = a.supply();
        value.escrowed = a.escrowed();
        assetMap.put(key, value);
        supply.asset(a.assetId(), a.supply(), a.escrowed());
    }

    private void tell(final ExecutionListener listener, final HeightEffects e) {
        for (final HeightEffects.Outcome o : e.results) {
            listener.onExecuted(o.txId(), 0, o.result(), e.height, e.consensusTimeMs);
        }
        for (final HeightEffects.Outcome o : e.settled) {
            listener.onSettled(o.txId(), o.result(), e.height, e.consensusTimeMs);
        }
        for (final HeightEffects.OutboundBatch b : e.batches) {
            listener.onBatch(b.destShard(), b.seq(), b.prefix());
        }
        listener.onHeight(e.height, stateDigest, e.consensusTimeMs);
    }

    private void rememberResults(final byte[] body, final int length) {
        final HeightEffects e = EffectsCodec.decodeUnchecked(body, length);
        remember(e);
    }

    private void remember(final HeightEffects e) {
        rememberSent(e);
        for (final HeightEffects.Outcome o : e.results) {
            if (o.result() != ExecResult.DUPLICATE) {
                remember(recent, recentOrder, o.txId(), new TxRecord(o.result(), e.height, e.consensusTimeMs));
            }
        }
        for (final HeightEffects.Outcome o : e.settled) {
            remember(settledRecent, settledOrder, o.txId(), new TxRecord(o.result(), e.height, e.consensusTimeMs));
        }
    }

    /**
     * Notes, for each receipt the height sent out, the batch that carried it, unless it pays out a
     * swap (a swap settles on each shard by its own rule, in execution): the payout is cut at the
     * height that decided the swap, so that height writes the swap's record.
     */
    private void rememberSent(final HeightEffects e) {
        if (e.batches.isEmpty()) {
            return;
        }
        final java.util.Set<ByteKey> swaps = new java.util.HashSet<>();
        e.swaps.forEach(s -> swaps.add(new ByteKey(s.swapId())));
        for (final HeightEffects.OutboundBatch b : e.batches) {
            for (final byte[] id : io.basalt.xshard.BatchCodec.receiptTxIds(b.prefix())) {
                final ByteKey key = new ByteKey(id);
                if (!swaps.contains(key) && sentIn.put(key, outboxKey(b.destShard(), b.seq())) == null) {
                    sentOrder.addLast(key);
                    if (sentOrder.size() > MAX_RECENT_RESULTS) {
                        sentIn.remove(sentOrder.pollFirst());
                    }
                }
            }
        }
    }

    // ---- replay-set expiry: buckets of one second of expiry, a ring longer than the expiry window

    private static final class ReplayBucket {
        long second = Long.MIN_VALUE;
        byte[] ids = new byte[32 * 64];
        int count;
    }

    private void bucketAdd(final byte[] id, final long expiryMs) {
        final long second = Math.floorDiv(expiryMs, 1000);
        final ReplayBucket bucket = replayBuckets[(int) Math.floorMod(second, REPLAY_BUCKETS)];
        if (bucket.second != second) {
            if (bucket.count > 0) {
                throw new IllegalStateException("replay bucket for second " + bucket.second + " not pruned before reuse");
            }
            bucket.second = second;
        }
        if ((bucket.count + 1) * 32 > bucket.ids.length) {
            bucket.ids = Arrays.copyOf(bucket.ids, bucket.ids.length * 2);
        }
        System.arraycopy(id, 0, bucket.ids, bucket.count * 32, 32);
        bucket.count++;
    }

    /** Deletes replay entries of every whole second before {@code now}'s second. */
    private void pruneReplay(final long now) {
        final long through = Math.floorDiv(now, 1000) - 1;
        if (through <= prunedThroughSecond) {
            return;
        }
        final long from = Math.max(prunedThroughSecond + 1, through - REPLAY_BUCKETS + 1);
        for (long second = from; second <= through; second++) {
            final ReplayBucket bucket = replayBuckets[(int) Math.floorMod(second, REPLAY_BUCKETS)];
            if (bucket.second == second) {
                for (int i = 0; i < bucket.count; i++) {
                    System.arraycopy(bucket.ids, i * 32, exec.idKey.bytes, 0, 32);
                    replayMap.remove(exec.idKey);
                }
                bucket.count = 0;
            }
        }
        prunedThroughSecond = through;
    }

    // ---- recent results

    private static void remember(final ConcurrentHashMap<ByteKey, TxRecord> map, final ArrayDeque<ByteKey> order,
                                 final byte[] id, final TxRecord txRecord) {
        final ByteKey key = new ByteKey(id.clone());
        final TxRecord previous = map.get(key);
        if (previous != null && consumedId(previous.result())) {
            return; // keep the result that used the id; later repeats (EXPIRED, DUPLICATE) say nothing new
        }
        if (map.put(key, txRecord) == null) {
            order.addLast(key);
            if (order.size() > MAX_RECENT_RESULTS) {
                map.remove(order.pollFirst());
            }
        }
    }

    /** Whether a result means the transaction was charged (its id entered the replay set). */
    private static boolean consumedId(final ExecResult result) {
        return switch (result) {
            case INSUFFICIENT_FEE, EXPIRED, WRONG_NETWORK, WRONG_SHARD, DUPLICATE, OUT_OF_ORDER, BAD_CERTIFICATE -> false;
            default -> true;
        };
    }

    // ------------------------------------------------------------------------------- reads

    @Override
    public long appliedHeight() {
        return appliedHeight;
    }

    @Override
    public byte[] stateDigest() {
        return stateDigest.clone();
    }

    @Override
    public long consensusTimeMs() {
        return consensusTimeMs;
    }

    @Override
    public Map<Integer, Long> balances(final byte[] account) {
        if (account.length != 32) {
            throw new IllegalArgumentException("account must be 32 bytes");
        }
        final Map<Integer, Long> out = new TreeMap<>();
        final List<Integer> assets = new ArrayList<>();
        assetMap.forEach((k, v) -> assets.add(k.assetId));
        for (final int asset : assets) {
            final long value = view.balance(account, asset);
            if (value != 0) {
                out.put(asset, value);
            }
        }
        return out;
    }

    /** The balance of one (account, asset); thread-safe. */
    public long balance(final byte[] account, final int assetId) {
        return view.balance(account, assetId);
    }

    /** The supply of an asset on this shard (balances plus escrows), or -1 when unknown; thread-safe. */
    public long supply(final int assetId) {
        final long supplied = view.assetSupply(assetId);
        return supplied == StateView.ABSENT ? -1 : supplied;
    }

    /** The state as the execution rules read it; thread-safe. */
    public StateView view() {
        return view;
    }

    @Override
    public RejectCode precheck(final byte[] tx, final int offset, final int length) {
        final Reader r = readers.get();
        r.txBuffer.wrap(tx);
        if (!r.tx.wrap(r.txBuffer, offset, length)) {
            return RejectCode.MALFORMED;
        }
        return precheck(r.tx);
    }

    @Override
    public RejectCode precheck(final TxView tx) {
        return HeightExecutor.precheck(config, tx, view, consensusTimeMs).rejectCode();
    }

    @Override
    public TxRecord executed(final byte[] id) {
        return recent.get(new ByteKey(id));
    }

    @Override
    public TxRecord settled(final byte[] id) {
        return settledRecent.get(new ByteKey(id));
    }

    @Override
    public long inboundNext(final int sourceShard) {
        return view.inboundNext(sourceShard);
    }

    @Override
    public long outboundNext(final int destShard) {
        return view.outboundNext(destShard);
    }

    @Override
    public SortedMap<Long, byte[]> outbox(final int destShard, final long fromSeq, final int max) {
        final SortedMap<Long, byte[]> out = new TreeMap<>();
        final long end = outboundNext(destShard);
        for (long seq = Math.max(1, fromSeq); seq < end && out.size() < max; seq++) {
            final byte[] prefix = outboxMap.get(outboxKey(destShard, seq));
            if (prefix != null) {
                out.put(seq, prefix);
            }
        }
        return out;
    }

    @Override
    public void pruneOutbox(final int destShard, final long throughSeq) {
        final Long acknowledged = streamMap.get(ackKey(destShard));
        if (acknowledged == null || acknowledged < throughSeq) {
            streamMap.put(ackKey(destShard), throughSeq);
        }
        for (long seq = throughSeq; seq >= 1; seq--) {
            if (outboxMap.remove(outboxKey(destShard, seq)) == null) {
                break; // everything below was pruned before
            }
        }
    }

    @Override
    public boolean transferSettled(final byte[] txId) {
        final Long batch = sentIn.get(new ByteKey(txId));
        if (batch == null) {
            return false;
        }
        final Long acknowledged = streamMap.get(ackKey((int) (batch >>> 48)));
        return acknowledged != null && (batch & ((1L << 48) - 1)) <= acknowledged;
    }

    @Override
    public boolean transferSent(final byte[] txId) {
        return sentIn.containsKey(new ByteKey(txId));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.close();
        balanceMap.close();
        assetMap.close();
        replayMap.close();
        swapMap.close();
        streamMap.close();
        outboxMap.close();
        metaMap.close();
    }

    // ------------------------------------------------------------------------------- test hooks

    /** Overwrites one balance in the map, bypassing execution and the log: for tests of the invariant only. */
    void corruptBalanceForTest(final byte[] account, final int assetId, final long value) {
        exec.balanceKey(account, assetId);
        exec.value.value = value;
        balanceMap.put(exec.balanceKey, exec.value);
    }

    // ------------------------------------------------------------------------------- helpers

    static int streamKey(final boolean inbound, final int shard) {
        return (inbound ? 1 << 16 : 0) | shard;
    }

    /** The acknowledgement watermark of the stream to {@code dest}: node-local, outside the digest. */
    static int ackKey(final int dest) {
        return 2 << 16 | dest;
    }

    static long outboxKey(final int dest, final long seq) {
        return ((long) dest << 48) | seq;
    }

    static void putAssetId(final byte[] dst, final int offset, final int asset) {
        dst[offset] = (byte) asset;
        dst[offset + 1] = (byte) (asset >>> 8);
        dst[offset + 2] = (byte) (asset >>> 16);
        dst[offset + 3] = (byte) (asset >>> 24);
    }

    /** The store read through the rules' interface; any thread (per-thread flyweights). */
    private final class View implements StateView {
        @Override
        public long balance(final byte[] account, final int assetId) {
            final Reader r = readers.get();
            r.balanceKey(account, assetId);
            return balanceMap.getUsing(r.balanceKey, r.value) == null ? 0 : r.value.value;
        }

        @Override
        public long assetSupply(final int assetId) {
            final Reader r = readers.get();
            r.assetKey.assetId = assetId;
            return assetMap.getUsing(r.assetKey, r.assetValue) == null ? ABSENT : r.assetValue.supply;
        }

        @Override
        public long assetEscrowed(final int assetId) {
            final Reader r = readers.get();
            r.assetKey.assetId = assetId;
            return assetMap.getUsing(r.assetKey, r.assetValue) == null ? 0 : r.assetValue.escrowed;
        }

        @Override
        public byte[] assetIssuer(final int assetId) {
            final Reader r = readers.get();
            r.assetKey.assetId = assetId;
            return assetMap.getUsing(r.assetKey, r.assetValue) == null ? new byte[32] : r.assetValue.issuer.clone();
        }

        @Override
        public long replayExpiry(final byte[] txId) {
            final Reader r = readers.get();
            System.arraycopy(txId, 0, r.idKey.bytes, 0, 32);
            return replayMap.getUsing(r.idKey, r.value) == null ? ABSENT : r.value.value;
        }

        @Override
        public long inboundNext(final int sourceShard) {
            final Long next = streamMap.get(streamKey(true, sourceShard));
            return next == null ? 1 : next;
        }

        @Override
        public long outboundNext(final int destShard) {
            final Long next = streamMap.get(streamKey(false, destShard));
            return next == null ? 1 : next;
        }

        @Override
        public SwapRecord swap(final byte[] swapId) {
            final Reader r = readers.get();
            System.arraycopy(swapId, 0, r.idKey.bytes, 0, 32);
            return swapMap.getUsing(r.idKey, r.swapValue) == null ? null : SwapRecord.decode(r.swapValue.bytes, 0);
        }
    }

    /** Per-thread Chronicle key/value instances and decoders: reads allocate little. */
    private static final class Reader {
        final byte[] key = new byte[StateEntries.BALANCE_KEY_BYTES];
        final StateEntries.BalanceKey balanceKey = new StateEntries.BalanceKey();
        final StateEntries.LongValue value = new StateEntries.LongValue();
        final StateEntries.TxIdKey idKey = new StateEntries.TxIdKey();
        final StateEntries.AssetKey assetKey = new StateEntries.AssetKey();
        final StateEntries.AssetValue assetValue = new StateEntries.AssetValue();
        final StateEntries.SwapValue swapValue = new StateEntries.SwapValue();
        final UnsafeBuffer txBuffer = new UnsafeBuffer(new byte[0]);
        final TxView tx = new TxView();

        void balanceKey(final byte[] account, final int assetId) {
            System.arraycopy(account, 0, key, 0, 32);
            putAssetId(key, 32, assetId);
            balanceKey.set(key, 0);
        }
    }
}
