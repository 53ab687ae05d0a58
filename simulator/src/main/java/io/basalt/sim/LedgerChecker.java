package io.basalt.sim;

import io.basalt.crypto.Shards;
import io.basalt.dag.Block;
import io.basalt.dag.CommittedSubDag;
import io.basalt.exec.HeightEffects;
import io.basalt.exec.MemoryState;
import io.basalt.exec.SwapRecord;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SwapVote;
import io.basalt.xshard.BatchCodec;
import io.basalt.xshard.CrossShardRelay;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The network-wide oracles: money and cross-shard messages. It follows each shard's canonical
 * execution (the first honest validator to reach each height; {@link Checker} holds the others to
 * the same state digest) and knows from the {@link Workload} what every client transaction is.
 *
 * <pre>
 *   per canonical height of shard s, in execution order:
 *     user tx ──▶ result as promised? fee burned (at most once per id)? asset minted? swap ordered?
 *     certified batch applied ──▶ next seq of its stream, byte-equal to what the source cut,
 *                                 each receipt cut before, credited once, on the same terms; votes
 *     batches cut ──▶ in seq order; receipts recorded (a swap's payout on the swap's terms)
 *     asset images ──▶ Σ over shards of supply + cut − credited = genesis + minted − burned
 *     settled ──▶ every credited transfer settled here once; a swap settles once per shard and the
 *                 same way on both (all or nothing)
 *     swap images ──▶ open escrows, none older than expiry + a bound once shards are reachable
 *   acknowledged(s, d, seq) ──▶ d really applied seq (an acknowledgement never runs ahead)
 *   end ──▶ what began before the liveness deadline finished: receipts credited, transfers settled,
 *           swaps settled on both shards as their kind promises; and when nothing cross-shard began
 *           in the quiet tail, drained: no escrow, no outbox, nothing pending in any relay
 * </pre>
 *
 * The fee rule it checks against is HeightExecutor's: a user transaction that passes the guards
 * pays once on its sender's shard; a cross-shard swap that partyA's shard learns of by a vote pays
 * there unless it has expired (partyA is funded or, by construction, never pays).
 */
final class LedgerChecker {
    /**
     * An escrow must be released this soon after its expiry: two cross-shard hops (the vote out,
     * the other shard's vote back). In a run without faults a hop takes under 30 ms; after healing,
     * with Byzantine validators still in the committees, up to ~180 ms.
     */
    static final long ESCROW_BOUND_FAULT_FREE_MS = 80;
    static final long ESCROW_BOUND_MS = 400;
    /** Results a user transaction is not charged for (the guards), besides INVALID of bytes that are no transaction. */
    private static final Set<ExecResult> UNCHARGED = EnumSet.of(ExecResult.WRONG_NETWORK, ExecResult.EXPIRED,
        ExecResult.DUPLICATE, ExecResult.WRONG_SHARD, ExecResult.INSUFFICIENT_FEE);

    /** One asset's money over the whole network. */
    private static final class Book {
        long genesis;
        long minted;
        long burned;
        long supply;
        long cut;
        long credited;
        boolean reported;

        long expected() {
            return genesis + minted - burned;
        }

        long actual() {
            return supply + cut - credited;
        }
    }

    /** A receipt cut by a source shard. */
    private static final class Receipt {
        final int source;
        final int dest;
        final byte[] to;
        final int assetId;
        final long amount;
        final long cutAtNs;
        final boolean swapPayout;
        boolean credited;
        boolean settled;

        Receipt(final int source, final int dest, final byte[] to, final int assetId, final long amount,
                final long cutAtNs, final boolean swapPayout) {
            this.source = source;
            this.dest = dest;
            this.to = to;
            this.assetId = assetId;
            this.amount = amount;
            this.cutAtNs = cutAtNs;
            this.swapPayout = swapPayout;
        }
    }

    /** A cross-shard swap as both shards see it: side 0 is partyA's shard, side 1 partyB's. */
    private static final class SwapCase {
        final Workload.ClientTx tx;
        final int[] shard;
        final boolean[] ordered = new boolean[2];
        final ExecResult[] outcome = new ExecResult[2];
        final boolean[] payoutCut = new boolean[2];
        long orderedAtNs = -1;

        SwapCase(final Workload.ClientTx tx) {
            this.tx = tx;
            this.shard = new int[] {tx.senderShard(), tx.otherShard()};
        }

        int side(final int s) {
            return s == shard[0] ? 0 : 1;
        }
    }

    /** What the end-of-run checks read from one validator. */
    record FinalState(int shard, int validator, boolean atCanonicalHeight, MemoryState state, CrossShardRelay relay) {
    }

    /** Cross-shard figures of a run, for reports. */
    record Figures(long crossTransfers, long settledTransfers, long swapsCommitted, long swapsAborted,
                   long certifiedInBlocks, long certifiedBytes, long maxHopNs, Map<ExecResult, Long> certifiedResults,
                   boolean drainChecked) {
    }

    private final Scenario scenario;
    private final Workload workload;
    private final Violations violations;
    private final int shards;
    private final Map<Integer, Book> books = new TreeMap<>();
    private final Map<Long, Long> supplyByShard = new HashMap<>();
    private final Map<String, Receipt> receipts = new TreeMap<>();
    private final Map<String, byte[]> cutBatches = new HashMap<>();
    private final Map<String, Long> cutAtNs = new HashMap<>();
    private final long[][] appliedNext;
    private final long[][] cutNext;
    private final Map<String, SwapCase> swaps = new TreeMap<>();
    private final Map<String, ExecResult>[] firstResults;
    private final Set<String>[] charged;
    private final Map<String, SwapRecord>[] openSwaps;
    private final Set<String> reportedEscrows = new TreeSet<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CertifiedMessageDecoder batch = new CertifiedMessageDecoder();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private long lastCrossWorkNs = -1;
    private long crossTransfers;
    private long settledTransfers;
    private long certifiedInBlocks;
    private long certifiedBytes;
    private long maxHopNs;
    private boolean drainChecked;
    private final Map<ExecResult, Long> certifiedResults = new TreeMap<>();

    @SuppressWarnings("unchecked")
    LedgerChecker(final Scenario scenario, final Workload workload, final Violations violations) {
        this.scenario = scenario;
        this.workload = workload;
        this.violations = violations;
        this.shards = scenario.shards();
        this.appliedNext = new long[shards][shards];
        this.cutNext = new long[shards][shards];
        this.firstResults = new Map[shards];
        this.charged = new Set[shards];
        this.openSwaps = new Map[shards];
        for (int s = 0; s < shards; s++) {
            Arrays.fill(appliedNext[s], 1);
            Arrays.fill(cutNext[s], 1);
            firstResults[s] = new HashMap<>();
            charged[s] = new TreeSet<>();
            openSwaps[s] = new TreeMap<>();
            for (final Map.Entry<Integer, Long> e : workload.genesisSupply(s).entrySet()) {
                supplyByShard.put(supplyKey(s, e.getKey()), e.getValue());
                book(e.getKey()).supply += e.getValue();
            }
        }
        workload.genesisSupply().forEach((asset, amount) -> book(asset).genesis = amount);
        for (final Workload.ClientTx tx : workload.transactions()) {
            if (tx.kind().isCrossSwap()) {
                swaps.put(Workload.hex(tx.id()), new SwapCase(tx));
            }
        }
    }

    // ------------------------------------------------------------------------------- one canonical height

    /** Shard {@code shard}'s canonical validator executed {@code subDag} with these results and effects. */
    void onHeight(final int shard, final CommittedSubDag subDag, final ExecResult[] results, final HeightEffects effects,
                  final long nowNs) {
        final Set<Integer> touched = new TreeSet<>();
        final Map<String, Receipt> creditedTransfers = new TreeMap<>();
        int i = 0;
        for (final Block block : subDag.blocks()) {
            view.wrap(block.encoded());
            for (int t = 0; t < block.transactionCount(); t++) {
                final int offset = block.transactionOffset(t);
                final int length = block.transactionLength(t);
                if (Templates.templateId(view, offset) == Templates.CERTIFIED_MESSAGE) {
                    onBatchApplied(shard, view, offset, length, results[i++], effects.consensusTimeMs, nowNs, touched,
                        creditedTransfers);
                } else {
                    onUserTransaction(shard, SimCrypto.nonce(block.encoded(), offset), results[i++],
                        effects.consensusTimeMs, nowNs, touched);
                }
            }
        }
        onBatchesCut(shard, effects.batches, nowNs, touched);
        onAssetImages(shard, effects.assets, touched);
        onSettled(shard, effects.settled, creditedTransfers);
        onSwapImages(shard, effects.swaps);
        checkEscrowAges(shard, effects.consensusTimeMs);
        checkSupply(touched, shard, effects.height);
    }

    private void onUserTransaction(final int shard, final long nonce, final ExecResult result, final long nowMs,
                                   final long nowNs, final Set<Integer> touched) {
        final Workload.ClientTx tx = workload.byNonce(nonce);
        if (tx == null) {
            return; // Checker reports transactions nobody submitted
        }
        final String id = Workload.hex(tx.id());
        checkResult(shard, tx, id, result, nowMs);
        if (Shards.shardOf(tx.sender(), shards) == shard && !UNCHARGED.contains(result)) {
            burnFee(shard, id, touched, "nonce " + nonce);
        }
        if (tx.kind() == Workload.Kind.CREATE_ASSET && result == ExecResult.SUCCESS) {
            book(tx.assetA()).minted += tx.amountA();
            touched.add(tx.assetA());
        }
        if (tx.kind().isCrossSwap() && (result == ExecResult.SUCCESS || result == ExecResult.INSUFFICIENT_BALANCE)) {
            markOrdered(shard, swaps.get(id), nowNs);
        }
    }

    /** The first execution of a transaction on a shard must give what its kind promises; repeats are no-ops. */
    private void checkResult(final int shard, final Workload.ClientTx tx, final String id, final ExecResult result,
                             final long nowMs) {
        final ExecResult first = firstResults[shard].putIfAbsent(id, result);
        if (first == null) {
            if (!allowedFirst(tx, shard, result)) {
                violations.add("rules: " + tx.kind() + " (nonce " + tx.nonce() + ") executed on shard " + shard
                    + " as " + result + (tx.kind().expected != null ? ", expected " + tx.kind().expected : ""));
            }
            return;
        }
        final boolean expired = Long.compareUnsigned(tx.expiryMs(), nowMs) <= 0;
        final boolean ok = result == ExecResult.DUPLICATE || result == ExecResult.EXPIRED && expired
            || result == first && UNCHARGED.contains(first);
        if (!ok) {
            violations.add("exactly-once: " + tx.kind() + " (nonce " + tx.nonce() + ") executed again on shard " + shard
                + " as " + result + " after " + first);
        }
    }

    /** What the first execution of a cross-shard swap may give on either party's shard (its outcome is judged later). */
    private boolean allowedFirst(final Workload.ClientTx tx, final int shard, final ExecResult result) {
        if (!tx.kind().isCrossSwap()) {
            return result == tx.kind().expected;
        }
        final boolean aSide = shard == tx.senderShard();
        return switch (tx.kind()) {
            case CROSS_SWAP -> result == ExecResult.SUCCESS || result == ExecResult.DUPLICATE;
            case CROSS_SWAP_UNCOVERED -> result == ExecResult.DUPLICATE
                || result == (aSide ? ExecResult.SUCCESS : ExecResult.INSUFFICIENT_BALANCE);
            case CROSS_SWAP_UNFUNDED -> result == ExecResult.DUPLICATE
                || result == (aSide ? ExecResult.INSUFFICIENT_FEE : ExecResult.SUCCESS);
            default -> result != ExecResult.INVALID && result != ExecResult.WRONG_SHARD;
        };
    }

    private void burnFee(final int shard, final String id, final Set<Integer> touched, final String what) {
        if (!charged[shard].add(id)) {
            violations.add("exactly-once: the fee of " + what + " was charged twice on shard " + shard);
        }
        book(0).burned += Workload.FEE;
        touched.add(0);
    }

    private void markOrdered(final int shard, final SwapCase swap, final long nowNs) {
        final int side = swap.side(shard);
        if (swap.ordered[side]) {
            violations.add("swap: nonce " + swap.tx.nonce() + " ordered twice on shard " + shard);
        }
        swap.ordered[side] = true;
        if (swap.orderedAtNs < 0) {
            swap.orderedAtNs = nowNs;
        }
        lastCrossWorkNs = Math.max(lastCrossWorkNs, nowNs);
    }

    // ------------------------------------------------------------------------------- certified batches

    private void onBatchApplied(final int dest, final DirectBuffer buffer, final int offset, final int length,
                                final ExecResult result, final long nowMs, final long nowNs, final Set<Integer> touched,
                                final Map<String, Receipt> creditedTransfers) {
        certifiedInBlocks++;
        certifiedBytes += length;
        certifiedResults.merge(result, 1L, Long::sum);
        if (result != ExecResult.SUCCESS) {
            return; // refused (forged, replayed, early): nothing of it may have been applied, which the books check
        }
        final int source = BatchCodec.sourceShard(buffer, offset);
        final long seq = BatchCodec.seq(buffer, offset);
        checkStream(source, dest, seq, buffer, offset, length);
        final Long cutNs = cutAtNs.remove(batchKey(source, dest, seq));
        if (cutNs != null && cutNs >= scenario.healAtNs()) {
            maxHopNs = Math.max(maxHopNs, nowNs - cutNs);
        }
        batch.wrapAndApplyHeader(buffer, offset, header);
        for (final CertifiedMessageDecoder.ReceiptsDecoder r : batch.receipts()) {
            final byte[] txId = new byte[32];
            final byte[] to = new byte[32];
            r.getTxId(txId, 0, 32);
            r.getTo(to, 0, 32);
            credit(source, dest, txId, to, (int) r.assetId(), r.amount(), touched, creditedTransfers);
        }
        for (final CertifiedMessageDecoder.VotesDecoder v : batch.votes()) {
            final byte[] swapId = new byte[32];
            v.getSwapId(swapId, 0, 32);
            v.skipSwap();
            onVote(dest, swapId, v.vote(), nowMs, nowNs, touched);
        }
    }

    /** An applied batch is the next of its stream and exactly the bytes its source cut. */
    private void checkStream(final int source, final int dest, final long seq, final DirectBuffer buffer,
                             final int offset, final int length) {
        if (seq != appliedNext[dest][source]) {
            violations.add("exactly-once: shard " + dest + " applied batch " + seq + " of shard " + source
                + "'s stream when " + appliedNext[dest][source] + " was next (replayed or out of order)");
        }
        appliedNext[dest][source] = Math.max(appliedNext[dest][source], seq + 1);
        final byte[] cut = cutBatches.get(batchKey(source, dest, seq));
        final byte[] applied = new byte[SignedRegion.signedLength(buffer, offset, length)];
        buffer.getBytes(offset, applied);
        if (cut == null) {
            violations.add("certificate: shard " + dest + " applied batch " + seq + " from shard " + source
                + ", which shard " + source + " never cut");
        } else if (!Arrays.equals(cut, applied)) {
            violations.add("certificate: shard " + dest + " applied a batch " + seq + " from shard " + source
                + " that differs from the one shard " + source + " cut (a conflicting batch was certified)");
        }
    }

    private void credit(final int source, final int dest, final byte[] txId, final byte[] to, final int assetId,
                        final long amount, final Set<Integer> touched, final Map<String, Receipt> creditedTransfers) {
        book(assetId).credited += amount;
        touched.add(assetId);
        final String key = receiptKey(source, txId);
        final Receipt receipt = receipts.get(key);
        if (receipt == null) {
            violations.add("exactly-once: shard " + dest + " credited a receipt shard " + source
                + " never cut (" + amount + " of asset " + assetId + ")");
            return;
        }
        if (receipt.credited) {
            violations.add("exactly-once: receipt " + key.substring(0, Math.min(key.length(), 20)) + " from shard "
                + source + " credited twice on shard " + dest);
        }
        if (receipt.dest != dest || !Arrays.equals(receipt.to, to) || receipt.assetId != assetId
            || receipt.amount != amount) {
            violations.add("exactly-once: shard " + dest + " credited receipt of shard " + source
                + " on other terms than it was cut");
        }
        receipt.credited = true;
        if (!receipt.swapPayout) {
            creditedTransfers.put(Workload.hex(txId), receipt);
        }
    }

    /** A vote reached the other party's shard: the first one orders the swap there (and charges partyA's fee there). */
    private void onVote(final int shard, final byte[] swapId, final SwapVote vote, final long nowMs, final long nowNs,
                        final Set<Integer> touched) {
        final String id = Workload.hex(swapId);
        final SwapCase swap = swaps.get(id);
        if (swap == null) {
            violations.add("swap: shard " + shard + " applied a vote for a swap no client sent");
            return;
        }
        final int side = swap.side(shard);
        if (swap.ordered[side]) {
            return;
        }
        markOrdered(shard, swap, nowNs);
        final Workload.ClientTx tx = swap.tx;
        if (side == 0 && Long.compareUnsigned(tx.expiryMs(), nowMs) > 0 && workload.funded(tx.sender())) {
            burnFee(shard, id, touched, "swap nonce " + tx.nonce() + " (ordered by a vote)");
        }
    }

    // ------------------------------------------------------------------------------- what a height cut and wrote

    private void onBatchesCut(final int source, final List<HeightEffects.OutboundBatch> batches, final long nowNs,
                              final Set<Integer> touched) {
        for (final HeightEffects.OutboundBatch b : batches) {
            final int dest = b.destShard();
            if (b.seq() != cutNext[source][dest]) {
                violations.add("stream: shard " + source + " cut batch " + b.seq() + " for shard " + dest + " when "
                    + cutNext[source][dest] + " was next");
            }
            cutNext[source][dest] = b.seq() + 1;
            cutBatches.put(batchKey(source, dest, b.seq()), b.prefix());
            cutAtNs.put(batchKey(source, dest, b.seq()), nowNs);
            lastCrossWorkNs = Math.max(lastCrossWorkNs, nowNs);
            final byte[] probe = BatchCodec.certify(b.prefix(), new int[] {0}, new byte[][] {new byte[64]}, 1);
            batch.wrapAndApplyHeader(new UnsafeBuffer(probe), 0, header);
            for (final CertifiedMessageDecoder.ReceiptsDecoder r : batch.receipts()) {
                final byte[] txId = new byte[32];
                final byte[] to = new byte[32];
                r.getTxId(txId, 0, 32);
                r.getTo(to, 0, 32);
                onReceiptCut(source, dest, txId, to, (int) r.assetId(), r.amount(), nowNs);
                book((int) r.assetId()).cut += r.amount();
                touched.add((int) r.assetId());
            }
        }
    }

    private void onReceiptCut(final int source, final int dest, final byte[] txId, final byte[] to, final int assetId,
                              final long amount, final long nowNs) {
        final SwapCase swap = swaps.get(Workload.hex(txId));
        final Workload.ClientTx tx = workload.byId(txId);
        if (receipts.put(receiptKey(source, txId), new Receipt(source, dest, to, assetId, amount, nowNs, swap != null))
            != null) {
            violations.add("exactly-once: shard " + source + " cut the receipt of one transaction twice");
        }
        if (swap != null) {
            checkPayout(swap, source, dest, to, assetId, amount);
        } else if (tx == null || tx.kind() != Workload.Kind.CROSS_TRANSFER || tx.senderShard() != source
            || tx.otherShard() != dest || !Arrays.equals(tx.other(), to) || tx.assetA() != assetId
            || tx.amountA() != amount) {
            violations.add("receipt: shard " + source + " cut a receipt for shard " + dest
                + " that no cross-shard transfer asked for");
        } else {
            crossTransfers++;
        }
    }

    /** A committed swap pays each leg out to the counterparty, on the terms both signed. */
    private void checkPayout(final SwapCase swap, final int source, final int dest, final byte[] to, final int assetId,
                             final long amount) {
        final Workload.ClientTx tx = swap.tx;
        final int side = swap.side(source);
        final boolean terms = side == 0
            ? dest == tx.otherShard() && Arrays.equals(to, tx.other()) && assetId == tx.assetA() && amount == tx.amountA()
            : dest == tx.senderShard() && Arrays.equals(to, tx.sender()) && assetId == tx.assetB() && amount == tx.amountB();
        if (!terms || swap.payoutCut[side]) {
            violations.add("swap: shard " + source + " paid out swap nonce " + tx.nonce()
                + (terms ? " twice" : " on other terms than signed"));
        }
        swap.payoutCut[side] = true;
    }

    private void onAssetImages(final int shard, final List<HeightEffects.AssetImage> assets, final Set<Integer> touched) {
        for (final HeightEffects.AssetImage a : assets) {
            final Long old = supplyByShard.put(supplyKey(shard, a.assetId()), a.supply());
            book(a.assetId()).supply += a.supply() - (old == null ? 0 : old);
            touched.add(a.assetId());
        }
    }

    private void onSettled(final int shard, final List<HeightEffects.Outcome> settled,
                           final Map<String, Receipt> creditedTransfers) {
        for (final HeightEffects.Outcome o : settled) {
            final String id = Workload.hex(o.txId());
            final SwapCase swap = swaps.get(id);
            if (swap != null) {
                settleSwap(shard, swap, o.result());
            } else {
                final Receipt receipt = creditedTransfers.remove(id);
                if (receipt == null || receipt.settled) {
                    violations.add("settled: shard " + shard + " settled a transfer it did not credit in that height");
                } else {
                    receipt.settled = true;
                    settledTransfers++;
                }
            }
        }
        if (!creditedTransfers.isEmpty()) {
            violations.add("settled: shard " + shard + " credited " + creditedTransfers.size()
                + " transfers without announcing them SETTLED");
        }
    }

    private void settleSwap(final int shard, final SwapCase swap, final ExecResult result) {
        final int side = swap.side(shard);
        if (swap.outcome[side] != null || result != ExecResult.SUCCESS && result != ExecResult.SWAP_ABORTED) {
            violations.add("swap: nonce " + swap.tx.nonce() + " settled " + result + " on shard " + shard
                + (swap.outcome[side] != null ? " after " + swap.outcome[side] : ""));
        }
        swap.outcome[side] = result;
        final ExecResult other = swap.outcome[1 - side];
        if (other != null && other != result) {
            violations.add("atomicity: swap nonce " + swap.tx.nonce() + " (" + swap.tx.kind() + ") settled " + other
                + " on shard " + swap.shard[1 - side] + " but " + result + " on shard " + shard);
        }
    }

    private void onSwapImages(final int shard, final List<HeightEffects.SwapImage> images) {
        for (final HeightEffects.SwapImage image : images) {
            final String id = Workload.hex(image.swapId());
            if (image.record() == null) {
                openSwaps[shard].remove(id);
            } else {
                openSwaps[shard].put(id, image.record());
            }
        }
    }

    /** Once the shards can reach each other, an escrow outlives its swap's expiry by a bounded time at most. */
    private void checkEscrowAges(final int shard, final long nowMs) {
        final long reachableFromMs = scenario.faultFree() ? 0 : scenario.healAtNs() / Scenario.MS;
        final long bound = scenario.faultFree() ? ESCROW_BOUND_FAULT_FREE_MS : ESCROW_BOUND_MS;
        for (final Map.Entry<String, SwapRecord> e : openSwaps[shard].entrySet()) {
            final SwapRecord r = e.getValue();
            if (r.escrowed() > 0 && nowMs - Math.max(r.expiryMs(), reachableFromMs) > bound
                && reportedEscrows.add(e.getKey())) {
                violations.add("escrow: shard " + shard + " still holds an escrow of " + r.escrowed() + " at "
                    + nowMs + " ms for a swap that expired at " + r.expiryMs() + " ms (" + r + ")");
            }
        }
    }

    private void checkSupply(final Set<Integer> touched, final int shard, final long height) {
        for (final int asset : touched) {
            final Book b = book(asset);
            if (b.actual() != b.expected() && !b.reported) {
                b.reported = true;
                violations.add("supply: asset " + asset + " after height " + height + " of shard " + shard
                    + ": shards hold " + b.supply + " with " + (b.cut - b.credited) + " in flight, but genesis "
                    + b.genesis + " + minted " + b.minted + " - burned " + b.burned + " = " + b.expected());
            }
        }
    }

    // ------------------------------------------------------------------------------- acknowledgements

    /** Validator {@code validator} of {@code shard} learned that {@code dest} applied its batch {@code seq}. */
    void onAcknowledged(final int shard, final int validator, final int dest, final long seq) {
        if (appliedNext[dest][shard] <= seq) {
            violations.add("ack: validator " + shard + "/" + validator + " was told shard " + dest + " applied batch "
                + seq + ", but it applied only up to " + (appliedNext[dest][shard] - 1));
        }
    }

    // ------------------------------------------------------------------------------- the end

    /** Everything cross-shard begun before the settle deadline is finished; when the tail was quiet, nothing is left. */
    void checkEnd(final List<FinalState> finals) {
        final long deadline = scenario.crossSettleDeadlineNs();
        final boolean quiet = lastCrossWorkNs < scenario.crossQuietFromNs();
        checkReceiptsApplied(quiet ? Long.MAX_VALUE : deadline);
        checkTransfersSettled();
        checkSwapsDecided(deadline);
        if (quiet) {
            drainChecked = true;
            for (final FinalState f : finals) {
                if (f.atCanonicalHeight()) {
                    checkDrained(f);
                }
            }
        }
        for (final Map.Entry<Integer, Book> e : books.entrySet()) {
            if (e.getValue().actual() != e.getValue().expected() && !e.getValue().reported) {
                violations.add("supply: asset " + e.getKey() + " is not conserved at the end");
            }
        }
    }

    private void checkReceiptsApplied(final long deadline) {
        int missing = 0;
        String example = null;
        for (final Receipt r : receipts.values()) {
            if (!r.credited && r.cutAtNs < deadline) {
                missing++;
                if (example == null) {
                    example = r.amount + " of asset " + r.assetId + " from shard " + r.source + " to shard " + r.dest
                        + ", cut at " + r.cutAtNs / Scenario.MS + " ms";
                }
            }
        }
        if (missing > 0) {
            violations.add("liveness: " + missing + " cross-shard receipts never applied, e.g. " + example);
        }
    }

    /** Every cross-shard transfer submitted in time to a correct validator is SETTLED on its destination. */
    private void checkTransfersSettled() {
        for (final Workload.ClientTx tx : workload.transactions()) {
            if (tx.kind() != Workload.Kind.CROSS_TRANSFER || tx.atNs() > scenario.livenessDeadlineNs()
                || !sentToCorrect(tx)) {
                continue;
            }
            final Receipt r = receipts.get(receiptKey(tx.senderShard(), tx.id()));
            if (r == null || !r.settled) {
                violations.add("liveness: cross-shard transfer nonce " + tx.nonce() + " from shard " + tx.senderShard()
                    + " to shard " + tx.otherShard() + " submitted at " + tx.atNs() / Scenario.MS + " ms "
                    + (r == null ? "was never cut" : "was never settled"));
                return;
            }
        }
    }

    private boolean sentToCorrect(final Workload.ClientTx tx) {
        for (final Workload.Target t : tx.targets()) {
            if (scenario.isCorrect(t.shard(), t.validator())) {
                return true;
            }
        }
        return false;
    }

    private void checkSwapsDecided(final long deadline) {
        for (final SwapCase swap : swaps.values()) {
            if (swap.orderedAtNs < 0 || swap.orderedAtNs >= deadline) {
                continue;
            }
            final Workload.Kind kind = swap.tx.kind();
            final ExecResult promised = kind == Workload.Kind.CROSS_SWAP ? ExecResult.SUCCESS
                : kind == Workload.Kind.CROSS_SWAP_SHORT ? swap.outcome[0] : ExecResult.SWAP_ABORTED;
            if (swap.outcome[0] == null || swap.outcome[1] == null || swap.outcome[0] != promised
                || swap.outcome[1] != promised) {
                violations.add("swap: " + kind + " nonce " + swap.tx.nonce() + " ordered at "
                    + swap.orderedAtNs / Scenario.MS + " ms ended " + swap.outcome[0] + " on shard " + swap.shard[0]
                    + " and " + swap.outcome[1] + " on shard " + swap.shard[1]
                    + (promised != null ? ", promised " + promised : ""));
                return;
            }
            final boolean committed = promised == ExecResult.SUCCESS;
            if (swap.payoutCut[0] != committed || swap.payoutCut[1] != committed) {
                violations.add("atomicity: swap nonce " + swap.tx.nonce() + " settled " + promised + " but its payouts were "
                    + swap.payoutCut[0] + "/" + swap.payoutCut[1]);
                return;
            }
        }
    }

    private void checkDrained(final FinalState f) {
        final String who = "validator " + f.shard() + "/" + f.validator();
        if (!f.state().swaps().isEmpty()) {
            violations.add("escrow: " + who + " ends with " + f.state().swaps().size() + " open swaps, e.g. "
                + f.state().swaps().iterator().next());
        }
        for (final Map.Entry<Integer, long[]> a : f.state().assets().entrySet()) {
            if (a.getValue()[1] != 0) {
                violations.add("escrow: " + who + " ends with " + a.getValue()[1] + " of asset " + a.getKey() + " escrowed");
            }
        }
        for (int d = 0; d < shards; d++) {
            if (d != f.shard() && !f.state().outbox(d, 1).isEmpty()) {
                violations.add("liveness: " + who + " ends with " + f.state().outbox(d, 1).size()
                    + " unacknowledged batches for shard " + d + " in its outbox");
            }
        }
        if (f.relay() != null && f.relay().pendingBatches() > 0) {
            violations.add("liveness: the relay of " + who + " ends with " + f.relay().pendingBatches()
                + " batches pending");
        }
    }

    // ------------------------------------------------------------------------------- helpers

    Figures figures() {
        long committed = 0;
        long aborted = 0;
        for (final SwapCase swap : swaps.values()) {
            if (swap.outcome[0] == ExecResult.SUCCESS && swap.outcome[1] == ExecResult.SUCCESS) {
                committed++;
            } else if (swap.outcome[0] == ExecResult.SWAP_ABORTED && swap.outcome[1] == ExecResult.SWAP_ABORTED) {
                aborted++;
            }
        }
        return new Figures(crossTransfers, settledTransfers, committed, aborted, certifiedInBlocks, certifiedBytes,
            maxHopNs, Map.copyOf(certifiedResults), drainChecked);
    }

    private Book book(final int assetId) {
        return books.computeIfAbsent(assetId, a -> new Book());
    }

    private static long supplyKey(final int shard, final int assetId) {
        return (long) shard << 32 | Integer.toUnsignedLong(assetId);
    }

    private static String batchKey(final int source, final int dest, final long seq) {
        return source + ">" + dest + "#" + seq;
    }

    private static String receiptKey(final int source, final byte[] txId) {
        return source + "/" + Workload.hex(txId);
    }
}
