package io.basalt.perf.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.CryptoConfig;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.crypto.Shards;
import io.basalt.crypto.SignatureCheck;
import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.FinalityListener;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.TxState;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Signing the mixed workload and tracking its events, with Bouncy Castle keys and hand-made events. */
class MixedWorkloadTest {
    private static final Ed25519 ED25519 = Ed25519.create(CryptoConfig.of("bouncycastle"));
    private static final int SHARDS = 2;
    private static final int VALIDATORS = 4;

    @Test
    void accountsLiveOnTheirShardsAndEveryKindIsSignedByItsParties() {
        final KeyPair[][] accounts = MultiShard.accountKeys(ED25519, SHARDS, 4, 42);
        for (int s = 0; s < SHARDS; s++) {
            for (final KeyPair key : accounts[s]) {
                assertEquals(s, Shards.shardOf(key.publicKey(), SHARDS));
            }
        }
        final int[] assets = {10, 11};
        final OpenLoopSchedule schedule = OpenLoopSchedule.ofSeconds(200, 0, 0.3);
        final MixPlan plan = MixPlan.plan(schedule.total(), SHARDS, VALIDATORS, 0.4, 0.3, 1);
        final MixedWorkload w = MixedWorkload.sign(ED25519, accounts, assets, 77, 1, plan, schedule, 1_000_000, 5, 9, 2);
        assertEquals(60, w.size());
        final long[] kinds = plan.counts();
        assertTrue(kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0, Arrays.toString(kinds));
        for (int i = 0; i < w.size(); i++) {
            final byte[] tx = w.transaction(i);
            final UnsafeBuffer buffer = new UnsafeBuffer(tx);
            assertTrue(MessageValidator.validateUserTransaction(buffer, 0, tx.length).isOk());
            assertEquals(i, w.indexOf(w.id(i)));
            assertEquals(plan.submitNodes()[i], w.validator(i));
            final int signed = SignedRegion.signedLength(buffer, 0, tx.length);
            final int source = plan.sourceShards()[i];
            if (plan.kind(i) == TxKind.CROSS_SHARD_SWAP) {
                assertEquals(Templates.SWAP, Templates.templateId(buffer, 0));
                final byte[] a = key(tx, SwapDecoder.partyAEncodingOffset());
                final byte[] b = key(tx, SwapDecoder.partyBEncodingOffset());
                assertEquals(source, Shards.shardOf(a, SHARDS));
                assertEquals(plan.otherShards()[i], Shards.shardOf(b, SHARDS));
                assertEquals(assets[source], (int) buffer.getInt(Layout.MESSAGE_HEADER_LENGTH
                    + SwapDecoder.assetAEncodingOffset(), java.nio.ByteOrder.LITTLE_ENDIAN));
                assertEquals(SignatureCheck.VALID, check(a, tx, signed, SignedRegion.signatureOffset(buffer, 0, tx.length, 0)));
                assertEquals(SignatureCheck.VALID, check(b, tx, signed, SignedRegion.signatureOffset(buffer, 0, tx.length, 1)));
            } else {
                assertEquals(Templates.TRANSFER, Templates.templateId(buffer, 0));
                final byte[] from = key(tx, TransferDecoder.fromEncodingOffset());
                final byte[] to = key(tx, TransferDecoder.toEncodingOffset());
                assertEquals(source, Shards.shardOf(from, SHARDS));
                final int expected = plan.kind(i) == TxKind.CROSS_SHARD_TRANSFER ? plan.otherShards()[i] : source;
                assertEquals(expected, Shards.shardOf(to, SHARDS));
                assertEquals(SignatureCheck.VALID, check(from, tx, signed, SignedRegion.signatureOffset(buffer, 0, tx.length, 0)));
            }
        }
    }

    @Test
    void trackerRecordsEachSlotOnItsValidatorOnlyAndCountsDone() {
        final KeyPair[][] accounts = MultiShard.accountKeys(ED25519, SHARDS, 3, 1);
        final OpenLoopSchedule schedule = OpenLoopSchedule.ofSeconds(100, 0, 0.2);
        final MixPlan plan = MixPlan.plan(schedule.total(), SHARDS, VALIDATORS, 0.5, 0.25, 3);
        final MixedWorkload w = MixedWorkload.sign(ED25519, accounts, new int[] {2, 3}, 1, 1, plan, schedule,
            1_000_000, 0, 4, 1);
        final MixedTracker tracker = new MixedTracker();
        final FinalityListener[] listeners = new FinalityListener[SHARDS * VALIDATORS];
        for (int g = 0; g < listeners.length; g++) {
            listeners[g] = tracker.listener(g);
        }
        tracker.begin(w, System.nanoTime() - 1_000_000);
        int expectedDone = 0;
        int failedCross = -1;
        for (int i = 0; i < w.size(); i++) {
            final byte[] id = w.id(i);
            final int here = plan.submitNodes()[i];
            // ACCEPTED, and COMMITTED on every validator of the shard: only the submitting one counts.
            listeners[here].onFinality(new FinalityEvent(id, TxState.ACCEPTED, 0, 0, 0));
            final int shardStart = plan.sourceShards()[i] * VALIDATORS;
            final boolean fail = plan.kind(i) == TxKind.CROSS_SHARD_TRANSFER && failedCross < 0;
            for (int g = shardStart; g < shardStart + VALIDATORS; g++) {
                final int result = fail && g == here ? ExecResult.INSUFFICIENT_BALANCE.code() : 0;
                listeners[g].onFinality(new FinalityEvent(id, TxState.COMMITTED, result, 1, 1));
            }
            if (fail) {
                failedCross = i;
                expectedDone++; // nothing will settle
                continue;
            }
            if (plan.kind(i).crossShard()) {
                // SETTLED on a validator that is neither: ignored; then on the other shard's validator 0 and here.
                final int otherShardV1 = plan.otherShards()[i] * VALIDATORS + 1;
                listeners[otherShardV1].onFinality(new FinalityEvent(id, TxState.SETTLED, 0, 2, 2));
                assertEquals(expectedDone, tracker.done(), "not done before both SETTLED are seen");
                listeners[plan.otherNodes()[i]].onFinality(new FinalityEvent(id, TxState.SETTLED, 0, 2, 2));
                listeners[here].onFinality(new FinalityEvent(id, TxState.SETTLED,
                    plan.kind(i) == TxKind.CROSS_SHARD_SWAP ? ExecResult.SWAP_ABORTED.code() : 0, 3, 3));
                // A repeat changes nothing.
                listeners[here].onFinality(new FinalityEvent(id, TxState.SETTLED, 0, 3, 3));
            }
            expectedDone++;
            assertEquals(expectedDone, tracker.done());
        }
        // Events of another step's transactions are ignored.
        listeners[0].onFinality(new FinalityEvent(new byte[32], TxState.COMMITTED, 0, 1, 1));
        assertEquals(w.size(), tracker.done());
        final MixedTracker.Recorded recorded = tracker.end();
        for (int i = 0; i < w.size(); i++) {
            assertTrue(recorded.timesNs()[MixedTracker.COMMITTED_HERE][i] > 0);
            final boolean settles = plan.kind(i).crossShard() && i != failedCross;
            assertEquals(settles, recorded.timesNs()[MixedTracker.SETTLED_HERE][i] > 0, "slot 1 of " + i);
            assertEquals(settles, recorded.timesNs()[MixedTracker.SETTLED_THERE][i] > 0, "slot 2 of " + i);
            if (plan.kind(i) == TxKind.CROSS_SHARD_SWAP) {
                assertEquals(ExecResult.SWAP_ABORTED.code(), recorded.results()[MixedTracker.SETTLED_HERE][i]);
            }
        }
        assertEquals(ExecResult.INSUFFICIENT_BALANCE.code(), recorded.results()[MixedTracker.COMMITTED_HERE][failedCross]);
    }

    private static byte[] key(final byte[] tx, final int fieldOffset) {
        final int at = Layout.MESSAGE_HEADER_LENGTH + fieldOffset;
        return Arrays.copyOfRange(tx, at, at + Layout.KEY_LENGTH);
    }

    private static SignatureCheck check(final byte[] key, final byte[] tx, final int signed, final int signatureAt) {
        return ED25519.check(key, 0, tx, 0, signed, tx, signatureAt);
    }
}
