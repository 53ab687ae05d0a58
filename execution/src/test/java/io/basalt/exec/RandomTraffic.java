package io.basalt.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.Templates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Seeded random traffic over a {@link TestNetwork}: transfers and swaps inside and across shards,
 * asset creations, resubmissions, relays in order, out of order and replayed, and time jumps that
 * expire transactions in flight. It records what it did so that {@link #checkAfterDrain} can judge
 * the end state against oracles that do not reuse the rules: money is conserved, every
 * cross-shard outcome settles exactly once and both shards of a swap agree, nothing stays escrowed.
 */
final class RandomTraffic {
    /**
     * Results the guard list gives: the fee was not charged. (INVALID is not among them: every
     * transaction here is well formed, and CREATE_ASSET of asset 0 is INVALID after the fee.)
     */
    private static final Set<ExecResult> UNCHARGED = EnumSet.of(ExecResult.WRONG_NETWORK, ExecResult.EXPIRED,
        ExecResult.DUPLICATE, ExecResult.WRONG_SHARD, ExecResult.INSUFFICIENT_FEE);

    private final TestNetwork net;
    private final Random r;
    private final List<byte[]> built = new ArrayList<>();
    private final List<byte[]> crossSwaps = new ArrayList<>();
    private final List<byte[]> crossTransfersSent = new ArrayList<>();
    private final List<byte[]> delivered = new ArrayList<>();
    private final Map<Integer, Long> minted = new HashMap<>();
    /** Swap ids some shard ordered from a client copy (so partyA's shard charged or will not charge by vote). */
    private final Set<ByteKey> chargedOnClientPath = new HashSet<>();
    private final Set<ByteKey> ordered = new HashSet<>();
    private long certainFees;
    private int nextAsset = 1;

    RandomTraffic(final TestNetwork net, final long seed) {
        this.net = net;
        this.r = new Random(seed);
    }

    void run(final int steps) {
        for (int i = 0; i < steps; i++) {
            step();
        }
    }

    private void step() {
        final int action = r.nextInt(100);
        if (action < 18) {
            submit(sameShardTransfer());
        } else if (action < 36) {
            submit(crossShardTransfer());
        } else if (action < 52) {
            crossShardSwap();
        } else if (action < 57) {
            submit(sameShardSwap());
        } else if (action < 63) {
            submit(createAsset());
        } else if (action < 68 && !built.isEmpty()) {
            resubmit();
        } else if (action < 82) {
            relayAll();
        } else if (action < 88) {
            relayReversed();
        } else if (action < 92 && !delivered.isEmpty()) {
            replayDelivered();
        } else if (action < 96) {
            net.advance(r.nextInt(40_000));
        } else {
            burst();
        }
    }

    // ------------------------------------------------------------------------------ actions

    private byte[] sameShardTransfer() {
        final int s = r.nextInt(net.shardCount);
        final KeyPair from = funded(s);
        final KeyPair to = anyOn(s);
        final int asset = assetOn(s);
        return net.transfer(from, to, asset, amount(net.shard(s).balance(from, asset)));
    }

    private byte[] crossShardTransfer() {
        final int s = r.nextInt(net.shardCount);
        final int t = other(s);
        final KeyPair from = funded(s);
        final int asset = assetOn(s);
        return net.transfer(from, anyOn(t), asset, amount(net.shard(s).balance(from, asset)));
    }

    private byte[] sameShardSwap() {
        final int s = r.nextInt(net.shardCount);
        final KeyPair a = funded(s);
        final KeyPair b = funded(s);
        final int assetA = assetOn(s);
        final int assetB = assetOn(s);
        return net.swap(a, assetA, amount(net.shard(s).balance(a, assetA)), b, assetB,
            amount(net.shard(s).balance(b, assetB)));
    }

    private void crossShardSwap() {
        final int sa = r.nextInt(net.shardCount);
        final int sb = other(sa);
        final KeyPair a = funded(sa);
        final KeyPair b = funded(sb);
        final int assetA = assetOn(sa);
        final int assetB = assetOn(sb);
        final long ttl = 2_000 + r.nextInt(40_000);
        final byte[] swap = net.swap(TestNetwork.NETWORK_ID, net.fee, net.nowMs + ttl, a, assetA,
            amount(net.shard(sa).balance(a, assetA)), b, assetB, amount(net.shard(sb).balance(b, assetB)));
        crossSwaps.add(swap);
        switch (r.nextInt(4)) {
            case 0 -> submitTo(sb, swap);
            case 1 -> {
                submitTo(sa, swap);
                submitTo(sb, swap);
            }
            default -> submitTo(sa, swap);
        }
    }

    private byte[] createAsset() {
        final int s = r.nextInt(net.shardCount);
        final int choice = r.nextInt(10);
        final int id;
        if (choice < 6) {
            // A fresh id of this shard's residue class.
            id = (nextAsset++) * net.shardCount + s;
        } else if (choice < 8) {
            id = 1 + r.nextInt(12); // maybe another shard's, maybe existing
        } else {
            id = 0;
        }
        return net.createAsset(funded(s), id, 1 + r.nextInt(1_000_000));
    }

    private void resubmit() {
        final byte[] tx = built.get(r.nextInt(built.size()));
        executeOn(r.nextInt(net.shardCount), List.of(tx));
    }

    private void burst() {
        final int s = r.nextInt(net.shardCount);
        final List<byte[]> txs = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            final byte[] tx = r.nextBoolean() ? sameShardTransfer() : crossShardTransfer();
            if (r.nextInt(5) == 0 && !txs.isEmpty()) {
                txs.add(txs.get(0)); // the same bytes twice in one height
            }
            built.add(tx);
            txs.add(tx);
        }
        executeOn(s, txs);
    }

    private void relayAll() {
        final int from = r.nextInt(net.shardCount);
        final int to = other(from);
        if (net.pendingPrefixes(from, to).isEmpty()) {
            return;
        }
        final TestNetwork.Delivery d = net.relay(from, to);
        for (final ExecResult result : d.height().results()) {
            assertEquals(ExecResult.SUCCESS, result, "a genuine batch in order applies");
        }
        delivered.addAll(d.certified());
    }

    /** Delivers the pending batches newest first: all but the oldest are ahead of the stream. */
    private void relayReversed() {
        final int from = r.nextInt(net.shardCount);
        final int to = other(from);
        final List<byte[]> prefixes = net.pendingPrefixes(from, to);
        if (prefixes.isEmpty()) {
            return;
        }
        final List<byte[]> certified = new ArrayList<>();
        for (int i = prefixes.size() - 1; i >= 0; i--) {
            certified.add(net.certify(prefixes.get(i), from, new int[] {1, 2, 3}));
        }
        final TestNetwork.Height h = net.shard(to).run(certified.toArray(new byte[0][]));
        for (int i = 0; i < certified.size() - 1; i++) {
            assertEquals(ExecResult.OUT_OF_ORDER, h.result(i));
        }
        assertEquals(ExecResult.SUCCESS, h.result(certified.size() - 1));
        delivered.add(certified.get(certified.size() - 1));
    }

    private void replayDelivered() {
        final byte[] certified = delivered.get(r.nextInt(delivered.size()));
        final int dest = io.basalt.xshard.BatchCodec.destShard(new UnsafeBuffer(certified), 0);
        assertEquals(ExecResult.DUPLICATE, net.shard(dest).run(certified).result(0));
    }

    // ------------------------------------------------------------------------------ execution and bookkeeping

    private void submit(final byte[] tx) {
        // Mostly to the sender's shard; sometimes to a wrong one.
        final int home = Shards.shardOf(senderOf(tx), net.shardCount);
        submitTo(r.nextInt(8) == 0 ? r.nextInt(net.shardCount) : home, tx);
    }

    private void submitTo(final int shard, final byte[] tx) {
        built.add(tx);
        executeOn(shard, List.of(tx));
    }

    private void executeOn(final int shard, final List<byte[]> txs) {
        final TestNetwork.Height h = net.shard(shard).run(txs.toArray(new byte[0][]));
        for (int i = 0; i < txs.size(); i++) {
            account(shard, txs.get(i), h.result(i));
        }
    }

    /** Books what the oracles need from one executed user transaction. */
    private void account(final int shard, final byte[] tx, final ExecResult result) {
        final UnsafeBuffer b = new UnsafeBuffer(tx);
        final int template = Templates.templateId(b, 0);
        final TxView view = new TxView();
        view.wrap(b, 0, tx.length);
        final boolean senderHere = Shards.shardOf(view.sender, net.shardCount) == shard;
        final boolean crossSwap = template == Templates.SWAP
            && Shards.shardOf(view.sender, net.shardCount) != Shards.shardOf(view.other, net.shardCount);
        if (UNCHARGED.contains(result)) {
            return;
        }
        if (crossSwap) {
            ordered.add(new ByteKey(view.id.clone()));
        }
        if (senderHere) {
            certainFees++;
            if (crossSwap) {
                chargedOnClientPath.add(new ByteKey(view.id.clone()));
            }
        }
        if (result != ExecResult.SUCCESS) {
            return;
        }
        if (template == Templates.CREATE_ASSET) {
            minted.merge((int) view.createAsset.assetId(), view.createAsset.supply(), Long::sum);
        } else if (template == Templates.TRANSFER
            && Shards.shardOf(view.other, net.shardCount) != Shards.shardOf(view.sender, net.shardCount)) {
            crossTransfersSent.add(view.id.clone());
        }
    }

    // ------------------------------------------------------------------------------ oracles

    /** Drains every stream, then judges the end state. */
    void checkAfterDrain() {
        net.drain();
        for (final TestNetwork.Shard s : net.shards) {
            assertTrue(s.state.swaps().isEmpty(), "shard " + s.id + " keeps swap records " + s.state.swaps());
            for (final Map.Entry<Integer, long[]> a : s.state.assets().entrySet()) {
                assertEquals(0, a.getValue()[1], "asset " + a.getKey() + " still escrowed on shard " + s.id);
            }
        }
        for (final Map.Entry<Integer, Long> m : minted.entrySet()) {
            assertEquals((long) m.getValue(), net.networkSupply(m.getKey()), "asset " + m.getKey() + " conserved");
            assertEquals((long) m.getValue(), net.heldByAccounts(m.getKey()));
        }
        final long burned = net.genesisNative() - net.networkSupply(0);
        assertEquals(net.networkSupply(0), net.heldByAccounts(0), "asset 0 is all in accounts");
        if (net.fee > 0) {
            assertEquals(0, burned % net.fee, "asset 0 only ever burns whole fees: " + burned);
        }
        long votedCharges = 0;
        for (final ByteKey id : ordered) {
            if (!chargedOnClientPath.contains(id)) {
                votedCharges++;
            }
        }
        // A swap ordered on partyA's shard only through the other shard's vote paid there when that
        // shard's guards passed; the oracle does not decide that, so each may or may not have paid.
        final long upper = certainFees + votedCharges;
        assertTrue(burned >= certainFees * net.fee && burned <= upper * net.fee,
            "burned " + burned + " outside [" + certainFees + ", " + upper + "] fees");
        for (final byte[] id : crossTransfersSent) {
            int settledSomewhere = 0;
            for (final TestNetwork.Shard s : net.shards) {
                final List<ExecResult> history = s.settledHistory(id);
                if (!history.isEmpty()) {
                    assertEquals(List.of(ExecResult.SUCCESS), history);
                    settledSomewhere++;
                }
            }
            assertEquals(1, settledSomewhere, "a cross-shard transfer settles on its destination, once");
        }
        for (final byte[] swap : crossSwaps) {
            final TxView v = new TxView();
            v.wrap(new UnsafeBuffer(swap), 0, swap.length);
            final List<ExecResult> onA = net.shard(Shards.shardOf(v.sender, net.shardCount)).settledHistory(v.id);
            final List<ExecResult> onB = net.shard(Shards.shardOf(v.other, net.shardCount)).settledHistory(v.id);
            assertEquals(onA, onB, "both shards of a swap reach the same outcome");
            final boolean wasOrdered = ordered.contains(new ByteKey(v.id.clone()));
            assertEquals(wasOrdered ? 1 : 0, onA.size(), "a swap ordered anywhere settles exactly once: " + onA);
        }
    }

    // ------------------------------------------------------------------------------ choices

    private KeyPair funded(final int shard) {
        return net.account(shard, r.nextInt(TestNetwork.FUNDED_PER_SHARD));
    }

    private KeyPair anyOn(final int shard) {
        return net.account(shard, r.nextInt(TestNetwork.FUNDED_PER_SHARD + TestNetwork.UNFUNDED_PER_SHARD));
    }

    private int other(final int shard) {
        return (shard + 1 + r.nextInt(net.shardCount - 1)) % net.shardCount;
    }

    /** Asset 0 or one that is known on {@code shard}. */
    private int assetOn(final int shard) {
        final List<Integer> known = new ArrayList<>(net.shard(shard).state.assets().keySet());
        return r.nextInt(3) == 0 ? known.get(r.nextInt(known.size())) : 0;
    }

    /** Usually affordable, sometimes not, sometimes all of it. */
    private long amount(final long balance) {
        return switch (r.nextInt(10)) {
            case 0 -> balance + 1 + r.nextInt(10);
            case 1 -> balance;
            case 2 -> 0;
            default -> balance <= 0 ? r.nextInt(5) : 1 + (long) (r.nextDouble() * (balance / 4.0));
        };
    }

    private static byte[] senderOf(final byte[] tx) {
        final TxView v = new TxView();
        v.wrap(new UnsafeBuffer(tx), 0, tx.length);
        return v.sender.clone();
    }

    static boolean sameRecords(final TestNetwork x, final TestNetwork y) {
        for (int s = 0; s < x.shardCount; s++) {
            final List<TestNetwork.Height> hx = x.shard(s).heights;
            final List<TestNetwork.Height> hy = y.shard(s).heights;
            if (hx.size() != hy.size()) {
                return false;
            }
            for (int i = 0; i < hx.size(); i++) {
                if (!Arrays.equals(hx.get(i).record(), hy.get(i).record())) {
                    return false;
                }
            }
        }
        return true;
    }
}
