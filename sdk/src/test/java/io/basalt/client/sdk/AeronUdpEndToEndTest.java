package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.basalt.crypto.Ed25519;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.protocol.TxState;
import io.basalt.node.runtime.ClusterFiles;
import io.basalt.node.runtime.LocalCluster;
import io.basalt.node.runtime.ValidatorNode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trading client's path end to end: a real local cluster (1 × 4) and an SDK client with its
 * own media driver submitting over Aeron UDP to a validator's client endpoint, then waiting for
 * COMMITTED on its response stream. Loopback only.
 */
class AeronUdpEndToEndTest {
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void submitOverAeronUdpCompletesOnCommitted(@TempDir final Path dir) throws Exception {
        assumeTrue(portsFree(), "the local cluster's fixed ports (HTTP 8080-8083, client UDP 9000-9007) are in use");
        try (LocalCluster cluster = LocalCluster.start(1, 4, dir.resolve("cluster"), true, true);
             MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                 .aeronDirectoryName(dir.resolve("client-aeron").toString())
                 .threadingMode(ThreadingMode.SHARED)
                 .sharedIdleStrategy(new SleepingMillisIdleStrategy(1))
                 .dirDeleteOnStart(true)
                 .dirDeleteOnShutdown(true));
             Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
             BasaltClient client = BasaltClient.aeron(aeron, "aeron:udp?endpoint=127.0.0.1:9000",
                 ValidatorNode.CLIENT_SUBMIT_STREAM_ID, "aeron:udp?endpoint=127.0.0.1:0|control=127.0.0.1:9001",
                 ValidatorNode.CLIENT_SUBMIT_STREAM_ID + 1, URI.create("http://127.0.0.1:8080"))) {
            final KeyPair faucet = KeyFiles.read(ClusterFiles.faucetKey(cluster.dir(), 0));
            final byte[] recipient = new byte[32];
            new SecureRandom().nextBytes(recipient);
            final NetworkStatus status = client.status();
            final TransactionBuilder builder = TransactionBuilder.forNetwork(Ed25519.fromSystemProperties(), status);
            final TransactionBuilder.Signed tx = builder.transfer(faucet, recipient, 0, 123,
                status.consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS);

            final Finality finality = client.submit(tx.bytes()).get(60, TimeUnit.SECONDS);

            assertEquals(TxState.COMMITTED, finality.state(), finality.describe());
            assertTrue(finality.succeeded(), finality.describe());
            assertEquals(tx.txIdHex(), finality.txId());
            assertEquals(123L, client.balances(recipient).get(0));
        }
    }

    /**
     * Two shards: a routing client seeded with one HTTP endpoint sends a transfer from shard 0 to
     * an account of shard 1 and waits for SETTLED; an Aeron client on a shard-0 validator sees
     * COMMITTED first and then the settlement.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void crossShardTransferSettlesThroughTheSdk(@TempDir final Path dir) throws Exception {
        assumeTrue(portsFree(8087, 9015), "the local cluster's fixed ports (HTTP 8080-8087, client UDP 9000-9015) are in use");
        try (LocalCluster cluster = LocalCluster.start(2, 4, dir.resolve("cluster"), true, true);
             BasaltClient client = BasaltClient.routing(URI.create("http://127.0.0.1:8080"))) {
            final KeyPair faucet = KeyFiles.read(ClusterFiles.faucetKey(cluster.dir(), 0));
            final Ed25519 ed25519 = Ed25519.fromSystemProperties();
            byte[] recipient;
            do {
                recipient = ed25519.generateKeyPair(new SecureRandom()).publicKey();
            } while (client.network().shardOf(recipient) != 1);
            final NetworkStatus status = client.status(client.network().shardOf(faucet.publicKey()));
            final TransactionBuilder builder = TransactionBuilder.forNetwork(ed25519, status);
            final TransactionBuilder.Signed tx = builder.transfer(faucet, recipient, 0, 4_321,
                status.consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS);

            final Finality settled = client.submitAndSettle(tx.bytes(), java.time.Duration.ofSeconds(60))
                .get(90, TimeUnit.SECONDS);

            assertEquals(TxState.SETTLED, settled.state(), settled.describe());
            assertTrue(settled.succeeded(), settled.describe());
            // SETTLED may come from the source (f+1 of shard 1 acknowledged); the validator of shard 1
            // the routing client asks may trail them by a height.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.balances(recipient).getOrDefault(0, 0L) != 4_321L && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(4_321L, client.balances(recipient).get(0), "the routing client asks shard 1");
            assertEquals(TxState.SETTLED, client.txStatus(tx.txId()).state());
        }
    }

    private static boolean portsFree() {
        return portsFree(8083, 9007);
    }

    private static boolean portsFree(final int lastHttp, final int lastUdp) {
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int port = 8080; port <= lastHttp; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, loopback)) {
                assert socket.isBound();
            } catch (final java.io.IOException e) {
                return false;
            }
        }
        for (int port = 9000; port <= lastUdp; port++) {
            try (DatagramSocket socket = new DatagramSocket(port, loopback)) {
                assert socket.isBound();
            } catch (final java.io.IOException e) {
                return false;
            }
        }
        return true;
    }
}
