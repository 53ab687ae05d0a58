package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.client.sdk.TestNode;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import io.basalt.node.api.FinalityEvent;
import io.basalt.protocol.TxState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Output formats, watch filters, keys list and --wait-timeout against the test node, whose events a test controls. */
@Timeout(60)
class CliOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair ALICE = TestNode.key(1);
    private static final KeyPair BOB = TestNode.key(2);

    @TempDir
    Path dir;

    private TestNode node;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void start() {
        node = new TestNode();
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        node.close();
    }

    private int run(final String... args) {
        out.reset();
        err.reset();
        return BasaltCli.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String url() {
        return node.url().toString();
    }

    /** Runs {@code watch args} in the background while {@code emit} runs every 50 ms, until watch exits. */
    private int watchWhile(final Runnable emit, final String... args) throws Exception {
        out.reset();
        err.reset();
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> BasaltCli.execute(args));
        final long deadline = System.currentTimeMillis() + 20_000;
        while (!exit.isDone() && System.currentTimeMillis() < deadline) {
            emit.run();
            Thread.sleep(50);
        }
        return exit.get(20, TimeUnit.SECONDS);
    }

    @Test
    void watchByTransactionPrintsOnlyThatTransactionsEventsAsJsonLines() throws Exception {
        final byte[] wanted = new byte[32];
        wanted[0] = 7;
        final byte[] other = new byte[32];
        other[0] = 8;
        final int exit = watchWhile(() -> {
            node.emit(new FinalityEvent(other, TxState.COMMITTED, 0, 4, 5));
            node.emit(new FinalityEvent(wanted, TxState.COMMITTED, 0, 4, 5));
        }, "watch", "--node", url(), "--tx", Hex.encode(wanted), "--count", "3", "--seconds", "20", "-o", "json");
        assertEquals(0, exit, err.toString());
        final List<String> lines = out().strip().lines().toList();
        assertEquals(3, lines.size(), out());
        for (final String line : lines) {
            final JsonNode event = JSON.readTree(line);
            assertEquals("finality", event.get("type").asText());
            assertEquals(Hex.encode(wanted), event.get("txId").asText(), "only the wanted transaction: " + line);
            assertEquals("COMMITTED", event.get("state").asText());
            assertEquals(4, event.get("height").asLong());
        }
    }

    @Test
    void watchByAccountPrintsItsBalanceChanges() throws Exception {
        final ByteBuffer bob = ByteBuffer.wrap(BOB.publicKey());
        node.balances.put(bob, Map.of(0, 100L));
        final long[] amount = {100};
        final byte[] id = new byte[32];
        final int exit = watchWhile(() -> {
            amount[0] += 10;
            node.balances.put(bob, Map.of(0, amount[0]));
            node.balances.put(ByteBuffer.wrap(ALICE.publicKey()), Map.of(0, amount[0] * 2));
            node.emit(new FinalityEvent(id, TxState.COMMITTED, 0, 4, 5));
        }, "watch", "--node", url(), "--account", BOB.publicKeyHex(), "--count", "2", "--seconds", "20", "-o", "json");
        assertEquals(0, exit, err.toString());
        final List<String> lines = out().strip().lines().toList();
        assertEquals(2, lines.size(), out());
        long before = -1;
        for (final String line : lines) {
            final JsonNode change = JSON.readTree(line);
            assertEquals("balance", change.get("type").asText(), line);
            assertEquals(BOB.publicKeyHex(), change.get("account").asText(), "never Alice's: " + line);
            assertEquals(0, change.get("asset").asInt());
            assertTrue(change.get("after").asLong() > change.get("before").asLong(), line);
            assertTrue(change.get("before").asLong() > before, "in order: " + out());
            before = change.get("before").asLong();
        }
    }

    @Test
    void keysListShowsAddressesAndNeverSecrets() throws Exception {
        KeyFiles.write(dir.resolve("alice.key"), ALICE);
        KeyFiles.write(dir.resolve("bob.key"), BOB);
        Files.writeString(dir.resolve("notes.txt"), "not a key");
        assertEquals(0, run("keys", "list", dir.toString()), err.toString());
        final List<String> lines = out().strip().lines().toList();
        assertEquals(2, lines.size(), out());
        assertTrue(lines.get(0).startsWith(ALICE.publicKeyHex()) && lines.get(0).endsWith("alice.key"), out());
        assertTrue(lines.get(1).startsWith(BOB.publicKeyHex()), out());

        assertEquals(0, run("keys", "list", dir.toString(), "--shards", "2", "-o", "json"), err.toString());
        assertFalse(out().contains("seed"), out());
        final JsonNode listing = JSON.readTree(out());
        assertEquals(2, listing.get("keys").size());
        assertEquals(ALICE.publicKeyHex(), listing.get("keys").get(0).get("address").asText());
        assertEquals(io.basalt.crypto.Shards.shardOf(BOB.publicKey(), 2), listing.get("keys").get(1).get("shard").asInt());
        assertTrue(listing.get("keys").get(1).get("file").asText().endsWith("bob.key"));

        final Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(0, run("keys", "list", empty.toString(), "-o", "json"));
        assertEquals(0, JSON.readTree(out()).get("keys").size());
        assertEquals(4, run("keys", "list", dir.resolve("missing").toString()));
    }

    @Test
    void waitTimeoutIsTheLimitAndTheErrorNamesTheTransaction() throws Exception {
        node.autoCommit = false;
        final Path key = dir.resolve("alice.key");
        KeyFiles.write(key, ALICE);
        final long startNs = System.nanoTime();
        assertEquals(5, run("transfer", "--key", key.toString(), "--to", BOB.publicKeyHex(), "--amount", "1",
            "--node", url(), "--wait-timeout", "700ms"));
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10), "gave up after the limit, not 60 s");
        final String txId = out().lines().filter(l -> l.startsWith("txId ")).findFirst().orElseThrow().substring(5);
        assertTrue(err.toString().contains("transaction " + txId + " was not final within 700 ms"), err.toString());
        assertTrue(err.toString().contains("basalt tx status " + txId), err.toString());
    }

    @Test
    void txStatusAndVersionInJson() throws Exception {
        final byte[] id = new byte[32];
        id[3] = 3;
        assertEquals(0, run("tx", "status", Hex.encode(id), "--node", url(), "-o", "json"));
        final JsonNode unknown = JSON.readTree(out());
        assertEquals("UNKNOWN", unknown.get("state").asText());
        assertFalse(unknown.has("height"));
        node.commit(id, 1);
        assertEquals(0, run("tx", "status", Hex.encode(id), "--node", url(), "--output", "JSON"));
        final JsonNode failed = JSON.readTree(out());
        assertEquals("INSUFFICIENT_BALANCE", failed.get("result").asText());
        assertEquals(1, failed.get("resultCode").asInt());
        assertEquals(3, failed.get("height").asLong());

        assertEquals(0, run("version", "-o", "json"));
        final JsonNode version = JSON.readTree(out());
        assertTrue(version.path("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), "the filtered Maven version: " + version);
        assertTrue(version.has("revision"), version.toString());
    }
}
