package io.basalt.exec;

import io.basalt.crypto.Sha256;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SwapVote;
import io.basalt.xshard.BatchCodec;
import io.basalt.xshard.CertificateCheck;
import io.basalt.xshard.ShardCommittees;
import io.basalt.xshard.SignatureVerifier;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Executes the transactions of one committed height against a {@link StateView} and returns
 * their {@link HeightEffects}. Single-threaded; one instance per shard, reused across heights.
 *
 * <h2>A user transaction</h2>
 * bytes that are not a transaction: INVALID. Then the {@link Guard} list (not charged when it
 * fails). Then the fee is charged (asset 0, burned) and the id enters the replay set, whatever
 * happens next:
 * <ul>
 *   <li>TRANSFER: INSUFFICIENT_BALANCE when the asset is unknown here, the amount exceeds 2^63-1 or
 *       the balance; to an account of this shard the amount moves (OVERFLOW if a sum would); to
 *       another shard it is debited, leaves this shard's supply and becomes a receipt for the
 *       destination's next batch;</li>
 *   <li>CREATE_ASSET: INVALID for asset 0, ASSET_ID_OF_OTHER_SHARD unless {@code id mod shardCount}
 *       is this shard, ASSET_EXISTS, OVERFLOW above 2^63-1; else the supply is minted to the issuer;</li>
 *   <li>SWAP with both parties here: both legs or neither;</li>
 *   <li>SWAP across shards: the two-phase commit below (the fee is charged on partyA's shard only).</li>
 * </ul>
 *
 * <h2>A certified batch (system transaction, no fee)</h2>
 * destination not this shard, source unknown: BAD_CERTIFICATE; seq below the stream's next:
 * DUPLICATE; above it: OUT_OF_ORDER; certificate or root wrong ({@link CertificateCheck}), a
 * receipt to an account of another shard, a vote whose swap does not match its id or does not
 * join the two shards: BAD_CERTIFICATE. Otherwise the stream moves on by one, the votes are
 * applied, then the receipts are credited (credits cannot fail), each SETTLED here.
 *
 * <h2>Cross-shard swap (shard-led two-phase commit)</h2>
 * <pre>
 *  first time this shard orders swap X (from a client, or from the other shard's vote):
 *      expired, fee unpaid (partyA's shard), or own leg not covered  → vote ABORT
 *      otherwise                                    → escrow own leg → vote PREPARED
 *      the vote (with the swap) goes to the other shard in the next batch
 *  holding both votes:
 *      PREPARED + PREPARED → COMMITTED: own escrow leaves as a receipt to the counterparty
 *      any ABORT           → ABORTED: own escrow refunded; SETTLED SWAP_ABORTED
 *  the counterparty's leg arrives as a receipt → SETTLED SUCCESS; the record is deleted
 * </pre>
 * Both shards compute the decision from the same two votes, so they agree; a vote is applied at
 * most once (the stream's seq and the record's vote slot), so a replayed or reordered PREPARED
 * is a no-op; a leg that reaches a shard after the expiry votes ABORT, so no escrow is taken
 * after the expiry and each is released once the other shard's vote arrives.
 */
public final class HeightExecutor {
    private final ExecConfig config;
    private final CertificateCheck certificates;
    private final BatchCodec codec = new BatchCodec();
    private final TxView tx = new TxView();
    private final TxView voted = new TxView();
    private final Sha256 sha = new Sha256();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CertifiedMessageDecoder batch = new CertifiedMessageDecoder();
    private final UnsafeBuffer swapView = new UnsafeBuffer(new byte[0]);
    private final byte[] lastId = new byte[32];
    private WriteSet writes;
    private HeightEffects effects;
    private long nowMs;

    public HeightExecutor(final ExecConfig config, final ShardCommittees committees, final SignatureVerifier verifier) {
        if (committees.shardCount() != config.shardCount()) {
            throw new IllegalArgumentException("committees of " + committees.shardCount() + " shards for a network of "
                + config.shardCount());
        }
        this.config = config;
        this.certificates = new CertificateCheck(config.networkId(), committees, verifier);
    }

    public ExecConfig config() {
        return config;
    }

    /** Starts a height; {@code consensusTimeMs} is its (monotonic) consensus time. */
    public void begin(final StateView state, final long height, final long consensusTimeMs) {
        writes = new WriteSet(state);
        effects = new HeightEffects(height, consensusTimeMs);
        nowMs = consensusTimeMs;
    }

    /** Executes one transaction of the height and records its result. */
    public ExecResult execute(final DirectBuffer buffer, final int offset, final int length) {
        final ExecResult result = run(buffer, offset, length);
        // run() rolled back whatever a failed rule staged; what is left (a fee, a vote) stays.
        writes.commit();
        effects.results.add(new HeightEffects.Outcome(lastId.clone(), result));
        return result;
    }

    /** Ends the height: cuts outbound batches and returns every effect. */
    public HeightEffects finish() {
        final HeightEffects out = effects;
        writes.writeEffects(out, config.shardId(), codec);
        writes = null;
        effects = null;
        return out;
    }

    /**
     * Admission's pre-check: the guard list against the committed state at its consensus time.
     * Not thread-safe per {@code view}: pass one {@link TxView} per thread.
     */
    public static Guard precheck(final ExecConfig config, final TxView view, final StateView state, final long nowMs) {
        return Guard.check(config, view, new Guard.Reads() {
            @Override
            public long balance(final byte[] account, final int assetId) {
                return state.balance(account, assetId);
            }

            @Override
            public long replayExpiry(final byte[] txId) {
                return state.replayExpiry(txId);
            }
        }, nowMs);
    }

    // ------------------------------------------------------------------------------- dispatch

    private ExecResult run(final DirectBuffer buffer, final int offset, final int length) {
        if (!MessageValidator.validateTransaction(buffer, offset, length).isOk()) {
            sha.digest(buffer, offset, length, lastId, 0);
            return ExecResult.INVALID;
        }
        if (Templates.templateId(buffer, offset) == Templates.CERTIFIED_MESSAGE) {
            sha.digest(buffer, offset, SignedRegion.signedLength(buffer, offset, length), lastId, 0);
            final ExecResult result = applyBatch(buffer, offset, length);
            if (result != ExecResult.SUCCESS) {
                writes.rollback();
            }
            return result;
        }
        if (!tx.wrap(buffer, offset, length)) {
            // A template a block may carry that is no user transaction (e.g. an opaque payload):
            // never run it with the fields of the transaction the view held before.
            sha.digest(buffer, offset, length, lastId, 0);
            return ExecResult.INVALID;
        }
        System.arraycopy(tx.id, 0, lastId, 0, 32);
        final Guard guard = Guard.check(config, tx, writes, nowMs);
        if (guard != Guard.PASS) {
            return guard.execResult();
        }
        if (Guard.isCrossShardSwap(config, tx)) {
            return orderSwap(tx, -1, SwapRecord.NONE);
        }
        chargeFee(tx.sender);
        writes.addReplay(tx.id, tx.expiryMs);
        writes.commit();
        final ExecResult result = switch (tx.template) {
            case Templates.TRANSFER -> transfer(tx);
            case Templates.CREATE_ASSET -> createAsset(tx);
            default -> sameShardSwap(tx);
        };
        if (result != ExecResult.SUCCESS) {
            writes.rollback();
        }
        return result;
    }

    private void chargeFee(final byte[] payer) {
        final long fee = config.fee();
        if (fee == 0) {
            return;
        }
        writes.setBalance(payer, 0, writes.balance(payer, 0) - fee);
        final WriteSet.Asset native0 = writes.asset(0);
        writes.setAsset(0, new WriteSet.Asset(native0.issuer(), native0.supply() - fee, native0.escrowed()));
    }

    // ------------------------------------------------------------------------------- user rules

    private ExecResult transfer(final TxView t) {
        final int asset = (int) t.transfer.assetId();
        final long amount = t.transfer.amount();
        final int dest = Guard.shardOf(config, t.other);
        if (dest == config.shardId()) {
            return move(t.sender, t.other, asset, amount);
        }
        final ExecResult debit = debit(t.sender, asset, amount);
        if (debit != ExecResult.SUCCESS) {
            return debit;
        }
        final WriteSet.Asset a = writes.asset(asset);
        writes.setAsset(asset, new WriteSet.Asset(a.issuer(), a.supply() - amount, a.escrowed()));
        writes.receipt(dest, new BatchCodec.Receipt(t.id.clone(), t.other.clone(), asset, amount));
        return ExecResult.SUCCESS;
    }

    private ExecResult createAsset(final TxView t) {
        final int asset = (int) t.createAsset.assetId();
        final long supply = t.createAsset.supply();
        if (asset == 0) {
            return ExecResult.INVALID;
        }
        if (config.homeShardOfAsset(asset) != config.shardId()) {
            return ExecResult.ASSET_ID_OF_OTHER_SHARD;
        }
        if (writes.asset(asset) != null) {
            return ExecResult.ASSET_EXISTS;
        }
        if (supply < 0) {
            return ExecResult.OVERFLOW;
        }
        if (writes.balance(t.sender, asset) != 0) {
            throw new IllegalStateException("balance of asset " + Integer.toUnsignedString(asset) + " before it exists");
        }
        writes.setBalance(t.sender, asset, supply);
        writes.setAsset(asset, new WriteSet.Asset(t.sender.clone(), supply, 0));
        return ExecResult.SUCCESS;
    }

    private ExecResult sameShardSwap(final TxView t) {
        final ExecResult legA = move(t.sender, t.other, (int) t.swap.assetA(), t.swap.amountA());
        if (legA != ExecResult.SUCCESS) {
            return legA;
        }
        return move(t.other, t.sender, (int) t.swap.assetB(), t.swap.amountB());
    }

    /** Moves an amount between two accounts of this shard. */
    private ExecResult move(final byte[] from, final byte[] to, final int asset, final long amount) {
        final ExecResult debit = debit(from, asset, amount);
        if (debit != ExecResult.SUCCESS) {
            return debit;
        }
        final long credited;
        try {
            credited = Math.addExact(writes.balance(to, asset), amount);
        } catch (final ArithmeticException e) {
            return ExecResult.OVERFLOW;
        }
        writes.setBalance(to, asset, credited);
        return ExecResult.SUCCESS;
    }

    /**
     * Takes an amount from an account of this shard. Nobody holds an asset that was never issued
     * here, so even a zero amount of one must not create balances for it.
     */
    private ExecResult debit(final byte[] from, final int asset, final long amount) {
        if (writes.asset(asset) == null || amount < 0) {
            return ExecResult.INSUFFICIENT_BALANCE;
        }
        final long balance = writes.balance(from, asset);
        if (balance < amount) {
            return ExecResult.INSUFFICIENT_BALANCE;
        }
        writes.setBalance(from, asset, balance - amount);
        return ExecResult.SUCCESS;
    }

    // ------------------------------------------------------------------------------- cross-shard swap

    /**
     * Orders a cross-shard swap here: from a client ({@code fromShard} -1, guards passed) or from
     * the other shard's certified vote. Returns the result a client sees at COMMITTED.
     */
    private ExecResult orderSwap(final TxView s, final int fromShard, final int theirVote) {
        final SwapRecord existing = writes.swap(s.id);
        if (existing != null) {
            if (fromShard < 0 || existing.otherVote() != SwapRecord.NONE) {
                return ExecResult.DUPLICATE; // a client's copy, or a vote applied before
            }
            decide(existing.withOtherVote(theirVote));
            return ExecResult.SUCCESS;
        }
        if (fromShard >= 0 && writes.replayExpiry(s.id) != StateView.ABSENT) {
            return ExecResult.DUPLICATE; // decided and finished here already
        }
        final boolean aSide = Guard.shardOf(config, s.sender) == config.shardId();
        final byte[] owner = aSide ? s.sender : s.other;
        final byte[] counterparty = aSide ? s.other : s.sender;
        final int asset = (int) (aSide ? s.swap.assetA() : s.swap.assetB());
        final long amount = aSide ? s.swap.amountA() : s.swap.amountB();
        ExecResult reason = ExecResult.SUCCESS;
        if (fromShard >= 0) {
            reason = votedSwapGuard(s, aSide);
        }
        if (reason == ExecResult.SUCCESS && aSide) {
            chargeFee(s.sender);
        }
        if (reason == ExecResult.SUCCESS) {
            reason = debit(owner, asset, amount);
        }
        final boolean prepared = reason == ExecResult.SUCCESS;
        if (prepared) {
            final WriteSet.Asset a = writes.asset(asset);
            writes.setAsset(asset, new WriteSet.Asset(a.issuer(), a.supply(), a.escrowed() + amount));
        }
        writes.addReplay(s.id, s.expiryMs);
        final int myVote = prepared ? SwapRecord.PREPARED : SwapRecord.ABORT;
        final int other = Guard.shardOf(config, counterparty);
        writes.vote(other, new BatchCodec.Vote(s.id.clone(), prepared ? SwapVote.PREPARED : SwapVote.ABORT, s.copyBytes()));
        decide(new SwapRecord(s.id.clone(), aSide, other, myVote, theirVote, owner.clone(), counterparty.clone(), asset,
            amount, prepared ? amount : 0, s.expiryMs, SwapRecord.OPEN, false));
        return reason;
    }

    /**
     * The guards for a swap this shard learns of through a vote: a leg that arrives after the
     * expiry, or whose fee partyA cannot pay, votes ABORT (no fee is taken then).
     */
    private ExecResult votedSwapGuard(final TxView s, final boolean aSide) {
        if (Long.compareUnsigned(s.expiryMs, nowMs) <= 0) {
            return ExecResult.EXPIRED;
        }
        if (aSide && (Long.compareUnsigned(s.fee, config.fee()) < 0 || writes.balance(s.sender, 0) < config.fee())) {
            return ExecResult.INSUFFICIENT_FEE;
        }
        return ExecResult.SUCCESS;
    }

    /** Applies the decision once both votes are known; writes the record (or deletes it when finished). */
    private void decide(final SwapRecord record) {
        if (record.myVote() == SwapRecord.NONE || record.otherVote() == SwapRecord.NONE
            || record.decision() != SwapRecord.OPEN) {
            writes.putSwap(record);
            return;
        }
        final WriteSet.Asset a = record.escrowed() > 0 ? writes.asset(record.assetId()) : null;
        final SwapRecord decided;
        if (record.myVote() == SwapRecord.PREPARED && record.otherVote() == SwapRecord.PREPARED) {
            if (a != null) {
                writes.setAsset(record.assetId(), new WriteSet.Asset(a.issuer(), a.supply() - record.escrowed(),
                    a.escrowed() - record.escrowed()));
            }
            writes.receipt(record.otherShard(), new BatchCodec.Receipt(record.swapId(), record.counterparty(),
                record.assetId(), record.amount()));
            decided = record.decided(SwapRecord.COMMITTED);
            if (decided.incomingReceived()) {
                writes.settled(record.swapId(), ExecResult.SUCCESS);
            }
        } else {
            if (a != null) {
                writes.setBalance(record.owner(), record.assetId(),
                    Math.addExact(writes.balance(record.owner(), record.assetId()), record.escrowed()));
                writes.setAsset(record.assetId(), new WriteSet.Asset(a.issuer(), a.supply(), a.escrowed() - record.escrowed()));
            }
            decided = record.decided(SwapRecord.ABORTED);
            writes.settled(record.swapId(), ExecResult.SWAP_ABORTED);
        }
        writes.putSwap(decided);
    }

    // ------------------------------------------------------------------------------- certified batches

    private ExecResult applyBatch(final DirectBuffer buffer, final int offset, final int length) {
        final int source = BatchCodec.sourceShard(buffer, offset);
        if (BatchCodec.destShard(buffer, offset) != config.shardId() || source >= config.shardCount()
            || source == config.shardId()) {
            return ExecResult.BAD_CERTIFICATE;
        }
        final long seq = BatchCodec.seq(buffer, offset);
        final long next = writes.inboundNext(source);
        if (Long.compareUnsigned(seq, next) < 0) {
            return ExecResult.DUPLICATE;
        }
        if (seq != next) {
            return ExecResult.OUT_OF_ORDER;
        }
        if (certificates.check(buffer, offset, length, config.shardId()) != CertificateCheck.Verdict.OK) {
            return ExecResult.BAD_CERTIFICATE;
        }
        final List<BatchCodec.Receipt> receipts = new ArrayList<>();
        final List<byte[]> swaps = new ArrayList<>();
        final List<Integer> votes = new ArrayList<>();
        if (!readBatch(buffer, offset, source, receipts, swaps, votes)) {
            return ExecResult.BAD_CERTIFICATE;
        }
        writes.setInboundNext(source, next + 1);
        for (int i = 0; i < swaps.size(); i++) {
            swapView.wrap(swaps.get(i));
            voted.wrap(swapView, 0, swaps.get(i).length);
            orderSwap(voted, source, votes.get(i));
        }
        for (final BatchCodec.Receipt receipt : receipts) {
            credit(receipt);
        }
        return ExecResult.SUCCESS;
    }

    /** Decodes a batch and checks what its certificate cannot: that its content belongs here. */
    private boolean readBatch(final DirectBuffer buffer, final int offset, final int source,
                              final List<BatchCodec.Receipt> receipts, final List<byte[]> swaps, final List<Integer> votes) {
        batch.wrapAndApplyHeader(buffer, offset, header);
        for (final CertifiedMessageDecoder.ReceiptsDecoder r : batch.receipts()) {
            final byte[] txId = new byte[32];
            final byte[] to = new byte[32];
            r.getTxId(txId, 0, 32);
            r.getTo(to, 0, 32);
            if (Guard.shardOf(config, to) != config.shardId()) {
                return false;
            }
            receipts.add(new BatchCodec.Receipt(txId, to, (int) r.assetId(), r.amount()));
        }
        final byte[] swapId = new byte[32];
        for (final CertifiedMessageDecoder.VotesDecoder v : batch.votes()) {
            v.getSwapId(swapId, 0, 32);
            final int vote = v.vote() == SwapVote.PREPARED ? SwapRecord.PREPARED : SwapRecord.ABORT;
            final byte[] swap = new byte[v.swapLength()];
            v.getSwap(swap, 0, swap.length);
            swapView.wrap(swap);
            if (!voted.wrap(swapView, 0, swap.length) || !java.util.Arrays.equals(voted.id, swapId)
                || voted.networkId != Integer.toUnsignedLong(config.networkId())) {
                return false;
            }
            final int a = Guard.shardOf(config, voted.sender);
            final int b = Guard.shardOf(config, voted.other);
            if (!(a == source && b == config.shardId() || b == source && a == config.shardId())) {
                return false;
            }
            swaps.add(swap);
            votes.add(vote);
        }
        batch.signatures(); // walk past the group: the decoder's limit must reach the end
        return true;
    }

    /** Credits a receipt: an unknown asset becomes known here; a swap's counterparty leg settles it. */
    private void credit(final BatchCodec.Receipt receipt) {
        final WriteSet.Asset a = writes.asset(receipt.assetId());
        final byte[] issuer = a == null ? new byte[Layout.KEY_LENGTH] : a.issuer();
        final long supply = a == null ? 0 : a.supply();
        final long escrowed = a == null ? 0 : a.escrowed();
        writes.setAsset(receipt.assetId(), new WriteSet.Asset(issuer, addOrStop(supply, receipt.amount()), escrowed));
        writes.setBalance(receipt.to(), receipt.assetId(),
            addOrStop(writes.balance(receipt.to(), receipt.assetId()), receipt.amount()));
        final SwapRecord record = writes.swap(receipt.txId());
        if (record == null) {
            writes.settled(receipt.txId(), ExecResult.SUCCESS);
            return;
        }
        final SwapRecord received = record.withIncomingReceived();
        if (received.decision() == SwapRecord.COMMITTED) {
            writes.settled(receipt.txId(), ExecResult.SUCCESS);
        }
        writes.putSwap(received);
    }

    /**
     * A credit cannot overflow: every balance and every shard's supply of an asset is at most its
     * network-wide supply, which is at most 2^63-1. If one does, money was created somewhere.
     */
    private static long addOrStop(final long a, final long b) {
        try {
            return Math.addExact(a, b);
        } catch (final ArithmeticException e) {
            throw new IllegalStateException("a cross-shard credit overflowed: supply was created somewhere", e);
        }
    }
}
