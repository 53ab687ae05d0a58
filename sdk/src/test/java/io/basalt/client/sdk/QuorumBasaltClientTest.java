package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quorum rule against validators whose answers this test writes: liars, silent ones and a committee of unequal
 * stake. Every reply is held back until the test releases it, so the order of arrival is the test's, not the
 * client's random choice of validators.
 */
@Timeout(20)
class QuorumBasaltClientTest {
    private static final KeyPair ALICE = TestNode.key(1);
    private static final KeyPair BOB = TestNode.key(2);
    private static final TransactionBuilder BUILDER =
        new TransactionBuilder(TestNode.ED25519, TestNode.NETWORK_ID, TestNode.FEE);
    private static final TransactionBuilder.Signed TX = BUILDER.transfer(ALICE, BOB.publicKey(), 0, 5, 60_000);

    private static final Finality COMMITTED = answer(TxState.COMMITTED, ExecResult.SUCCESS, RejectCode.NONE, 7);

    /** A validator that answers a submission with whatever the test completes {@link #reply} with. */
    private static final class ScriptedValidator implements BasaltClient {
        final CompletableFuture<Finality> reply = new CompletableFuture<>();
        final List<byte[]> submitted = new ArrayList<>();
        boolean closed;

        @Override
        public CompletableFuture<Finality> submit(final byte[] transaction) {
            submitted.add(transaction);
            return reply;
        }

        void answer(final Finality finality) {
            reply.complete(finality);
        }

        @Override
        public CompletableFuture<Finality> admit(final byte[] transaction) {
            throw new UnsupportedOperationException("the quorum client submits");
        }

        @Override
        public Map<Integer, Long> balances(final byte[] address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Finality txStatus(final byte[] txId) {
            return reply.join();
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
            closed = true;
        }
    }

    private static Finality answer(final TxState state, final ExecResult result, final RejectCode reject, final long height) {
        return new Finality(TX.txIdHex(), state, result.code(), reject, height, height == 0 ? 0 : 1_000 + height);
    }

    private static NetworkMap committee(final long... stakes) {
        final List<NetworkMap.Validator> validators = new ArrayList<>();
        for (int i = 0; i < stakes.length; i++) {
            validators.add(new NetworkMap.Validator(i, "key" + i, stakes[i], "127.0.0.1:" + (9000 + i), ""));
        }
        return new NetworkMap(TestNode.NETWORK_ID, 1, TestNode.FEE, List.of(new NetworkMap.Shard(0, validators)));
    }

    private static List<ScriptedValidator> validators(final int n) {
        final List<ScriptedValidator> validators = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            validators.add(new ScriptedValidator());
        }
        return validators;
    }

    private static QuorumBasaltClient client(final NetworkMap map, final List<ScriptedValidator> validators) {
        return new QuorumBasaltClient(map, QuorumBasaltClient.WHOLE_COMMITTEE, v -> validators.get(v.index()));
    }

    @Test
    void thresholdIsFPlusOneOfStake() {
        assertEquals(2, QuorumBasaltClient.replyThreshold(committee(1, 1, 1, 1).shard(0)), "n = 4, f = 1");
        assertEquals(3, QuorumBasaltClient.replyThreshold(committee(1, 1, 1, 1, 1, 1, 1).shard(0)), "n = 7, f = 2");
        assertEquals(1, QuorumBasaltClient.replyThreshold(committee(1).shard(0)), "a committee of one");
        assertEquals(3, QuorumBasaltClient.replyThreshold(committee(1, 1, 1, 4).shard(0)), "stake 7, f = 2");
    }

    @Test
    void aLiarThatAnswersFirstIsOutvotedAndShownAsDissent() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        try (QuorumBasaltClient client = client(committee(1, 1, 1, 1), validators)) {
            final CompletableFuture<QuorumAnswer> future = client.submit(TX.bytes());
            validators.forEach(v -> assertEquals(1, v.submitted.size(), "every validator of the shard is asked"));

            validators.get(0).answer(answer(TxState.COMMITTED, ExecResult.INSUFFICIENT_BALANCE, RejectCode.NONE, 7));
            assertFalse(future.isDone(), "one voice is not f+1");
            validators.get(1).answer(COMMITTED);
            assertFalse(future.isDone(), "one honest voice is not f+1 either");
            validators.get(2).answer(COMMITTED);

            final QuorumAnswer answer = future.get(1, TimeUnit.SECONDS);
            assertEquals(QuorumAnswer.Verdict.AGREED, answer.verdict(), answer.describe());
            assertEquals(COMMITTED, answer.finality());
            assertEquals(2, answer.threshold());
            assertEquals(1, answer.dissent().size());
            assertEquals(0, answer.dissent().getFirst().validator().index());
            assertTrue(answer.describe().contains("validator 0: COMMITTED INSUFFICIENT_BALANCE"), answer.describe());
        }
        validators.forEach(v -> assertTrue(v.closed, "closing the quorum client closes its validators' clients"));
    }

    @Test
    void theSameStateAtAnotherHeightIsAnotherAnswer() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        try (QuorumBasaltClient client = client(committee(1, 1, 1, 1), validators)) {
            final CompletableFuture<QuorumAnswer> future = client.submit(TX.bytes());
            validators.get(0).answer(answer(TxState.COMMITTED, ExecResult.SUCCESS, RejectCode.NONE, 99));
            validators.get(1).answer(COMMITTED);
            assertFalse(future.isDone(), "height 99 and height 7 do not add up");
            validators.get(2).answer(COMMITTED);
            assertEquals(7, future.get(1, TimeUnit.SECONDS).finality().height());
        }
    }

    @Test
    void conflictingAnswersAreReportedAsSuchOnceNoneCanReachTheThreshold() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        try (QuorumBasaltClient client = client(committee(1, 1, 1, 1), validators)) {
            final CompletableFuture<QuorumAnswer> future = client.submit(TX.bytes(), Duration.ofMinutes(1));
            validators.get(0).answer(answer(TxState.REJECTED, ExecResult.SUCCESS, RejectCode.BAD_SIGNATURE, 0));
            validators.get(1).answer(COMMITTED);
            validators.get(2).reply.completeExceptionally(new BasaltException("UNREACHABLE", "connection refused", 0));
            assertFalse(future.isDone(), "the last validator could still side with either");
            validators.get(3).reply.completeExceptionally(new BasaltException("UNREACHABLE", "connection refused", 0));

            final QuorumAnswer answer = future.get(1, TimeUnit.SECONDS);
            assertEquals(QuorumAnswer.Verdict.CONFLICTING, answer.verdict(), answer.describe());
            assertNull(answer.finality());
            assertFalse(answer.agreed());
            assertEquals(4, answer.replies().size());
            assertEquals(2, answer.dissent().size(), "both answers are shown, neither is picked");
            assertEquals(2, answer.replies().stream().filter(r -> !r.answered()).count());
            assertEquals("UNREACHABLE", ((BasaltException) answer.replies().get(2).failure()).code());
        }
    }

    @Test
    void oneAnswerAndSilenceIsTooFewAnswersAfterTheTimeout() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        try (QuorumBasaltClient client = client(committee(1, 1, 1, 1), validators)) {
            final CompletableFuture<QuorumAnswer> future = client.submit(TX.bytes(), Duration.ofMillis(200));
            validators.get(0).answer(COMMITTED);

            final QuorumAnswer answer = future.get(5, TimeUnit.SECONDS);
            assertEquals(QuorumAnswer.Verdict.TOO_FEW_ANSWERS, answer.verdict(), answer.describe());
            assertNull(answer.finality(), "one validator's COMMITTED is not reported as the network's");
            assertEquals(1, answer.replies().size());
        }
    }

    @Test
    void stakeNotHeadcountDecides() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        try (QuorumBasaltClient client = client(committee(1, 1, 1, 4), validators)) {
            final CompletableFuture<QuorumAnswer> future = client.submit(TX.bytes());
            final Finality lie = answer(TxState.REJECTED, ExecResult.SUCCESS, RejectCode.EXPIRED, 0);
            validators.get(0).answer(lie);
            validators.get(1).answer(lie);
            assertFalse(future.isDone(), "two of four validators, but 2 of 7 stake: under f+1 = 3");
            validators.get(3).answer(COMMITTED);

            final QuorumAnswer answer = future.get(1, TimeUnit.SECONDS);
            assertEquals(COMMITTED, answer.finality(), answer.describe());
            assertEquals(2, answer.dissent().size());
        }
    }

    @Test
    void settledNeedsFPlusOneSettledAnswers() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        try (QuorumBasaltClient client = client(committee(1, 1, 1, 1), validators)) {
            final CompletableFuture<QuorumAnswer> future = client.submit(TX.bytes());
            validators.get(0).answer(answer(TxState.SETTLED, ExecResult.SUCCESS, RejectCode.NONE, 7));
            validators.get(1).answer(COMMITTED);

            final QuorumAnswer answer = future.get(1, TimeUnit.SECONDS);
            assertEquals(QuorumAnswer.Verdict.AGREED, answer.verdict(), "SETTLED and COMMITTED agree on the outcome");
            assertEquals(TxState.COMMITTED, answer.finality().state(), "but only one validator vouches for SETTLED");
        }
    }

    @Test
    void validatorsPerRequestIsALeastCountAndStakeStillReachesTheThreshold() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        try (QuorumBasaltClient client = new QuorumBasaltClient(committee(1, 1, 1, 1), 1, v -> validators.get(v.index()))) {
            client.submit(TX.bytes());
            assertEquals(2, validators.stream().filter(v -> !v.submitted.isEmpty()).count(),
                "one validator asked for, two asked: f+1 must be able to answer");
        }
        assertThrows(IllegalArgumentException.class, () -> new QuorumBasaltClient(committee(1), 0, v -> null));
    }

    @Test
    void txStatusIsTakenByTheSameRule() throws Exception {
        final List<ScriptedValidator> validators = validators(4);
        validators.get(0).answer(answer(TxState.UNKNOWN, ExecResult.SUCCESS, RejectCode.NONE, 0));
        validators.get(1).answer(COMMITTED);
        validators.get(2).answer(COMMITTED);
        validators.get(3).answer(COMMITTED);
        try (QuorumBasaltClient client = client(committee(1, 1, 1, 1), validators)) {
            final QuorumAnswer answer = client.txStatus(TX.txId(), 0, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            assertEquals(COMMITTED, answer.finality(), answer.describe());
        }
    }
}
