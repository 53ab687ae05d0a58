package io.basalt.node.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyPair;
import io.basalt.dag.CommittedSubDag;
import io.basalt.node.config.Genesis;
import io.basalt.node.config.NodeConfig;
import io.basalt.node.exec.ExecutionListener;
import io.basalt.node.exec.Ledger;
import io.basalt.node.gateway.HttpGateway;
import io.basalt.node.net.AeronMedia;
import io.basalt.protocol.RejectCode;
import io.basalt.exec.TxView;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} tells the truth: a real validator (a committee of one, IPC, in-memory stores)
 * answers UP while it commits, and once its execution agent dies on a broken ledger invariant it
 * answers 503 DOWN with the reason, while the gateway itself keeps serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NodeHealthTest {

    @TempDir
    Path dir;

    @Test
    void healthAnswersDownWithTheReasonAfterAnAgentFailure() throws Exception {
        final Ed25519 ed25519 = Ed25519.fromSystemProperties();
        final KeyPair key = ed25519.generateKeyPair(new SecureRandom());
        final KeyPair faucet = ed25519.generateKeyPair(new SecureRandom());
        final Genesis genesis = new Genesis(7, 1, 1, System.currentTimeMillis(),
            List.of(new Genesis.Shard(0, List.of(new Genesis.Validator(0, key.publicKeyHex(), 1, "127.0.0.1:21900",
                "127.0.0.1:18990", "127.0.0.1:19990")))),
            List.of(new Genesis.Allocation(faucet.publicKeyHex(), 0, 1_000_000L)));
        final NodeConfig config = new NodeConfig(dir.resolve("genesis.json"), 0, 0, dir.resolve("v0.key"),
            dir.resolve("v0"), null, true, "backoff", 2, 50, 5, 500, 10_000, null, 0);
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final BreakingLedger ledger = new BreakingLedger(new MemoryLedger(genesis, 0));
        try (AeronMedia media = AeronMedia.embedded(dir.resolve("aeron"), false);
             ValidatorNode node = ValidatorNode.start(config, genesis, key, NodeResources.inProcess(media)
                 .withBackends(new MemoryStorage(), ledger));
             HttpGateway gateway = new HttpGateway(node, new InetSocketAddress("127.0.0.1", 0), null, genesis)) {
            gateway.start();
            final URI health = URI.create("http://127.0.0.1:" + gateway.port() + "/health");
            final HttpResponse<String> up = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, up.statusCode(), up.body());

            ledger.broken = true; // the next height applied finds the invariant broken

            ValidatorClusterTest.awaitTrue(() -> node.failureReason() != null, "the execution agent to stop");
            final HttpResponse<String> down = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, down.statusCode(), down.body());
            final JsonNode body = new ObjectMapper().readTree(down.body());
            assertEquals("DOWN", body.get("status").asText());
            assertTrue(body.get("reason").asText().contains("IllegalStateException: supply invariant broken at height "),
                body.toString());
        }
    }

    /** A ledger that finds its money invariant broken at one height, as a corrupted state would. */
    private static final class BreakingLedger implements Ledger {
        private final MemoryLedger delegate;
        volatile boolean broken;

        BreakingLedger(final MemoryLedger delegate) {
            this.delegate = delegate;
        }

        @Override
        public void apply(final CommittedSubDag subDag, final ExecutionListener listener) {
            if (broken) {
                throw new IllegalStateException("supply invariant broken at height " + subDag.height());
            }
            delegate.apply(subDag, listener);
        }

        @Override
        public long appliedHeight() {
            return delegate.appliedHeight();
        }

        @Override
        public byte[] stateDigest() {
            return delegate.stateDigest();
        }

        @Override
        public long consensusTimeMs() {
            return delegate.consensusTimeMs();
        }

        @Override
        public Map<Integer, Long> balances(final byte[] account) {
            return delegate.balances(account);
        }

        @Override
        public RejectCode precheck(final byte[] tx, final int offset, final int length) {
            return delegate.precheck(tx, offset, length);
        }

        @Override
        public RejectCode precheck(final TxView tx) {
            return delegate.precheck(tx);
        }

        @Override
        public TxRecord executed(final byte[] txId) {
            return delegate.executed(txId);
        }

        @Override
        public TxRecord settled(final byte[] txId) {
            return delegate.settled(txId);
        }

        @Override
        public long inboundNext(final int sourceShard) {
            return delegate.inboundNext(sourceShard);
        }

        @Override
        public long outboundNext(final int destShard) {
            return delegate.outboundNext(destShard);
        }

        @Override
        public SortedMap<Long, byte[]> outbox(final int destShard, final long fromSeq, final int max) {
            return delegate.outbox(destShard, fromSeq, max);
        }

        @Override
        public void pruneOutbox(final int destShard, final long throughSeq) {
            delegate.pruneOutbox(destShard, throughSeq);
        }

        @Override
        public boolean transferSettled(final byte[] txId) {
            return delegate.transferSettled(txId);
        }

        @Override
        public boolean transferSent(final byte[] txId) {
            return delegate.transferSent(txId);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
