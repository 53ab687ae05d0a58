package io.basalt.system;

import static io.basalt.system.ClusterChecks.awaitCommitted;
import static io.basalt.system.ClusterChecks.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A validator talks to its peers and its clients and to nobody else: four {@code basalt node}
 * processes are watched from their first moment through funding, a load of transfers and an orderly
 * stop, every socket each one holds is sampled from /proc every 10 ms, and every connected socket
 * must lead to a loopback address on a port of the genesis (a peer's consensus, HTTP or client
 * endpoint) or come in on one of the validator's own. A DNS lookup, a time server, Chronicle's
 * analytics or any other call home would show up as a socket to some other address or port.
 */
@Tag("process")
class NoSurpriseTrafficTest {
    private static final int VALIDATORS = 4;
    private static final int ACCOUNTS = 10;
    private static final int TRANSFERS = 300;
    private ValidatorProcesses cluster;
    private TransferLoad load;

    @AfterEach
    void stop() throws InterruptedException {
        if (load != null) {
            load.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void validatorsOpenSocketsOnlyToPeersAndClients() throws Exception {
        final Path root = Path.of("target", "process-tests", "no-surprise-traffic").toAbsolutePath();
        cluster = ValidatorProcesses.create(root, VALIDATORS);
        final Set<Integer> genesisPorts = genesisPorts(root.resolve("net").resolve("genesis.json"));

        try (SocketWatch watch = new SocketWatch(10)) {
            for (int v = 0; v < VALIDATORS; v++) {
                cluster.start(v);
                watch.watch(cluster.pid(v));
            }
            cluster.awaitAllReady(90_000);

            final NodeHttp.Status status = status(cluster, 0);
            final Transfers transfers = new Transfers(status.networkId(), status.fee(), cluster.faucetKey(), ACCOUNTS);
            final List<TransferLoad.Accepted> funding = new ArrayList<>();
            for (int account = 1; account <= ACCOUNTS; account++) {
                final int v = account % VALIDATORS;
                final Transfers.Signed tx = transfers.transfer(Transfers.FAUCET, account, 1_000_000,
                    status(cluster, v).consensusTimeMs() + TransferLoad.EXPIRY_AFTER_MS);
                assertTrue(cluster.http(v).submit(tx.bytes()).accepted(), "funding refused");
                funding.add(new TransferLoad.Accepted(tx, v, System.nanoTime(), -1));
            }
            awaitCommitted(cluster, funding, TransferLoad.Accepted::validator, 60_000);
            load = new TransferLoad(cluster, transfers, 150, TRANSFERS).start();
            assertTrue(load.awaitDone(60_000), "load not done");
            load.stop();
            assertEquals(TRANSFERS, load.accepted().size(), "accepted transfers");
            awaitCommitted(cluster, load.accepted(), TransferLoad.Accepted::validator, 60_000);

            watch.settle(3);
            for (int v = 0; v < VALIDATORS; v++) {
                cluster.stop(v); // watched while it closes its links and stores
            }
            watch.settle(3);

            final Set<SocketWatch.Socket> seen = watch.seen();
            final Set<String> surprises = new TreeSet<>();
            boolean sawPeerLink = false;
            boolean sawClientConnection = false;
            for (final SocketWatch.Socket socket : seen) {
                final boolean localOk = socket.local().isLoopbackAddress() || socket.local().isAnyLocalAddress();
                if (!localOk) {
                    surprises.add(socket + " (bound to a non-loopback address)");
                    continue;
                }
                if (!socket.connected()) {
                    continue; // listening or unconnected UDP: receives only from what the checks below allow
                }
                if (!socket.remote().isLoopbackAddress()) {
                    surprises.add(socket + " (to a non-loopback address)");
                } else if (genesisPorts.contains(socket.remotePort())) {
                    sawPeerLink |= socket.protocol().startsWith("udp");
                } else if (genesisPorts.contains(socket.localPort())) {
                    sawClientConnection |= socket.protocol().startsWith("tcp"); // a client came in on our port
                } else {
                    surprises.add(socket + " (a port no peer or client endpoint has)");
                }
            }
            assertTrue(watch.samples() > 100, "too few samples to mean anything: " + watch.samples());
            assertTrue(sawPeerLink, "the watch saw no UDP link to a peer, so it sees nothing: " + seen);
            assertTrue(sawClientConnection, "the watch saw no client connection on an HTTP port: " + seen);
            assertEquals(Set.of(), surprises, "sockets to something other than peers and clients");
        }
    }

    /** Every port the genesis gives a validator: consensus (UDP), HTTP, the Aeron client gateway and its control port. */
    private static Set<Integer> genesisPorts(final Path genesisFile) throws Exception {
        final JsonNode genesis = new ObjectMapper().readTree(genesisFile.toFile());
        final Set<Integer> ports = new HashSet<>();
        for (final JsonNode shard : genesis.get("shards")) {
            for (final JsonNode validator : shard.get("validators")) {
                ports.add(port(validator.get("consensusEndpoint").asText()));
                ports.add(port(validator.get("httpEndpoint").asText()));
                final int client = port(validator.get("clientEndpoint").asText());
                ports.add(client);
                ports.add(client + 1);
            }
        }
        return ports;
    }

    private static int port(final String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
