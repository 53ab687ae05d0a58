package io.basalt.node.exec;

import io.basalt.crypto.Sha256;
import io.basalt.crypto.Shards;
import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import io.basalt.node.api.RejectCode;
import io.basalt.node.config.Genesis;
import io.basalt.node.store.CommitLog;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The shard's state in persisted Chronicle Maps, made crash-safe by a write-ahead {@link CommitLog}.
 *
 * <h2>Execution rules (DESIGN.md §2)</h2>
 * Checked in this order; "charged" means the flat fee ({@code genesis.fee}, asset 0) is taken from the
 * sender and burned, and the id enters the replay set.
 * <ol>
 *   <li>bytes that do not validate as a transaction: INVALID, not charged (consensus validated them,
 *       so this is a second line of defence only);</li>
 *   <li>CertifiedMessage: UNSUPPORTED, not charged (cross-shard comes later);</li>
 *   <li>networkId differs: WRONG_NETWORK; expiry &le; consensus time or &gt; 60 s beyond it: EXPIRED;
 *       neither charged;</li>
 *   <li>id (SHA-256 of the signed bytes) seen and not yet expired, in the state or earlier in the same
 *       height: DUPLICATE, a no-op (never charged twice);</li>
 *   <li>sender (Transfer.from, CreateAsset.issuer, Swap.partyA) not on this shard: WRONG_SHARD, not
 *       charged (a fee can only be taken on the sender's shard);</li>
 *   <li>the transaction's {@code fee} field below the genesis fee, or the sender's asset-0 balance below
 *       it: INSUFFICIENT_FEE, nothing changes;</li>
 *   <li>from here on the fee is charged, whatever the outcome: TRANSFER to an account of another shard
 *       and SWAP with a party on another shard are UNSUPPORTED until cross-shard receipts and 2PC land
 *       (charging them keeps block space from being free; {@link #precheck} refuses them up front, so
 *       only a client that skips admission pays); a debit larger than the balance is
 *       INSUFFICIENT_BALANCE; CREATE_ASSET of asset 0 is INVALID, of a known asset ASSET_EXISTS.</li>
 * </ol>
 * A SWAP applies both legs or neither. The fee is the genesis fee even when the transaction offers
 * more: the {@code fee} field is the most the sender agreed to pay.
 *
 * <p><b>Amounts.</b> Balances and per-asset supplies are kept at most {@code Long.MAX_VALUE}
 * (2^63 - 1) although the wire carries u64: a CREATE_ASSET whose supply exceeds it is OVERFLOW, and an
 * amount above it can never be covered by a balance (INSUFFICIENT_BALANCE). Since every balance is at
 * most its asset's supply, no credit can overflow; each sum is still checked ({@code Math.addExact})
 * and reported as OVERFLOW if it ever did.
 *
 * <p><b>Supply invariant</b> (always on, {@link IllegalStateException} stops the node): per asset, the
 * sum of balances equals genesis + minted - fees burned. The sum is kept incrementally from the
 * balance changes actually written to the map (new minus old value), the expected supply from the
 * mint/burn accounting of execution; the two are compared for every asset a height touches. On open a
 * full scan recomputes the sums, so a balance corrupted on disk stops the node there.
 *
 * <h2>Durability</h2>
 * Each height is executed against in-memory write sets, encoded as one commit-log record (layout
 * below), appended and forced, and only then written to the maps; the meta map's applied height is
 * written last. On open, records above that height are re-applied. After-images are absolute values,
 * so re-applying a record that partly reached the maps is harmless: a {@code kill -9} at any moment
 * ends in the state of a validator that never stopped.
 *
 * <pre>
 *  body (after CommitLog's [length u32][crc32c u32]); little-endian
 *  +------------+------------------+
 *  | height u64 | consensusTime u64|
 *  +------------+------------------+----------------------------------------+
 *  | txCount u32      | txCount x ( txId 32 | result u8 )          33 B each |
 *  | balanceCount u32 | n x ( account 32 | asset u32 | balance u64 ) 44 B each|
 *  | assetCount u32   | n x ( asset u32 | issuer 32 | supply u64 )   44 B each|
 *  | replayCount u32  | n x ( txId 32 | expiryMs u64 )              40 B each |
 *  +------------------+-----------------------------------------------------+
 *  | stateDigest 32 = SHA-256(previous digest || every body byte before it)  |
 *  +-------------------------------------------------------------------------+
 * </pre>
 * After-images appear in first-touch order, which every honest validator reproduces (same
 * transactions, same order), so the digest chain is equal on all of them. Replay entries whose expiry
 * passed are deleted without a record: an expired entry is treated as absent anyway, so an entry a
 * crash left behind changes nothing.
 *
 * <h2>Allocation</h2>
 * The steady-state path reuses flyweights, Chronicle key/value instances, write sets and record
 * buffers. Still allocating: one entry of the recent-results map ({@link #executed}) per transaction
 * (a key and a {@link TxRecord}), the digest copy per height, growth of buffers, and whatever
 * Chronicle allocates internally.
 *
 * <h2>Left for later</h2>
 * Commit-log rotation (needs an msync'd checkpoint of the maps), a state snapshot for catching up,
 * globally unique asset ids across shards (today an id is unique per shard), and
 * {@link #balances} lists only assets this shard has registered.
 */
public final class ChronicleLedger implements Ledger {
    static {
        // Before any Chronicle class loads: never phone home, never print the banner.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    /** A transaction may expire at most this far beyond the consensus time. */
    public static final long MAX_EXPIRY_AHEAD_MS = 60_000;
    /** Results kept in memory for {@link #executed}; older ones are forgotten. */
    public static final int MAX_RECENT_RESULTS = 1 << 20;
    static final int TX_RESULT_BYTES = 33;
    static final int BALANCE_IMAGE_BYTES = 44;
    static final int ASSET_IMAGE_BYTES = 44;
    static final int REPLAY_IMAGE_BYTES = 40;
    private static final int DIGEST_BYTES = 32;
    private static final int REPLAY_BUCKETS = 128;
    private static final int MAX_STAGED = 8;
    private static final Integer META_KEY = 0;

    private final Path dir;
    private final Genesis genesis;
    private final int shardId;
    private final long networkId;
    private final long fee;
    private final CommitLog log;
    private final ChronicleMap<StateEntries.BalanceKey, StateEntries.LongValue> balanceMap;
    private final ChronicleMap<StateEntries.AssetKey, StateEntries.AssetValue> assetMap;
    private final ChronicleMap<StateEntries.TxIdKey, StateEntries.LongValue> replayMap;
    private final ChronicleMap<Integer, StateEntries.MetaValue> metaMap;
    private final ThreadLocal<Reader> readers;

    // ---- execution-thread state
    private final Reader exec;
    private final Sha256 sha = new Sha256();
    private final UnsafeBuffer txView = new UnsafeBuffer(new byte[0]);
    private final byte[] txId = new byte[32];
    private final byte[] keyScratch = new byte[StateEntries.BALANCE_KEY_BYTES];
    private final byte[] accountA = new byte[32];
    private final byte[] accountB = new byte[32];
    private final FlatKeyIndex heightBalances = new FlatKeyIndex(StateEntries.BALANCE_KEY_BYTES, 4096);
    private long[] heightBalanceValues = new long[4096];
    private final FlatKeyIndex heightReplay = new FlatKeyIndex(32, 4096);
    private long[] heightReplayExpiry = new long[4096];
    private final Int2IntHashMap heightAssetIndex = new Int2IntHashMap(-1);
    private int[] heightAssetIds = new int[16];
    private byte[] heightAssetIssuers = new byte[16 * 32];
    private long[] heightAssetSupply = new long[16];
    private int heightAssetCount;
    private final byte[] stagedKeys = new byte[MAX_STAGED * StateEntries.BALANCE_KEY_BYTES];
    private final long[] stagedValues = new long[MAX_STAGED];
    private int stagedCount;
    private final ExpandableArrayBuffer results = new ExpandableArrayBuffer(64 * 1024);
    private int resultCount;
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(256 * 1024);
    private final Long2LongHashMap actualSupply = new Long2LongHashMap(Long.MIN_VALUE);
    private final Long2LongHashMap expectedSupply = new Long2LongHashMap(Long.MIN_VALUE);
    private final ReplayBucket[] replayBuckets = new ReplayBucket[REPLAY_BUCKETS];
    private long prunedThroughSecond = Long.MIN_VALUE;
    private final ConcurrentHashMap<IdKey, TxRecord> recent = new ConcurrentHashMap<>();
    private final java.util.ArrayDeque<IdKey> recentOrder = new java.util.ArrayDeque<>();
    private final StateEntries.MetaValue metaValue = new StateEntries.MetaValue();
    private final StateEntries.AssetKey assetKey = new StateEntries.AssetKey();
    private final StateEntries.AssetValue assetValue = new StateEntries.AssetValue();
    private final StateEntries.TxIdKey txIdKey = new StateEntries.TxIdKey();
    private final StateEntries.LongValue longValue = new StateEntries.LongValue();
    private final StateEntries.BalanceKey balanceKey = new StateEntries.BalanceKey();

    // ---- published to readers
    private volatile long appliedHeight;
    private volatile long consensusTimeMs;
    private volatile byte[] stateDigest;
    private boolean closed;

    private ChronicleLedger(final Path dir, final Genesis genesis, final int shardId, final long expectedEntries)
        throws IOException {
        if (shardId < 0 || shardId >= genesis.shardCount()) {
            throw new IllegalArgumentException("shard " + shardId + " is not in genesis");
        }
        this.dir = dir;
        this.genesis = genesis;
        this.shardId = shardId;
        this.networkId = Integer.toUnsignedLong(genesis.networkId());
        this.fee = genesis.fee();
        Files.createDirectories(dir);
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
        metaMap = openMap(ChronicleMapBuilder.of(Integer.class, StateEntries.MetaValue.class)
            .name("meta").constantValueSizeBySample(new StateEntries.MetaValue()).entries(16), "meta.cm");
        log = CommitLog.open(dir);
        readers = ThreadLocal.withInitial(Reader::new);
        exec = new Reader();
        for (int i = 0; i < REPLAY_BUCKETS; i++) {
            replayBuckets[i] = new ReplayBucket();
        }
    }

    /**
     * Opens the ledger of {@code shardId} in {@code dir}, creating it from genesis on first open, and
     * recovers from the commit log. Maps are sized for {@code expectedEntries} balances and replay ids.
     */
    public static ChronicleLedger open(final Path dir, final Genesis genesis, final int shardId, final long expectedEntries) {
        final ChronicleLedger ledger;
        try {
            ledger = new ChronicleLedger(dir, genesis, shardId, expectedEntries);
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
            if (body.getLong(0, ByteOrder.LITTLE_ENDIAN) <= stateHeight) {
                rememberResults(body); // so that executed() answers across a restart
            } else {
                applyRecord(body, length, null, true);
            }
        });
        checkAllSupplies();
    }

    private void applyGenesis() {
        final TreeMap<String, Long> sums = new TreeMap<>();
        final TreeMap<Integer, Long> supply = new TreeMap<>();
        supply.put(0, 0L);
        final java.security.MessageDigest md = newSha256();
        md.update(("basalt-genesis/" + genesis.networkId() + "/" + shardId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (final Genesis.Allocation a : genesis.allocationsOn(shardId, addr -> Shards.shardOf(addr, genesis.shardCount()))) {
            if (a.amount() < 0) {
                throw new IllegalArgumentException("genesis allocation to " + a.account() + " is negative");
            }
            final byte[] account = HexFormat.of().parseHex(a.account());
            md.update(account);
            md.update(longBytes(Integer.toUnsignedLong(a.assetId())));
            md.update(longBytes(a.amount()));
            sums.merge(a.account() + "/" + Integer.toUnsignedString(a.assetId()), a.amount(), Math::addExact);
            supply.merge(a.assetId(), a.amount(), Math::addExact);
        }
        for (final Map.Entry<String, Long> e : sums.entrySet()) {
            final String[] parts = e.getKey().split("/");
            System.arraycopy(HexFormat.of().parseHex(parts[0]), 0, keyScratch, 0, 32);
            putAssetId(keyScratch, 32, Integer.parseUnsignedInt(parts[1]));
            balanceKey.set(keyScratch, 0);
            longValue.value = e.getValue();
            if (e.getValue() != 0) {
                balanceMap.put(balanceKey, longValue);
            }
        }
        for (final Map.Entry<Integer, Long> e : supply.entrySet()) {
            assetKey.assetId = e.getKey();
            Arrays.fill(assetValue.issuer, (byte) 0);
            assetValue.supply = e.getValue();
            assetMap.put(assetKey, assetValue);
        }
        metaValue.height = 0;
        metaValue.consensusTimeMs = genesis.genesisTimeMs();
        md.update(longBytes(genesis.fee()));
        System.arraycopy(md.digest(), 0, metaValue.digest, 0, DIGEST_BYTES);
        metaMap.put(META_KEY, metaValue);
    }

    private void scanSupply() {
        actualSupply.clear();
        expectedSupply.clear();
        assetMap.forEach((k, v) -> expectedSupply.put(k.assetId, v.supply));
        balanceMap.forEach((k, v) -> {
            final long asset = k.assetId();
            if (v.value < 0) {
                throw new IllegalStateException("negative balance in the state for asset " + asset);
            }
            final long sum = actualSupply.get(asset);
            actualSupply.put(asset, sum == Long.MIN_VALUE ? v.value : addOrStop(sum, v.value));
        });
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
                bucketAdd(k.bytes, 0, v.value);
            }
        });
        for (final byte[] id : expired) {
            System.arraycopy(id, 0, txIdKey.bytes, 0, 32);
            replayMap.remove(txIdKey);
        }
        prunedThroughSecond = Math.floorDiv(now, 1000) - 1;
    }

    private void checkAllSupplies() {
        final Long2LongHashMap.KeyIterator it = expectedSupply.keySet().iterator();
        while (it.hasNext()) {
            checkSupply(it.nextValue());
        }
        final Long2LongHashMap.KeyIterator actual = actualSupply.keySet().iterator();
        while (actual.hasNext()) {
            final long asset = actual.nextValue();
            if (expectedSupply.get(asset) == Long.MIN_VALUE) {
                throw new IllegalStateException("balances of unregistered asset " + asset);
            }
        }
    }

    private void checkSupply(final long asset) {
        final long expected = expectedSupply.get(asset);
        long actual = actualSupply.get(asset);
        actual = actual == Long.MIN_VALUE ? 0 : actual;
        if (expected != actual) {
            throw new IllegalStateException("supply invariant broken for asset " + asset + " on shard " + shardId
                + ": balances sum to " + actual + ", genesis + minted - burned is " + expected
                + " (height " + appliedHeight + ")");
        }
    }

    /** Recomputes every asset's supply from all balances and checks it (a full scan; for operators and tests). */
    public void verifySupplyFully() {
        scanSupply();
        checkAllSupplies();
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
        beginHeight();
        for (final Block block : subDag.blocks()) {
            final byte[] bytes = block.encoded();
            txView.wrap(bytes);
            for (int i = 0; i < block.transactionCount(); i++) {
                final ExecResult result = execute(txView, block.transactionOffset(i), block.transactionLength(i), now);
                final int at = resultCount * TX_RESULT_BYTES;
                results.putBytes(at, txId, 0, 32);
                results.putByte(at + 32, (byte) result.code());
                resultCount++;
            }
        }
        final int length = encodeRecord(subDag.height(), now);
        log.append(record, length);
        applyRecord(record, length, listener, false);
    }

    private void beginHeight() {
        heightBalances.clear();
        heightReplay.clear();
        heightAssetIndex.clear();
        heightAssetCount = 0;
        resultCount = 0;
    }

    /** Executes one transaction against the height's write sets; leaves its id in {@link #txId}. */
    private ExecResult execute(final UnsafeBuffer buffer, final int offset, final int length, final long now) {
        if (!MessageValidator.validateTransaction(buffer, offset, length).isOk()) {
            sha.digest(buffer, offset, length, txId, 0);
            return ExecResult.INVALID;
        }
        sha.digest(buffer, offset, SignedRegion.signedLength(buffer, offset, length), txId, 0);
        final int template = Templates.templateId(buffer, offset);
        if (template == Templates.CERTIFIED_MESSAGE) {
            return ExecResult.UNSUPPORTED;
        }
        final Reader r = exec;
        r.wrap(buffer, offset, template);
        if (r.networkId != networkId) {
            return ExecResult.WRONG_NETWORK;
        }
        if (Long.compareUnsigned(r.expiryMs, now) <= 0 || Long.compareUnsigned(r.expiryMs, now + MAX_EXPIRY_AHEAD_MS) > 0) {
            return ExecResult.EXPIRED;
        }
        if (heightReplay.find(txId, 0) >= 0 || r.seenInState(txId, now)) {
            return ExecResult.DUPLICATE;
        }
        r.sender(accountA);
        if (shardOf(accountA) != shardId) {
            return ExecResult.WRONG_SHARD;
        }
        stagedCount = 0;
        final long feeBalance = stagedBalance(accountA, 0);
        if (Long.compareUnsigned(r.fee, fee) < 0 || feeBalance < fee) {
            return ExecResult.INSUFFICIENT_FEE;
        }
        stage(accountA, 0, feeBalance - fee);
        burn(fee);
        commitStaged();
        final int index = heightReplay.add(txId, 0);
        if (index >= heightReplayExpiry.length) {
            heightReplayExpiry = Arrays.copyOf(heightReplayExpiry, heightReplayExpiry.length * 2);
        }
        heightReplayExpiry[index] = r.expiryMs;

        stagedCount = 0;
        final ExecResult result = switch (template) {
            case Templates.TRANSFER -> transfer(r);
            case Templates.CREATE_ASSET -> createAsset(r);
            case Templates.SWAP -> swap(r);
            default -> ExecResult.INVALID;
        };
        if (result == ExecResult.SUCCESS) {
            commitStaged();
        }
        return result;
    }

    private ExecResult transfer(final Reader r) {
        r.transfer.getTo(accountB, 0, 32);
        if (shardOf(accountB) != shardId) {
            return ExecResult.UNSUPPORTED;
        }
        final int asset = (int) r.transfer.assetId();
        return move(accountA, accountB, asset, r.transfer.amount());
    }

    private ExecResult createAsset(final Reader r) {
        final int asset = (int) r.createAsset.assetId();
        final long supply = r.createAsset.supply();
        if (asset == 0) {
            return ExecResult.INVALID;
        }
        if (assetSupply(asset) != Long.MIN_VALUE) {
            return ExecResult.ASSET_EXISTS;
        }
        if (supply < 0) {
            return ExecResult.OVERFLOW;
        }
        final long balance = stagedBalance(accountA, asset);
        if (balance != 0) {
            throw new IllegalStateException("balance of asset " + Integer.toUnsignedString(asset) + " before it exists");
        }
        stage(accountA, asset, supply);
        registerAsset(asset, accountA, supply);
        return ExecResult.SUCCESS;
    }

    private ExecResult swap(final Reader r) {
        r.swap.getPartyB(accountB, 0, 32);
        if (shardOf(accountB) != shardId) {
            return ExecResult.UNSUPPORTED;
        }
        final ExecResult legA = move(accountA, accountB, (int) r.swap.assetA(), r.swap.amountA());
        if (legA != ExecResult.SUCCESS) {
            return legA;
        }
        return move(accountB, accountA, (int) r.swap.assetB(), r.swap.amountB());
    }

    /** Stages a debit and a credit; nothing is staged when it fails. */
    private ExecResult move(final byte[] from, final byte[] to, final int asset, final long amount) {
        if (asset != 0 && assetSupply(asset) == Long.MIN_VALUE) {
            // Nobody holds an asset that was never issued; even a zero amount must not create balances for it.
            return ExecResult.INSUFFICIENT_BALANCE;
        }
        if (amount < 0) {
            return ExecResult.INSUFFICIENT_BALANCE; // above 2^63 - 1: no balance can cover it
        }
        final long fromBalance = stagedBalance(from, asset);
        if (fromBalance < amount) {
            return ExecResult.INSUFFICIENT_BALANCE;
        }
        final int mark = stagedCount;
        stage(from, asset, fromBalance - amount);
        final long toBalance = stagedBalance(to, asset);
        final long credited;
        try {
            credited = Math.addExact(toBalance, amount);
        } catch (final ArithmeticException e) {
            stagedCount = mark;
            return ExecResult.OVERFLOW;
        }
        stage(to, asset, credited);
        return ExecResult.SUCCESS;
    }

    // ---- write sets: staged (one transaction) over height (one sub-DAG) over the map

    private long stagedBalance(final byte[] account, final int asset) {
        System.arraycopy(account, 0, keyScratch, 0, 32);
        putAssetId(keyScratch, 32, asset);
        for (int i = stagedCount - 1; i >= 0; i--) {
            if (Arrays.equals(stagedKeys, i * StateEntries.BALANCE_KEY_BYTES, (i + 1) * StateEntries.BALANCE_KEY_BYTES,
                keyScratch, 0, StateEntries.BALANCE_KEY_BYTES)) {
                return stagedValues[i];
            }
        }
        final int index = heightBalances.find(keyScratch, 0);
        if (index >= 0) {
            return heightBalanceValues[index];
        }
        balanceKey.set(keyScratch, 0);
        return balanceMap.getUsing(balanceKey, longValue) == null ? 0 : longValue.value;
    }

    private void stage(final byte[] account, final int asset, final long value) {
        if (stagedCount == MAX_STAGED) {
            throw new IllegalStateException("a transaction touched more than " + MAX_STAGED + " balances");
        }
        final int at = stagedCount * StateEntries.BALANCE_KEY_BYTES;
        System.arraycopy(account, 0, stagedKeys, at, 32);
        putAssetId(stagedKeys, at + 32, asset);
        stagedValues[stagedCount++] = value;
    }

    private void commitStaged() {
        for (int i = 0; i < stagedCount; i++) {
            final int at = i * StateEntries.BALANCE_KEY_BYTES;
            int index = heightBalances.find(stagedKeys, at);
            if (index < 0) {
                index = heightBalances.add(stagedKeys, at);
                if (index >= heightBalanceValues.length) {
                    heightBalanceValues = Arrays.copyOf(heightBalanceValues, heightBalanceValues.length * 2);
                }
            }
            heightBalanceValues[index] = stagedValues[i];
        }
        stagedCount = 0;
    }

    /** The asset's expected supply as of the write set, or Long.MIN_VALUE when unknown. */
    private long assetSupply(final int asset) {
        final int index = heightAssetIndex.get(asset);
        if (index >= 0) {
            return heightAssetSupply[index];
        }
        final long known = expectedSupply.get(Integer.toUnsignedLong(asset));
        return known;
    }

    private void burn(final long amount) {
        if (amount == 0) {
            return;
        }
        final long supply = assetSupply(0);
        final int index = heightAssetIndex.get(0);
        if (index >= 0) {
            heightAssetSupply[index] = supply - amount;
        } else {
            assetMap.getUsing(key(0), assetValue);
            registerAsset(0, assetValue.issuer, supply - amount);
        }
    }

    private void registerAsset(final int asset, final byte[] issuer, final long supply) {
        final int index = heightAssetCount++;
        if (index == heightAssetIds.length) {
            heightAssetIds = Arrays.copyOf(heightAssetIds, index * 2);
            heightAssetIssuers = Arrays.copyOf(heightAssetIssuers, index * 2 * 32);
            heightAssetSupply = Arrays.copyOf(heightAssetSupply, index * 2);
        }
        heightAssetIds[index] = asset;
        System.arraycopy(issuer, 0, heightAssetIssuers, index * 32, 32);
        heightAssetSupply[index] = supply;
        heightAssetIndex.put(asset, index);
    }

    private StateEntries.AssetKey key(final int asset) {
        assetKey.assetId = asset;
        return assetKey;
    }

    // ---- the record

    private int encodeRecord(final long height, final long now) {
        final ExpandableArrayBuffer b = record;
        int p = 0;
        b.putLong(p, height, ByteOrder.LITTLE_ENDIAN);
        b.putLong(p + 8, now, ByteOrder.LITTLE_ENDIAN);
        b.putInt(p + 16, resultCount, ByteOrder.LITTLE_ENDIAN);
        p += 20;
        b.putBytes(p, results, 0, resultCount * TX_RESULT_BYTES);
        p += resultCount * TX_RESULT_BYTES;
        final int balances = heightBalances.size();
        b.putInt(p, balances, ByteOrder.LITTLE_ENDIAN);
        p += 4;
        for (int i = 0; i < balances; i++) {
            b.putBytes(p, heightBalances.keys(), heightBalances.keyOffset(i), StateEntries.BALANCE_KEY_BYTES);
            b.putLong(p + 36, heightBalanceValues[i], ByteOrder.LITTLE_ENDIAN);
            p += BALANCE_IMAGE_BYTES;
        }
        b.putInt(p, heightAssetCount, ByteOrder.LITTLE_ENDIAN);
        p += 4;
        for (int i = 0; i < heightAssetCount; i++) {
            b.putInt(p, heightAssetIds[i], ByteOrder.LITTLE_ENDIAN);
            b.putBytes(p + 4, heightAssetIssuers, i * 32, 32);
            b.putLong(p + 36, heightAssetSupply[i], ByteOrder.LITTLE_ENDIAN);
            p += ASSET_IMAGE_BYTES;
        }
        final int replays = heightReplay.size();
        b.putInt(p, replays, ByteOrder.LITTLE_ENDIAN);
        p += 4;
        for (int i = 0; i < replays; i++) {
            b.putBytes(p, heightReplay.keys(), heightReplay.keyOffset(i), 32);
            b.putLong(p + 32, heightReplayExpiry[i], ByteOrder.LITTLE_ENDIAN);
            p += REPLAY_IMAGE_BYTES;
        }
        chainDigest(b, p, stateDigest);
        b.putBytes(p, digestOut, 0, DIGEST_BYTES);
        return p + DIGEST_BYTES;
    }

    private final byte[] digestOut = new byte[DIGEST_BYTES];
    private final java.security.MessageDigest chain = newSha256();

    /** digestOut = SHA-256(previous || body[0, length)). */
    private void chainDigest(final DirectBuffer body, final int length, final byte[] previous) {
        chain.update(previous, 0, DIGEST_BYTES);
        chain.update(body.byteArray(), body.wrapAdjustment(), length);
        try {
            chain.digest(digestOut, 0, DIGEST_BYTES);
        } catch (final java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes one record's after-images to the maps, checks the supply invariant for what it touched,
     * publishes the new height and tells the listener. The same code serves execution and recovery.
     */
    private void applyRecord(final DirectBuffer body, final int length, final ExecutionListener listener, final boolean replaying) {
        final long height = body.getLong(0, ByteOrder.LITTLE_ENDIAN);
        final long now = body.getLong(8, ByteOrder.LITTLE_ENDIAN);
        if (height != appliedHeight + 1) {
            throw new IllegalStateException("record of height " + height + " after " + appliedHeight);
        }
        chainDigest(body, length - DIGEST_BYTES, stateDigest);
        for (int i = 0; i < DIGEST_BYTES; i++) {
            if (body.getByte(length - DIGEST_BYTES + i) != digestOut[i]) {
                throw new IllegalStateException("state digest chain broken at height " + height);
            }
        }
        final int txCount = body.getInt(16, ByteOrder.LITTLE_ENDIAN);
        final int txStart = 20;
        int p = txStart + txCount * TX_RESULT_BYTES;
        final int balances = body.getInt(p, ByteOrder.LITTLE_ENDIAN);
        p += 4;
        for (int i = 0; i < balances; i++, p += BALANCE_IMAGE_BYTES) {
            body.getBytes(p, balanceKey.bytes, 0, StateEntries.BALANCE_KEY_BYTES);
            final long value = body.getLong(p + 36, ByteOrder.LITTLE_ENDIAN);
            final long old = balanceMap.getUsing(balanceKey, longValue) == null ? 0 : longValue.value;
            if (value < 0) {
                throw new IllegalStateException("negative balance at height " + height);
            }
            if (value == 0) {
                balanceMap.remove(balanceKey);
            } else {
                longValue.value = value;
                balanceMap.put(balanceKey, longValue);
            }
            final long asset = Integer.toUnsignedLong(balanceKey.assetId());
            final long sum = actualSupply.get(asset);
            actualSupply.put(asset, addOrStop(sum == Long.MIN_VALUE ? 0 : sum, value - old));
        }
        final int assets = body.getInt(p, ByteOrder.LITTLE_ENDIAN);
        p += 4;
        for (int i = 0; i < assets; i++, p += ASSET_IMAGE_BYTES) {
            assetKey.assetId = body.getInt(p, ByteOrder.LITTLE_ENDIAN);
            body.getBytes(p + 4, assetValue.issuer, 0, 32);
            assetValue.supply = body.getLong(p + 36, ByteOrder.LITTLE_ENDIAN);
            assetMap.put(assetKey, assetValue);
            expectedSupply.put(Integer.toUnsignedLong(assetKey.assetId), assetValue.supply);
        }
        final int replays = body.getInt(p, ByteOrder.LITTLE_ENDIAN);
        p += 4;
        for (int i = 0; i < replays; i++, p += REPLAY_IMAGE_BYTES) {
            body.getBytes(p, txIdKey.bytes, 0, 32);
            longValue.value = body.getLong(p + 32, ByteOrder.LITTLE_ENDIAN);
            replayMap.put(txIdKey, longValue);
            bucketAdd(txIdKey.bytes, 0, longValue.value);
        }
        // Check every asset the height touched: the balances' assets and the registry's.
        int q = txStart + txCount * TX_RESULT_BYTES + 4;
        for (int i = 0; i < balances; i++, q += BALANCE_IMAGE_BYTES) {
            checkSupply(Integer.toUnsignedLong(body.getInt(q + 32, ByteOrder.LITTLE_ENDIAN)));
        }
        q += 4;
        for (int i = 0; i < assets; i++, q += ASSET_IMAGE_BYTES) {
            checkSupply(Integer.toUnsignedLong(body.getInt(q, ByteOrder.LITTLE_ENDIAN)));
        }
        pruneReplay(now);
        metaValue.height = height;
        metaValue.consensusTimeMs = now;
        body.getBytes(length - DIGEST_BYTES, metaValue.digest, 0, DIGEST_BYTES);
        metaMap.put(META_KEY, metaValue);

        stateDigest = metaValue.digest.clone();
        consensusTimeMs = now;
        appliedHeight = height;
        for (int i = 0, at = txStart; i < txCount; i++, at += TX_RESULT_BYTES) {
            body.getBytes(at, txId, 0, 32);
            final ExecResult result = ExecResult.fromCode(body.getByte(at + 32));
            if (result != ExecResult.DUPLICATE) {
                remember(txId, new TxRecord(result, height, now));
            }
            if (listener != null) {
                listener.onExecuted(txId, 0, result, height, now);
            }
        }
        if (listener != null) {
            listener.onHeight(height, stateDigest, now);
        }
    }

    private void rememberResults(final DirectBuffer body) {
        final long height = body.getLong(0, ByteOrder.LITTLE_ENDIAN);
        final long time = body.getLong(8, ByteOrder.LITTLE_ENDIAN);
        final int txCount = body.getInt(16, ByteOrder.LITTLE_ENDIAN);
        for (int i = 0, at = 20; i < txCount; i++, at += TX_RESULT_BYTES) {
            final ExecResult result = ExecResult.fromCode(body.getByte(at + 32));
            if (result != ExecResult.DUPLICATE) {
                body.getBytes(at, txId, 0, 32);
                remember(txId, new TxRecord(result, height, time));
            }
        }
    }

    // ---- replay-set expiry: buckets of one second of expiry, a ring longer than the expiry window

    private static final class ReplayBucket {
        long second = Long.MIN_VALUE;
        byte[] ids = new byte[32 * 64];
        int count;
    }

    private void bucketAdd(final byte[] id, final int offset, final long expiryMs) {
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
        System.arraycopy(id, offset, bucket.ids, bucket.count * 32, 32);
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
                    System.arraycopy(bucket.ids, i * 32, txIdKey.bytes, 0, 32);
                    replayMap.remove(txIdKey);
                }
                bucket.count = 0;
            }
        }
        prunedThroughSecond = through;
    }

    // ---- recent results

    private record IdKey(byte[] id) {
        @Override
        public boolean equals(final Object o) {
            return o instanceof IdKey k && Arrays.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(id);
        }
    }

    private void remember(final byte[] id, final TxRecord txRecord) {
        final IdKey key = new IdKey(id.clone());
        final TxRecord previous = recent.get(key);
        if (previous != null && consumedId(previous.result())) {
            return; // keep the result that used the id; later repeats (EXPIRED, DUPLICATE) say nothing new
        }
        if (recent.put(key, txRecord) == null) {
            recentOrder.addLast(key);
            if (recentOrder.size() > MAX_RECENT_RESULTS) {
                recent.remove(recentOrder.pollFirst());
            }
        }
    }

    /** Whether a result means the transaction was charged (its id entered the replay set). */
    private static boolean consumedId(final ExecResult result) {
        return switch (result) {
            case INSUFFICIENT_FEE, EXPIRED, WRONG_NETWORK, WRONG_SHARD, DUPLICATE -> false;
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
        final Reader r = readers.get();
        final Map<Integer, Long> out = new TreeMap<>();
        final List<Integer> assets = new ArrayList<>();
        assetMap.forEach((k, v) -> assets.add(k.assetId));
        for (final int asset : assets) {
            final long value = r.balance(account, asset);
            if (value != 0) {
                out.put(asset, value);
            }
        }
        return out;
    }

    /** The balance of one (account, asset); thread-safe. */
    public long balance(final byte[] account, final int assetId) {
        return readers.get().balance(account, assetId);
    }

    /** The supply of an asset on this shard (genesis + minted - burned), or -1 when unknown; thread-safe. */
    public long supply(final int assetId) {
        final StateEntries.AssetKey k = new StateEntries.AssetKey();
        k.assetId = assetId;
        final StateEntries.AssetValue v = assetMap.get(k);
        return v == null ? -1 : v.supply;
    }

    @Override
    public RejectCode precheck(final byte[] tx, final int offset, final int length) {
        final Reader r = readers.get();
        r.view.wrap(tx);
        if (!MessageValidator.validateUserTransaction(r.view, offset, length).isOk()) {
            return RejectCode.MALFORMED;
        }
        final int template = Templates.templateId(r.view, offset);
        r.wrap(r.view, offset, template);
        final long now = consensusTimeMs;
        if (r.networkId != networkId) {
            return RejectCode.WRONG_NETWORK;
        }
        if (Long.compareUnsigned(r.expiryMs, now) <= 0) {
            return RejectCode.EXPIRED;
        }
        if (Long.compareUnsigned(r.expiryMs, now + MAX_EXPIRY_AHEAD_MS) > 0) {
            return RejectCode.EXPIRY_TOO_FAR;
        }
        r.sender(r.account);
        if (shardOf(r.account) != shardId) {
            return RejectCode.WRONG_SHARD;
        }
        if (template == Templates.TRANSFER) {
            r.transfer.getTo(r.other, 0, 32);
            if (shardOf(r.other) != shardId) {
                return RejectCode.UNSUPPORTED;
            }
        } else if (template == Templates.SWAP) {
            r.swap.getPartyB(r.other, 0, 32);
            if (shardOf(r.other) != shardId) {
                return RejectCode.UNSUPPORTED;
            }
        }
        r.sha.digest(r.view, offset, SignedRegion.signedLength(r.view, offset, length), r.id, 0);
        if (r.seenInState(r.id, now)) {
            return RejectCode.DUPLICATE;
        }
        if (Long.compareUnsigned(r.fee, fee) < 0 || r.balance(r.account, 0) < fee) {
            return RejectCode.INSUFFICIENT_FEE_BALANCE;
        }
        return RejectCode.NONE;
    }

    @Override
    public TxRecord executed(final byte[] id) {
        return recent.get(new IdKey(id));
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
        metaMap.close();
    }

    // ------------------------------------------------------------------------------- test hooks

    /** Overwrites one balance in the map, bypassing execution and the log: for tests of the invariant only. */
    void corruptBalanceForTest(final byte[] account, final int assetId, final long value) {
        System.arraycopy(account, 0, keyScratch, 0, 32);
        putAssetId(keyScratch, 32, assetId);
        balanceKey.set(keyScratch, 0);
        longValue.value = value;
        balanceMap.put(balanceKey, longValue);
    }

    // ------------------------------------------------------------------------------- helpers

    private int shardOf(final byte[] account) {
        return Shards.shardOf(account, genesis.shardCount());
    }

    static void putAssetId(final byte[] dst, final int offset, final int asset) {
        dst[offset] = (byte) asset;
        dst[offset + 1] = (byte) (asset >>> 8);
        dst[offset + 2] = (byte) (asset >>> 16);
        dst[offset + 3] = (byte) (asset >>> 24);
    }

    private static long addOrStop(final long a, final long b) {
        try {
            return Math.addExact(a, b);
        } catch (final ArithmeticException e) {
            throw new IllegalStateException("supply sum overflowed", e);
        }
    }

    private static byte[] longBytes(final long v) {
        final byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static java.security.MessageDigest newSha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per-thread decoders and Chronicle key/value instances: reads allocate nothing. */
    private final class Reader {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final TransferDecoder transfer = new TransferDecoder();
        final CreateAssetDecoder createAsset = new CreateAssetDecoder();
        final SwapDecoder swap = new SwapDecoder();
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        final Sha256 sha = new Sha256();
        final byte[] id = new byte[32];
        final byte[] account = new byte[32];
        final byte[] other = new byte[32];
        final byte[] key = new byte[StateEntries.BALANCE_KEY_BYTES];
        final StateEntries.BalanceKey balanceKey = new StateEntries.BalanceKey();
        final StateEntries.LongValue value = new StateEntries.LongValue();
        final StateEntries.TxIdKey idKey = new StateEntries.TxIdKey();
        int template;
        long networkId;
        long fee;
        long expiryMs;

        void wrap(final DirectBuffer buffer, final int offset, final int templateId) {
            template = templateId;
            switch (templateId) {
                case Templates.TRANSFER -> {
                    transfer.wrapAndApplyHeader(buffer, offset, header);
                    networkId = transfer.networkId();
                    fee = transfer.fee();
                    expiryMs = transfer.expiryMs();
                }
                case Templates.CREATE_ASSET -> {
                    createAsset.wrapAndApplyHeader(buffer, offset, header);
                    networkId = createAsset.networkId();
                    fee = createAsset.fee();
                    expiryMs = createAsset.expiryMs();
                }
                case Templates.SWAP -> {
                    swap.wrapAndApplyHeader(buffer, offset, header);
                    networkId = swap.networkId();
                    fee = swap.fee();
                    expiryMs = swap.expiryMs();
                }
                default -> throw new IllegalArgumentException("not a user transaction: " + templateId);
            }
        }

        /** The fee payer: Transfer.from, CreateAsset.issuer, Swap.partyA. */
        void sender(final byte[] out) {
            switch (template) {
                case Templates.TRANSFER -> transfer.getFrom(out, 0, Layout.KEY_LENGTH);
                case Templates.CREATE_ASSET -> createAsset.getIssuer(out, 0, Layout.KEY_LENGTH);
                default -> swap.getPartyA(out, 0, Layout.KEY_LENGTH);
            }
        }

        boolean seenInState(final byte[] txId, final long now) {
            System.arraycopy(txId, 0, idKey.bytes, 0, 32);
            return replayMap.getUsing(idKey, value) != null && value.value > now;
        }

        long balance(final byte[] acct, final int asset) {
            System.arraycopy(acct, 0, key, 0, 32);
            putAssetId(key, 32, asset);
            balanceKey.set(key, 0);
            return balanceMap.getUsing(balanceKey, value) == null ? 0 : value.value;
        }
    }
}
