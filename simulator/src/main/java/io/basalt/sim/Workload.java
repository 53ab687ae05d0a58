package io.basalt.sim;

import io.basalt.crypto.Sha256;
import io.basalt.crypto.Shards;
import io.basalt.exec.Allocation;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.SignedRegion;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The clients of a run: real accounts with genesis balances on every shard, and the signed
 * transactions they send, each with the outcome the rules promise for it.
 *
 * <pre>
 *   genesis, per shard s:  FUNDED_PER_SHARD accounts with FUNDS of asset 0 and ASSET_FUNDS of asset
 *                          (shards + s), which is s's own asset (its id is s mod shards);
 *                          UNFUNDED_PER_SHARD accounts with nothing
 *   transactions:          transfers inside a shard and across shards, CREATE_ASSET, swaps inside a
 *                          shard and across shards; some valid, some built to fail in a known way
 * </pre>
 *
 * What makes the promised outcomes certain: amounts are small next to the funds (no valid
 * transaction can run out of money, a funded account never falls below the fee), failing ones
 * fail by construction (an overdraft of 2^50, an expiry at the submission time, a sender without
 * asset 0), and no account without funds ever receives anything (it is a recipient of nothing
 * and partyA only of swaps that abort).
 */
final class Workload {
    static final long FEE = 1;
    static final long FUNDS = 1_000_000;
    static final long ASSET_FUNDS = 100_000;
    static final int FUNDED_PER_SHARD = 4;
    static final int UNFUNDED_PER_SHARD = 1;
    static final long MAX_AMOUNT = 100;
    static final long OVERDRAFT = 1L << 50;
    static final long TTL_MS = 10_000;
    /** Swaps built to race their expiry live this long at most. */
    static final int MAX_SHORT_TTL_MS = 15;
    static final long CREATED_SUPPLY = 1_000_000;
    /** A share of single-shard transactions goes to a second validator of the shard too (against censorship). */
    static final double RESUBMIT_PROBABILITY = 0.1;
    static final long MAX_RESUBMIT_DELAY_NS = 5 * Scenario.MS;

    /** What a client sends, and what the rules must answer when its shard (or a party's shard) orders it. */
    enum Kind {
        TRANSFER(ExecResult.SUCCESS, 20, false),
        CROSS_TRANSFER(ExecResult.SUCCESS, 25, true),
        OVERDRAFT(ExecResult.INSUFFICIENT_BALANCE, 5, false),
        EXPIRED(ExecResult.EXPIRED, 4, false),
        UNFUNDED(ExecResult.INSUFFICIENT_FEE, 4, false),
        CREATE_ASSET(ExecResult.SUCCESS, 3, false),
        ASSET_EXISTS(ExecResult.ASSET_EXISTS, 2, false),
        FOREIGN_ASSET_ID(ExecResult.ASSET_ID_OF_OTHER_SHARD, 2, true),
        SWAP(ExecResult.SUCCESS, 5, false),
        SWAP_UNCOVERED(ExecResult.INSUFFICIENT_BALANCE, 2, false),
        /** Both legs covered, long expiry: must commit on both shards. */
        CROSS_SWAP(null, 12, true),
        /** B's leg is an overdraft: must abort on both shards. */
        CROSS_SWAP_UNCOVERED(null, 4, true),
        /** partyA cannot pay the fee: must abort on both shards (when B's shard orders it). */
        CROSS_SWAP_UNFUNDED(null, 3, true),
        /** Expires within milliseconds: may commit or abort, but the same on both shards. */
        CROSS_SWAP_SHORT(null, 5, true);

        /** The result at the shard that orders it; null for cross-shard swaps, judged by their outcome. */
        final ExecResult expected;
        final int weight;
        final boolean crossShard;

        Kind(final ExecResult expected, final int weight, final boolean crossShard) {
            this.expected = expected;
            this.weight = weight;
            this.crossShard = crossShard;
        }

        boolean isCrossSwap() {
            return this == CROSS_SWAP || this == CROSS_SWAP_UNCOVERED || this == CROSS_SWAP_UNFUNDED
                || this == CROSS_SWAP_SHORT;
        }
    }

    /** One submission: to validator {@code validator} of shard {@code shard} at {@code atNs}. */
    record Target(int shard, int validator, long atNs) {
    }

    /** A client transaction and its terms (for a transfer: leg A is the transfer, {@code other} the recipient). */
    record ClientTx(int index, Kind kind, long nonce, byte[] bytes, byte[] id, long atNs, List<Target> targets,
                    int senderShard, int otherShard, byte[] sender, byte[] other, int assetA, long amountA,
                    int assetB, long amountB, long expiryMs) {
    }

    private record Account(int index, byte[] key, int shard) {
    }

    private final Scenario scenario;
    private final SimCrypto crypto;
    private final SplittableRandom random;
    private final int shards;
    private final List<List<Account>> funded = new ArrayList<>();
    private final List<List<Account>> unfunded = new ArrayList<>();
    private final Map<String, Boolean> fundedByKey = new TreeMap<>();
    private final List<Allocation> allocations = new ArrayList<>();
    private final List<ClientTx> transactions = new ArrayList<>();
    private final Map<Long, ClientTx> byNonce = new TreeMap<>();
    private final Map<String, ClientTx> byId = new TreeMap<>();
    private final Sha256 sha = new Sha256();
    private int assetsCreated;

    Workload(final Scenario scenario, final SimCrypto crypto) {
        this.scenario = scenario;
        this.crypto = crypto;
        this.shards = scenario.shards();
        this.random = new SplittableRandom(scenario.seed() ^ 0xC11E_4751L);
        createAccounts();
        createTransactions();
    }

    // ------------------------------------------------------------------------------- genesis

    /** Draws keys until every shard has its accounts; the genesis allocates to the funded ones. */
    private void createAccounts() {
        for (int s = 0; s < shards; s++) {
            funded.add(new ArrayList<>());
            unfunded.add(new ArrayList<>());
        }
        int missing = shards * (FUNDED_PER_SHARD + UNFUNDED_PER_SHARD);
        while (missing > 0) {
            final int index = crypto.newAccount();
            final byte[] key = crypto.accountKey(index);
            final int shard = Shards.shardOf(key, shards);
            final Account account = new Account(index, key, shard);
            if (funded.get(shard).size() < FUNDED_PER_SHARD) {
                funded.get(shard).add(account);
                fundedByKey.put(hex(key), true);
                allocations.add(new Allocation(key, 0, FUNDS));
                allocations.add(new Allocation(key, shardAsset(shard), ASSET_FUNDS));
                missing--;
            } else if (unfunded.get(shard).size() < UNFUNDED_PER_SHARD) {
                unfunded.get(shard).add(account);
                missing--;
            }
        }
    }

    /** The asset shard {@code shard} holds from genesis: its id is the shard's residue, never 0. */
    int shardAsset(final int shard) {
        return shards + shard;
    }

    List<Allocation> allocations() {
        return allocations;
    }

    /** Genesis supply of every asset over the whole network. */
    Map<Integer, Long> genesisSupply() {
        final Map<Integer, Long> supply = new TreeMap<>();
        supply.put(0, 0L);
        for (final Allocation a : allocations) {
            supply.merge(a.assetId(), a.amount(), Long::sum);
        }
        return supply;
    }

    /** Genesis supply of every asset on one shard. */
    Map<Integer, Long> genesisSupply(final int shard) {
        final Map<Integer, Long> supply = new TreeMap<>();
        supply.put(0, 0L);
        for (final Account account : funded.get(shard)) {
            supply.merge(0, FUNDS, Long::sum);
            supply.merge(shardAsset(shard), ASSET_FUNDS, Long::sum);
        }
        return supply;
    }

    /** Whether the account holds asset 0 from genesis (and so can always pay the fee). */
    boolean funded(final byte[] account) {
        return fundedByKey.containsKey(hex(account));
    }

    /** A funded account of {@code shard}: where forged receipts would like to send money. */
    byte[] fundedAccount(final int shard, final int i) {
        return funded.get(shard).get(Math.floorMod(i, FUNDED_PER_SHARD)).key();
    }

    // ------------------------------------------------------------------------------- transactions

    List<ClientTx> transactions() {
        return transactions;
    }

    ClientTx byNonce(final long nonce) {
        return byNonce.get(nonce);
    }

    ClientTx byId(final byte[] id) {
        return byId.get(hex(id));
    }

    private void createTransactions() {
        final long last = scenario.livenessDeadlineNs();
        final long interval = Math.max(1, scenario.submitIntervalNs());
        for (int i = 0; i < scenario.transactions(); i++) {
            final long at = Math.max(0, Math.min(last, i * interval + random.nextLong(interval)));
            final ClientTx tx = build(i, pickKind(), at);
            transactions.add(tx);
            byNonce.put(tx.nonce(), tx);
            byId.put(hex(tx.id()), tx);
        }
    }

    private Kind pickKind() {
        if (scenario.traffic() == Scenario.Traffic.CROSS_TRANSFERS) {
            return Kind.CROSS_TRANSFER;
        }
        if (scenario.traffic() == Scenario.Traffic.CROSS_SWAPS) {
            return Kind.CROSS_SWAP;
        }
        int total = 0;
        for (final Kind k : Kind.values()) {
            total += usable(k) ? k.weight : 0;
        }
        int pick = random.nextInt(total);
        for (final Kind k : Kind.values()) {
            if (usable(k)) {
                pick -= k.weight;
                if (pick < 0) {
                    return k;
                }
            }
        }
        throw new AssertionError("weights");
    }

    private boolean usable(final Kind kind) {
        return shards > 1 || !kind.crossShard;
    }

    private ClientTx build(final int index, final Kind kind, final long atNs) {
        final long nonce = index + 1L;
        final int s = random.nextInt(shards);
        final int d = kind.crossShard ? otherShard(s) : s;
        final Account a = kind == Kind.UNFUNDED || kind == Kind.CROSS_SWAP_UNFUNDED
            ? unfunded.get(s).get(0) : pick(funded.get(s), null);
        final Account b = pick(funded.get(d), a);
        final long atMs = atNs / Scenario.MS;
        final long expiry = switch (kind) {
            case EXPIRED -> atMs;
            case CROSS_SWAP_SHORT -> atMs + 1 + random.nextInt(MAX_SHORT_TTL_MS);
            default -> atMs + TTL_MS;
        };
        final long amountA = 1 + random.nextLong(MAX_AMOUNT);
        final long amountB = kind == Kind.SWAP_UNCOVERED || kind == Kind.CROSS_SWAP_UNCOVERED
            ? OVERDRAFT : 1 + random.nextLong(MAX_AMOUNT);
        final int assetA = kind == Kind.CROSS_SWAP_UNFUNDED || random.nextBoolean() ? 0 : shardAsset(s);
        final int assetB = random.nextBoolean() ? 0 : shardAsset(d);
        final byte[] bytes = switch (kind) {
            case TRANSFER, CROSS_TRANSFER, EXPIRED, UNFUNDED ->
                crypto.transfer(a.index(), b.key(), assetA, amountA, FEE, nonce, expiry);
            case OVERDRAFT -> crypto.transfer(a.index(), b.key(), assetA, OVERDRAFT, FEE, nonce, expiry);
            case CREATE_ASSET, ASSET_EXISTS, FOREIGN_ASSET_ID ->
                crypto.createAsset(a.index(), assetToCreate(kind, s), CREATED_SUPPLY, FEE, nonce, expiry);
            default -> crypto.swap(a.index(), assetA, amountA, b.index(), assetB, amountB, FEE, nonce, expiry);
        };
        final boolean create = kind == Kind.CREATE_ASSET || kind == Kind.ASSET_EXISTS || kind == Kind.FOREIGN_ASSET_ID;
        final int legAsset = create ? assetOfCreate(bytes) : assetA;
        final long legAmount = create ? CREATED_SUPPLY : kind == Kind.OVERDRAFT ? OVERDRAFT : amountA;
        return new ClientTx(index, kind, nonce, bytes, idOf(bytes), atNs, targets(kind, s, d, atNs), s, d, a.key(),
            b.key(), legAsset, legAmount, assetB, amountB, expiry);
    }

    private int assetToCreate(final Kind kind, final int shard) {
        return switch (kind) {
            case ASSET_EXISTS -> shardAsset(shard);
            case FOREIGN_ASSET_ID -> shards * (100_000 + assetsCreated++) + (shard + 1) % shards;
            default -> shards * (2 + assetsCreated++) + shard;
        };
    }

    private static int assetOfCreate(final byte[] bytes) {
        final io.basalt.protocol.sbe.CreateAssetDecoder decoder = new io.basalt.protocol.sbe.CreateAssetDecoder();
        decoder.wrapAndApplyHeader(new UnsafeBuffer(bytes), 0, new io.basalt.protocol.sbe.MessageHeaderDecoder());
        return (int) decoder.assetId();
    }

    /** Where a transaction goes: the sender's shard; for a cross-shard swap one party's shard or both. */
    private List<Target> targets(final Kind kind, final int s, final int d, final long atNs) {
        final List<Target> targets = new ArrayList<>(2);
        if (!kind.isCrossSwap()) {
            final int v = random.nextInt(scenario.validators());
            targets.add(new Target(s, v, atNs));
            if (random.nextDouble() < RESUBMIT_PROBABILITY) {
                final int w = (v + 1 + random.nextInt(scenario.validators() - 1)) % scenario.validators();
                targets.add(new Target(s, w, atNs + 1 + random.nextLong(MAX_RESUBMIT_DELAY_NS)));
            }
            return targets;
        }
        // An unfunded partyA's own shard refuses it outright; the swap only happens if B's shard orders it.
        final int where = kind == Kind.CROSS_SWAP_UNFUNDED ? 2 + random.nextInt(3) : random.nextInt(5);
        if (where < 2 || where == 4) {
            targets.add(new Target(s, random.nextInt(scenario.validators()), atNs));
        }
        if (where >= 2) {
            targets.add(new Target(d, random.nextInt(scenario.validators()), atNs + random.nextLong(MAX_RESUBMIT_DELAY_NS)));
        }
        return targets;
    }

    private int otherShard(final int s) {
        return (s + 1 + random.nextInt(shards - 1)) % shards;
    }

    private Account pick(final List<Account> accounts, final Account not) {
        Account account;
        do {
            account = accounts.get(random.nextInt(accounts.size()));
        } while (account == not);
        return account;
    }

    private byte[] idOf(final byte[] tx) {
        final byte[] id = new byte[32];
        sha.digest(tx, 0, SignedRegion.signedLength(new UnsafeBuffer(tx), 0, tx.length), id, 0);
        return id;
    }

    static String hex(final byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
