package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.TxStatus;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Resubmission} against fake validators of one shard that share a ledger: a validator that accepts and is
 * then killed, one that is down from the start, one that already holds the transaction (DUPLICATE), one whose
 * consensus time is past the expiry. The duplicate path also runs through the real HTTP client and gateway.
 */
@Timeout(30)
class ResubmissionTest {
    private static final KeyPair ALICE = TestNode.key(1);
    private static final KeyPair BOB = TestNode.key(2);
    private static final ResubmitPolicy FAST = new ResubmitPolicy(Duration.ofMillis(100), ResubmitPolicy.UNTIL_EXPIRY);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService queries = Executors.newVirtualThreadPerTaskExecutor();
    private final TransactionBuilder builder = new TransactionBuilder(TestNode.ED25519, TestNode.NETWORK_ID, TestNode.FEE);
    private final FakeShard shard = new FakeShard();
    private final byte[] tx = builder.transfer(ALICE, BOB.publicKey(), 0, 5, 1_700_000_010_000L).bytes();
    private final String txId = Hex.encode(TransactionBuilder.txId(tx));

    @AfterEach
    void stop() {
        timer.shutdownNow();
        queries.shutdownNow();
    }

    @Test
    void acceptedByAValidatorKilledBeforeProposingItCommitsThroughTheNext() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator second = shard.validator(true);
        final CompletableFuture<Finality> result = start(FAST, first, second);
        first.awaitSubmissions(1);
        first.kill();

        final Finality finality = result.get(10, TimeUnit.SECONDS);
        assertTrue(finality.succeeded(), finality.describe());
        assertEquals(List.of(txId), second.submittedIds());
        assertEquals(TxState.COMMITTED, second.txStatus(Hex.decode(txId)).state());
    }

    @Test
    void aCallersCallbackThatBlocksDoesNotHoldUpTheOtherAttempts() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator second = shard.validator(true);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final CompletableFuture<Finality> result = start(FAST, first, second);
        first.awaitSubmissions(1);
        final CompletableFuture<Finality> firstAttempt = first.waiting.get(txId);
        final CompletableFuture<Void> blocked = result.thenRun(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        first.kill();

        // The second validator commits; the callback now blocks. The first validator's attempt, which never answers
        // on its own, is still completed with the outcome: the blocked callback does not hold the submission.
        final Finality ofFirst = firstAttempt.get(5, TimeUnit.SECONDS);
        assertTrue(ofFirst.succeeded(), ofFirst.describe());
        assertTrue(result.isDone());
        assertFalse(blocked.isDone());
        release.countDown();
        blocked.get(5, TimeUnit.SECONDS);
    }

    @Test
    void cancellingTheCallersFutureStopsTheResubmissions() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator second = shard.validator(true);
        final CompletableFuture<Finality> result = start(FAST, first, second);
        first.awaitSubmissions(1);
        assertTrue(result.cancel(false));
        first.kill(); // without the cancel, the next tick would find it silent and resubmit to the second

        Thread.sleep(10 * FAST.interval().toMillis());
        assertEquals(List.of(), second.submittedIds());
    }

    @Test
    void aSubmissionThatFailsGoesToTheNextValidatorAtOnce() throws Exception {
        final FakeValidator down = shard.validator(true);
        down.kill();
        final FakeValidator up = shard.validator(true);
        final long startNs = System.nanoTime();
        // An interval far longer than the test: only the failed submission can have moved it on.
        final Finality finality = start(FAST.withInterval(Duration.ofMinutes(1)), down, up).get(10, TimeUnit.SECONDS);
        assertTrue(finality.succeeded(), finality.describe());
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5), "resubmitted without waiting");
        assertEquals(1, down.submissions.size());
    }

    @Test
    void aValidatorThatStillHoldsItIsLeftToFinishIt() throws Exception {
        final FakeValidator slow = shard.validator(false);
        final FakeValidator other = shard.validator(true);
        final CompletableFuture<Finality> result = start(FAST, slow, other);
        Thread.sleep(500); // five intervals, each status query answered ACCEPTED
        assertFalse(result.isDone());
        shard.commit(txId);
        assertTrue(result.get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(List.of(), other.submittedIds(), "a validator answering ACCEPTED was not given up on");
    }

    @Test
    void aDuplicateAnswerFromTheNextValidatorKeepsWaitingForTheOutcome() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator holder = shard.validator(false);
        holder.holds(txId); // it had the transaction already, e.g. from the first validator's batch
        final CompletableFuture<Finality> result = start(FAST, first, holder);
        first.awaitSubmissions(1);
        first.kill();
        holder.awaitSubmissions(1);
        Thread.sleep(300);
        assertFalse(result.isDone(), "a DUPLICATE answer is not an outcome: " + result);
        shard.commit(txId);
        final Finality finality = result.get(10, TimeUnit.SECONDS);
        assertEquals(TxState.COMMITTED, finality.state());
        assertTrue(finality.succeeded());
    }

    /** The duplicate path through the real HTTP client: a 409 DUPLICATE from the gateway, then COMMITTED by polling. */
    @Test
    void aDuplicateOverHttpIsWaitedOnUntilCommitted() throws Exception {
        try (TestNode node = new TestNode(); HttpBasaltClient http = new HttpBasaltClient(node.url())) {
            node.autoCommit = false;
            node.silentCommits = true;
            final byte[] id = TransactionBuilder.txId(tx);
            node.statuses.put(ByteBuffer.wrap(id), new TxStatus(TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0));
            final FakeValidator first = shard.validator(false);
            final CompletableFuture<Finality> result = Resubmission.start(tx, committee(first, http), FAST, timer, queries);
            first.awaitSubmissions(1);
            first.kill();
            Thread.sleep(1_500);
            assertFalse(result.isDone(), "the DUPLICATE answer ended the wait: " + result);
            assertEquals(List.of(), node.submitted, "the node holds it already and admitted no second copy");
            node.commit(id, 0);
            final Finality finality = result.get(10, TimeUnit.SECONDS);
            assertEquals(TxState.COMMITTED, finality.state());
            assertEquals(0, finality.resultCode());
        }
    }

    @Test
    void pastTheExpiryWithNoCommitAnywhereItIsReportedExpired() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator late = shard.validator(true);
        late.refuseWith = RejectCode.EXPIRED;
        final CompletableFuture<Finality> result = start(FAST, first, late);
        first.awaitSubmissions(1);
        first.kill();
        final Finality finality = result.get(10, TimeUnit.SECONDS);
        assertEquals(TxState.REJECTED, finality.state());
        assertEquals(RejectCode.EXPIRED, finality.rejectCode());
        assertFalse(finality.succeeded());
    }

    @Test
    void anExpiredRefusalOfATransactionThatCommittedBeforeItsExpiryReportsTheCommit() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator late = shard.validator(true);
        late.refuseWith = RejectCode.EXPIRED;
        final CompletableFuture<Finality> result = start(FAST, first, late);
        first.awaitSubmissions(1);
        shard.commitQuietly(txId); // in a block the others hold; the first validator dies before telling anyone
        first.kill();
        final Finality finality = result.get(10, TimeUnit.SECONDS);
        assertEquals(TxState.COMMITTED, finality.state(), finality.describe());
    }

    @Test
    void aTransientRefusalOfAResubmissionMovesOnInsteadOfEndingIt() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator busy = shard.validator(true);
        busy.refuseWith = RejectCode.OVERLOADED;
        final FakeValidator third = shard.validator(true);
        final CompletableFuture<Finality> result = start(FAST, first, busy, third);
        first.awaitSubmissions(1);
        first.kill();
        assertTrue(result.get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(1, busy.submissions.size());
    }

    @Test
    void theFirstSubmissionsRefusalIsTheAnswer() throws Exception {
        final FakeValidator refusing = shard.validator(true);
        refusing.refuseWith = RejectCode.INSUFFICIENT_FEE_BALANCE;
        final FakeValidator other = shard.validator(true);
        final Finality finality = start(FAST, refusing, other).get(10, TimeUnit.SECONDS);
        assertEquals(RejectCode.INSUFFICIENT_FEE_BALANCE, finality.rejectCode());
        assertEquals(List.of(), other.submittedIds());
    }

    @Test
    void withEveryValidatorDownTheAttemptsRunOutWithNoOutcomeNotAFailure() throws Exception {
        final FakeValidator a = shard.validator(true);
        final FakeValidator b = shard.validator(true);
        a.kill();
        b.kill();
        final CompletableFuture<Finality> result = start(FAST.withMaxAttempts(5), a, b);
        final ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
        final BasaltException cause = assertInstanceOf(BasaltException.class, e.getCause());
        assertEquals("NO_OUTCOME", cause.code());
        assertTrue(cause.getMessage().contains("may still commit"), cause.getMessage());
        assertEquals(5, a.submissions.size() + b.submissions.size());
        assertEquals(3, a.submissions.size(), "round robin from the first choice");
    }

    @Test
    void whenEveryValidatorRefusesTheConnectionItFailsAtOnceAsUnreachable() throws Exception {
        final FakeValidator a = shard.validator(true);
        final FakeValidator b = shard.validator(true);
        a.refuseConnections();
        b.refuseConnections();
        final CompletableFuture<Finality> result = start(FAST.withInterval(Duration.ofMinutes(1)), a, b);
        final ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
        assertEquals("UNREACHABLE", assertInstanceOf(BasaltException.class, e.getCause()).code());
        assertEquals(1, a.submissions.size());
        assertEquals(1, b.submissions.size());
    }

    @Test
    void aRefusedConnectionAfterAnAcceptanceElsewhereIsNoReasonToStop() throws Exception {
        final FakeValidator first = shard.validator(false);
        final FakeValidator refusing = shard.validator(true);
        refusing.refuseConnections();
        final FakeValidator third = shard.validator(true);
        final CompletableFuture<Finality> result = start(FAST, first, refusing, third);
        first.awaitSubmissions(1);
        first.kill();
        assertTrue(result.get(10, TimeUnit.SECONDS).succeeded());
        assertEquals(List.of(txId), third.submittedIds());
    }

    private CompletableFuture<Finality> start(final ResubmitPolicy policy, final FakeValidator... validators) {
        return Resubmission.start(tx, committee(validators), policy, timer, queries);
    }

    private static Resubmission.Committee committee(final BasaltClient... clients) {
        return new Resubmission.Committee() {
            @Override
            public int size() {
                return clients.length;
            }

            @Override
            public BasaltClient submitter(final int index) {
                return clients[index];
            }

            @Override
            public BasaltClient queries(final int index) {
                return clients[index];
            }
        };
    }

    /** What the validators of the fake shard have committed: a commit is known to every live validator. */
    private static final class FakeShard {
        final Map<String, Finality> committed = new ConcurrentHashMap<>();
        final List<FakeValidator> validators = new CopyOnWriteArrayList<>();

        FakeValidator validator(final boolean commitsWhatItAccepts) {
            final FakeValidator v = new FakeValidator(this, commitsWhatItAccepts);
            validators.add(v);
            return v;
        }

        void commit(final String id) {
            commitQuietly(id);
            validators.forEach(v -> v.tell(committed.get(id)));
        }

        /** Committed, with no finality pushed: only a status query finds it. */
        void commitQuietly(final String id) {
            committed.put(id, new Finality(id, TxState.COMMITTED, 0, RejectCode.NONE, 7, 1_700_000_001_000L));
        }
    }

    /**
     * A validator as {@link BasaltClient#submit} sees it: a submission fails at once when it is down; it is answered
     * REJECTED when {@link #refuseWith} says so; otherwise it waits for the shard's commit (an accepted or DUPLICATE
     * answer), which a dead validator never reports.
     */
    private static final class FakeValidator implements BasaltClient {
        final List<byte[]> submissions = new CopyOnWriteArrayList<>();
        private final FakeShard shard;
        private final boolean commitsWhatItAccepts;
        private final Map<String, CompletableFuture<Finality>> waiting = new ConcurrentHashMap<>();
        private final Map<String, Boolean> held = new ConcurrentHashMap<>();
        volatile RejectCode refuseWith;
        private volatile boolean alive = true;
        private volatile boolean refusesConnections;

        FakeValidator(final FakeShard shard, final boolean commitsWhatItAccepts) {
            this.shard = shard;
            this.commitsWhatItAccepts = commitsWhatItAccepts;
        }

        void kill() {
            alive = false;
            held.clear();
        }

        /** Down, and says so the way a closed port does: the bytes never left the client. */
        void refuseConnections() {
            kill();
            refusesConnections = true;
        }

        void holds(final String id) {
            held.put(id, true);
        }

        List<String> submittedIds() {
            final List<String> ids = new ArrayList<>();
            submissions.forEach(bytes -> ids.add(Hex.encode(TransactionBuilder.txId(bytes))));
            return ids;
        }

        void awaitSubmissions(final int count) throws InterruptedException {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (submissions.size() < count) {
                assertTrue(System.nanoTime() < deadline, "no submission reached the validator");
                Thread.sleep(5);
            }
        }

        void tell(final Finality outcome) {
            if (alive) {
                final CompletableFuture<Finality> future = waiting.get(outcome.txId());
                if (future != null) {
                    future.complete(outcome);
                }
            }
        }

        @Override
        public CompletableFuture<Finality> submit(final byte[] transaction) {
            final String id = Hex.encode(TransactionBuilder.txId(transaction));
            if (!alive) {
                submissions.add(transaction);
                return CompletableFuture.failedFuture(refusesConnections
                    ? new BasaltException("UNREACHABLE", "connection refused", new java.net.ConnectException("refused"))
                    : new BasaltException("UNREACHABLE", "connection reset", 0));
            }
            final CompletableFuture<Finality> future = waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
            submissions.add(transaction);
            if (refuseWith != null) {
                return CompletableFuture.completedFuture(new Finality(id, TxState.REJECTED, 0, refuseWith, 0, 0));
            }
            if (shard.committed.containsKey(id)) {
                future.complete(shard.committed.get(id));
            } else if (held.putIfAbsent(id, true) == null && commitsWhatItAccepts) {
                shard.commit(id);
            }
            return future;
        }

        @Override
        public Finality txStatus(final byte[] txId) {
            if (!alive) {
                throw new BasaltException("UNREACHABLE", "connection refused", 0);
            }
            final String id = Hex.encode(txId);
            final Finality committed = shard.committed.get(id);
            if (committed != null) {
                return committed;
            }
            return new Finality(id, held.containsKey(id) ? TxState.ACCEPTED : TxState.UNKNOWN, 0, RejectCode.NONE, 0, 0);
        }

        @Override
        public CompletableFuture<Finality> admit(final byte[] transaction) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<Integer, Long> balances(final byte[] address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NetworkStatus status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public NetworkMap network() {
            throw new UnsupportedOperationException();
        }

        @Override
        public AutoCloseable watch(final Consumer<Finality> listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
