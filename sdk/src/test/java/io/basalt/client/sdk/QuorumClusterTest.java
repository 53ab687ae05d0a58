package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.ExecResult;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quorum client against a real committee of four validators (one shard, f = 1), each with its own HTTP gateway:
 * every kind of transaction commits with f+1 matching answers, and a transaction every validator refuses is
 * reported as that refusal, agreed.
 */
@Timeout(180)
class QuorumClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final KeyPair BOB = TestNode.key(2);

    @TempDir
    static Path dir;
    private static LedgerCluster cluster;
    private static QuorumBasaltClient quorum;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LedgerCluster(1, 4, dir.resolve("cluster"));
        quorum = QuorumBasaltClient.http(cluster.url(0, 2));
    }

    @AfterAll
    static void stop() {
        if (quorum != null) {
            quorum.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static TransactionBuilder builder() {
        try (BasaltClient one = BasaltClient.http(cluster.url(0, 0))) {
            return TransactionBuilder.forNetwork(TestNode.ED25519, one.status());
        }
    }

    private static long expiryMs() {
        try (BasaltClient one = BasaltClient.http(cluster.url(0, 1))) {
            return one.status().consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS;
        }
    }

    private static QuorumAnswer submit(final TransactionBuilder.Signed tx) throws Exception {
        return quorum.submit(tx.bytes(), WAIT).get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
    }

    private static void assertCommitted(final QuorumAnswer answer) {
        assertEquals(QuorumAnswer.Verdict.AGREED, answer.verdict(), answer.describe());
        assertEquals(TxState.COMMITTED, answer.finality().state(), answer.describe());
        assertEquals(ExecResult.SUCCESS, answer.finality().result(), answer.describe());
        assertTrue(answer.finality().height() > 0, answer.describe());
        assertTrue(answer.dissent().isEmpty(), "honest validators agree: " + answer.describe());
    }

    @Test
    void transferCreateAssetAndSwapCommitWithFPlusOneMatchingAnswers() throws Exception {
        assertEquals(4, quorum.network().shard(0).validators().size());
        assertEquals(2, QuorumBasaltClient.replyThreshold(quorum.network().shard(0)));
        final KeyPair faucet = cluster.faucet(0);
        final TransactionBuilder builder = builder();

        assertCommitted(submit(builder.transfer(faucet, BOB.publicKey(), 0, 1_000, expiryMs())));
        assertCommitted(submit(builder.createAsset(BOB, 42, 500, 0, expiryMs())));
        final QuorumAnswer swap = submit(builder.swap(faucet, 0, 10, BOB, 42, 20, expiryMs()));
        assertCommitted(swap);

        for (int v = 0; v < 4; v++) {
            try (BasaltClient one = BasaltClient.http(cluster.url(0, v))) {
                // 1000 received, 1 fee for the asset, 10 from the swap; 500 minted, 20 swapped away.
                assertEquals(1_009L, one.balances(BOB.publicKey()).get(0), "validator " + v);
                assertEquals(480L, one.balances(BOB.publicKey()).get(42), "validator " + v);
            }
        }
        final QuorumAnswer status = quorum.txStatus(Hex.decode(swap.finality().txId()), 0, WAIT)
            .get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
        assertEquals(swap.finality(), status.finality(), status.describe());
    }

    @Test
    void aTransactionEveryValidatorRefusesIsAnAgreedRefusal() throws Exception {
        final TransactionBuilder.Signed good = builder().transfer(cluster.faucet(0), BOB.publicKey(), 0, 1, expiryMs());
        final byte[] forged = good.bytes();
        forged[forged.length - 1] ^= 1; // the last byte is in the signature

        final QuorumAnswer answer = quorum.submit(forged, WAIT).get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);

        assertEquals(QuorumAnswer.Verdict.AGREED, answer.verdict(), answer.describe());
        assertEquals(TxState.REJECTED, answer.finality().state());
        assertEquals(RejectCode.BAD_SIGNATURE, answer.finality().rejectCode(), answer.describe());
    }
}
