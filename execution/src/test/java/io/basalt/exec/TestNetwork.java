package io.basalt.exec;

import io.basalt.crypto.CryptoConfig;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Sha256;
import io.basalt.crypto.SignatureCheck;
import io.basalt.crypto.Shards;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.TransactionEncoding;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.xshard.BatchCodec;
import io.basalt.xshard.ShardCommittees;
import io.basalt.xshard.SignatureVerifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A whole network of shards in memory for the execution tests: every shard a {@link MemoryState}
 * and a {@link HeightExecutor}, four Ed25519 validators per shard that certify cross-shard
 * batches, and a few funded accounts on each shard. Keys derive from a seed, so two networks of
 * the same seed sign byte-identical transactions and certificates.
 *
 * <pre>
 *   build txs (signed like the SDK) --run(shard, txs)--> one height: begin, execute each, finish, commit
 *   state.outbox(dest, next) --relay(from, to)--> certify each pending prefix (validators 0,1,2) and
 *                                                  execute them in one height of the destination
 * </pre>
 *
 * One clock for the network ({@link #nowMs}): each height advances it by {@link #STEP_MS}.
 */
final class TestNetwork {
    static final int NETWORK_ID = 0x0BA5;
    static final long FEE = 10;
    /** Asset 0 each funded account holds at genesis. */
    static final long FUNDS = 1_000_000;
    static final long GENESIS_TIME_MS = 1_700_000_000_000L;
    static final long STEP_MS = 1_000;
    /** Expiry a transaction built by the convenience builders gets, from the current clock. */
    static final long DEFAULT_TTL_MS = 30_000;
    static final int VALIDATORS = 4;
    /** 2f+1 of 3f+1 equal stakes. */
    static final int QUORUM = 3;
    static final int FUNDED_PER_SHARD = 3;
    static final int UNFUNDED_PER_SHARD = 1;

    static final Ed25519 ED25519 = Ed25519.create(CryptoConfig.of("bouncycastle"));
    static final SignatureVerifier VERIFIER = (key, message, offset, length, signature, signatureOffset) ->
        ED25519.check(key, 0, message, offset, length, signature, signatureOffset) == SignatureCheck.VALID;

    /** One executed height of one shard. */
    record Height(int shard, HeightEffects effects, List<ExecResult> results, byte[] record) {
        ExecResult result(final int index) {
            return results.get(index);
        }

        /** The settled outcome of {@code txId} in this height, or null. */
        ExecResult settled(final byte[] txId) {
            ExecResult found = null;
            for (final HeightEffects.Outcome o : effects.settled) {
                if (Arrays.equals(o.txId(), txId)) {
                    if (found != null) {
                        throw new AssertionError("settled twice in one height");
                    }
                    found = o.result();
                }
            }
            return found;
        }
    }

    /** What a relay delivered: the certified messages, in order, and the destination's height. */
    record Delivery(List<byte[]> certified, Height height) {
        ExecResult result(final int index) {
            return height.result(index);
        }
    }

    final class Shard {
        final int id;
        final ExecConfig config;
        final MemoryState state;
        private HeightExecutor executor;
        /** Every height run here, in order. */
        final List<Height> heights = new ArrayList<>();

        Shard(final int id) {
            this.id = id;
            this.config = new ExecConfig(id, shardCount, NETWORK_ID, fee);
            this.state = new MemoryState(config, genesis, GENESIS_TIME_MS);
            this.executor = new HeightExecutor(config, committees, VERIFIER);
        }

        /** Runs one height of these transactions at the next tick of the network clock. */
        Height run(final byte[]... txs) {
            return runAt(nowMs + STEP_MS, txs);
        }

        Height runAt(final long timeMs, final byte[]... txs) {
            nowMs = Math.max(nowMs, timeMs);
            if (freshExecutorEachHeight) {
                executor = new HeightExecutor(config, committees, VERIFIER);
            }
            executor.begin(state, state.height() + 1, timeMs);
            final List<ExecResult> results = new ArrayList<>();
            for (final byte[] tx : txs) {
                // Place the bytes at an offset inside a larger buffer, as a block carries them.
                final byte[] buffer = new byte[txOffset + tx.length + 7];
                System.arraycopy(tx, 0, buffer, txOffset, tx.length);
                results.add(executor.execute(new UnsafeBuffer(buffer), txOffset, tx.length));
            }
            final HeightEffects effects = executor.finish();
            final byte[] record = state.commit(effects);
            final Height height = new Height(id, effects, List.copyOf(results), record);
            heights.add(height);
            return height;
        }

        long balance(final byte[] account, final int asset) {
            return state.balance(account, asset);
        }

        long balance(final KeyPair account, final int asset) {
            return state.balance(account.publicKey(), asset);
        }

        /** This shard's supply of the asset (balances plus escrows); 0 when unknown here. */
        long supply(final int asset) {
            final long[] a = state.assets().get(asset);
            return a == null ? 0 : a[0];
        }

        long escrowed(final int asset) {
            final long[] a = state.assets().get(asset);
            return a == null ? 0 : a[1];
        }

        /** Every settled outcome of {@code txId} over all heights of this shard. */
        List<ExecResult> settledHistory(final byte[] txId) {
            final List<ExecResult> out = new ArrayList<>();
            for (final Height h : heights) {
                for (final HeightEffects.Outcome o : h.effects().settled) {
                    if (Arrays.equals(o.txId(), txId)) {
                        out.add(o.result());
                    }
                }
            }
            return out;
        }
    }

    final int shardCount;
    final long fee;
    final KeyPair[][] validators;
    /** {@code accounts[shard]}: the first {@link #FUNDED_PER_SHARD} funded with {@link #FUNDS} of asset 0. */
    final KeyPair[][] accounts;
    final List<Allocation> genesis = new ArrayList<>();
    final ShardCommittees committees;
    final Shard[] shards;
    long nowMs = GENESIS_TIME_MS;
    /** Where in a larger buffer each transaction is placed when executed. */
    int txOffset;
    /** Whether each height gets a new executor (the executor must carry nothing across heights). */
    boolean freshExecutorEachHeight;

    private final Random random;
    private final TransactionEncoding encoding = new TransactionEncoding();
    private final BatchCodec codec = new BatchCodec();
    private long nonce;

    TestNetwork(final int shardCount, final long seed) {
        this(shardCount, seed, FEE, List.of());
    }

    /** {@code extraAllocations} are added to the genesis after the asset-0 funding. */
    TestNetwork(final int shardCount, final long seed, final long fee, final List<Allocation> extraAllocations) {
        this.shardCount = shardCount;
        this.fee = fee;
        this.random = new Random(seed);
        this.validators = new KeyPair[shardCount][VALIDATORS];
        final byte[][][] keys = new byte[shardCount][VALIDATORS][];
        for (int s = 0; s < shardCount; s++) {
            for (int v = 0; v < VALIDATORS; v++) {
                validators[s][v] = keyPair();
                keys[s][v] = validators[s][v].publicKey();
            }
        }
        this.committees = ShardCommittees.ofEqualStake(keys);
        this.accounts = new KeyPair[shardCount][FUNDED_PER_SHARD + UNFUNDED_PER_SHARD];
        for (int s = 0; s < shardCount; s++) {
            for (int a = 0; a < accounts[s].length; a++) {
                accounts[s][a] = accountOn(s);
                if (a < FUNDED_PER_SHARD) {
                    genesis.add(new Allocation(accounts[s][a].publicKey(), 0, FUNDS));
                }
            }
        }
        genesis.addAll(extraAllocations);
        this.shards = new Shard[shardCount];
        for (int s = 0; s < shardCount; s++) {
            shards[s] = new Shard(s);
        }
    }

    Shard shard(final int id) {
        return shards[id];
    }

    KeyPair account(final int shard, final int index) {
        return accounts[shard][index];
    }

    /** The account of {@code shard} that genesis did not fund. */
    KeyPair unfunded(final int shard) {
        return accounts[shard][FUNDED_PER_SHARD];
    }

    /** A fresh key pair (from this network's seed) whose address lives on {@code shard}. */
    KeyPair accountOn(final int shard) {
        while (true) {
            final KeyPair k = keyPair();
            if (Shards.shardOf(k.publicKey(), shardCount) == shard) {
                return k;
            }
        }
    }

    private KeyPair keyPair() {
        final byte[] seed = new byte[Ed25519.SEED_BYTES];
        random.nextBytes(seed);
        return ED25519.keyPairFromSeed(seed);
    }

    /** Consensus time of the next height {@link Shard#run} executes. */
    long nextTimeMs() {
        return nowMs + STEP_MS;
    }

    void advance(final long ms) {
        nowMs += ms;
    }

    /** Total asset-0 funding of the genesis. */
    long genesisNative() {
        long sum = 0;
        for (final Allocation a : genesis) {
            if (a.assetId() == 0) {
                sum += a.amount();
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------------------ transactions

    byte[] transfer(final KeyPair from, final byte[] to, final int asset, final long amount) {
        return transfer(NETWORK_ID, fee, nowMs + DEFAULT_TTL_MS, from, to, asset, amount);
    }

    byte[] transfer(final KeyPair from, final KeyPair to, final int asset, final long amount) {
        return transfer(from, to.publicKey(), asset, amount);
    }

    byte[] transfer(final int networkId, final long txFee, final long expiryMs, final KeyPair from, final byte[] to,
                    final int asset, final long amount) {
        final byte[] tx = new byte[Layout.TRANSFER_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(tx);
        final int length = encoding.encodeTransfer(b, 0, networkId, txFee, ++nonce, expiryMs, from.publicKey(), to,
            asset, amount);
        sign(b, length, 0, from);
        return tx;
    }

    byte[] createAsset(final KeyPair issuer, final int asset, final long supply) {
        return createAsset(NETWORK_ID, fee, nowMs + DEFAULT_TTL_MS, issuer, asset, supply);
    }

    byte[] createAsset(final int networkId, final long txFee, final long expiryMs, final KeyPair issuer, final int asset,
                       final long supply) {
        final byte[] tx = new byte[Layout.CREATE_ASSET_LENGTH];
        final UnsafeBuffer b = new UnsafeBuffer(tx);
        final int length = encoding.encodeCreateAsset(b, 0, networkId, txFee, ++nonce, expiryMs, issuer.publicKey(),
            asset, supply, 2);
        sign(b, length, 0, issuer);
        return tx;
    }

    byte[] swap(final KeyPair a, final int assetA, final long amountA, final KeyPair b, final int assetB,
                final long amountB) {
        return swap(NETWORK_ID, fee, nowMs + DEFAULT_TTL_MS, a, assetA, amountA, b, assetB, amountB);
    }

    byte[] swap(final int networkId, final long txFee, final long expiryMs, final KeyPair a, final int assetA,
                final long amountA, final KeyPair b, final int assetB, final long amountB) {
        final byte[] tx = new byte[Layout.SWAP_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(tx);
        final int length = encoding.encodeSwap(buffer, 0, networkId, txFee, ++nonce, expiryMs, a.publicKey(), assetA,
            amountA, b.publicKey(), assetB, amountB);
        sign(buffer, length, 0, a);
        sign(buffer, length, 1, b);
        return tx;
    }

    private static void sign(final UnsafeBuffer buffer, final int length, final int index, final KeyPair key) {
        final int signed = SignedRegion.signedLength(buffer, 0, length);
        final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];
        ED25519.sign(key, buffer.byteArray(), 0, signed, signature, 0);
        SignedRegion.putSignature(buffer, 0, length, index, signature);
    }

    /** A transaction's id: SHA-256 of its signed prefix. */
    static byte[] txId(final byte[] tx) {
        final UnsafeBuffer b = new UnsafeBuffer(tx);
        final byte[] id = new byte[32];
        new Sha256().digest(tx, 0, SignedRegion.signedLength(b, 0, tx.length), id, 0);
        return id;
    }

    // ------------------------------------------------------------------------------ the certified stream

    /** Prefixes of batches {@code from} cut for {@code to} that {@code to} has not applied yet, by seq. */
    List<byte[]> pendingPrefixes(final int from, final int to) {
        return new ArrayList<>(shards[from].state.outbox(to, shards[to].state.inboundNext(from)).values());
    }

    /** The prefix of batch {@code seq} from {@code from} to {@code to}. */
    byte[] prefix(final int from, final int to, final long seq) {
        final byte[] p = shards[from].state.outbox(to, seq).get(seq);
        if (p == null) {
            throw new AssertionError("no batch " + seq + " from shard " + from + " to " + to);
        }
        return p;
    }

    /** The batch certified by validators 0, 1, 2 (a quorum) of its source shard. */
    byte[] certified(final int from, final int to, final long seq) {
        return certify(prefix(from, to, seq), from, new int[] {0, 1, 2});
    }

    /** Certifies {@code prefix} by the given validators of {@code signingShard}, over this network's id. */
    byte[] certify(final byte[] prefix, final int signingShard, final int[] signers) {
        final KeyPair[] keys = new KeyPair[signers.length];
        for (int i = 0; i < signers.length; i++) {
            keys[i] = validators[signingShard][signers[i]];
        }
        return certifyWith(prefix, signers, keys, NETWORK_ID);
    }

    /** Certifies {@code prefix} claiming {@code signers}, each signature made with {@code keys[i]} over {@code networkId}. */
    byte[] certifyWith(final byte[] prefix, final int[] signers, final KeyPair[] keys, final int networkId) {
        final byte[] digest = codec.statementDigest(networkId, prefix);
        final byte[][] signatures = new byte[signers.length][];
        for (int i = 0; i < signers.length; i++) {
            signatures[i] = ED25519.sign(keys[i], digest);
        }
        return BatchCodec.certify(prefix, signers, signatures, signers.length);
    }

    /** Certifies every pending batch from {@code from} to {@code to} and executes them in one height of {@code to}. */
    Delivery relay(final int from, final int to) {
        final List<byte[]> certified = new ArrayList<>();
        for (final byte[] prefix : pendingPrefixes(from, to)) {
            certified.add(certify(prefix, from, new int[] {0, 1, 2}));
        }
        final Height height = shards[to].run(certified.toArray(new byte[0][]));
        shards[from].state.pruneOutbox(to, shards[to].state.inboundNext(from) - 1);
        return new Delivery(certified, height);
    }

    /** Relays between every pair until no batch is pending anywhere; returns how many relay heights ran. */
    int drain() {
        int rounds = 0;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int from = 0; from < shardCount; from++) {
                for (int to = 0; to < shardCount; to++) {
                    if (from != to && !pendingPrefixes(from, to).isEmpty()) {
                        relay(from, to);
                        moved = true;
                        rounds++;
                    }
                }
            }
            if (rounds > 1_000) {
                throw new AssertionError("the certified streams do not drain");
            }
        }
        return rounds;
    }

    // ------------------------------------------------------------------------------ money

    /** Receipt amounts of {@code asset} in batches cut but not yet applied by their destination. */
    long inFlight(final int asset) {
        long sum = 0;
        for (int from = 0; from < shardCount; from++) {
            for (int to = 0; to < shardCount; to++) {
                if (from != to) {
                    for (final byte[] prefix : pendingPrefixes(from, to)) {
                        for (final BatchCodec.Receipt r : receipts(prefix)) {
                            if (r.assetId() == asset) {
                                sum = Math.addExact(sum, r.amount());
                            }
                        }
                    }
                }
            }
        }
        return sum;
    }

    /** Every shard's supply of {@code asset} plus what is in flight between shards. */
    long networkSupply(final int asset) {
        long sum = inFlight(asset);
        for (final Shard s : shards) {
            sum = Math.addExact(sum, s.supply(asset));
        }
        return sum;
    }

    /** Sum over shards of every balance of {@code asset} the accounts of this network hold. */
    long heldByAccounts(final int asset) {
        long sum = 0;
        for (int s = 0; s < shardCount; s++) {
            for (final KeyPair k : accounts[s]) {
                sum += shards[s].balance(k, asset);
            }
        }
        return sum;
    }

    /** The receipts of a batch prefix (or certified message). */
    static List<BatchCodec.Receipt> receipts(final byte[] prefixOrMessage) {
        final CertifiedMessageDecoder d = new CertifiedMessageDecoder();
        d.wrapAndApplyHeader(new UnsafeBuffer(prefixOrMessage), 0, new MessageHeaderDecoder());
        final List<BatchCodec.Receipt> out = new ArrayList<>();
        for (final CertifiedMessageDecoder.ReceiptsDecoder r : d.receipts()) {
            final byte[] txId = new byte[32];
            final byte[] to = new byte[32];
            r.getTxId(txId, 0, 32);
            r.getTo(to, 0, 32);
            out.add(new BatchCodec.Receipt(txId, to, (int) r.assetId(), r.amount()));
        }
        return out;
    }

    /** The (swapId, vote) pairs of a batch prefix. */
    static List<Map.Entry<byte[], io.basalt.protocol.sbe.SwapVote>> votes(final byte[] prefixOrMessage) {
        final CertifiedMessageDecoder d = new CertifiedMessageDecoder();
        d.wrapAndApplyHeader(new UnsafeBuffer(prefixOrMessage), 0, new MessageHeaderDecoder());
        d.receipts().forEach(r -> { });
        final List<Map.Entry<byte[], io.basalt.protocol.sbe.SwapVote>> out = new ArrayList<>();
        for (final CertifiedMessageDecoder.VotesDecoder v : d.votes()) {
            final byte[] id = new byte[32];
            v.getSwapId(id, 0, 32);
            out.add(Map.entry(id, v.vote()));
            v.skipSwap();
        }
        return out;
    }
}
