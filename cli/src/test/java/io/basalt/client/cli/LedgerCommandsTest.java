package io.basalt.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.client.sdk.LedgerCluster;
import io.basalt.crypto.Shards;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real ledger of two shards (one validator each, {@link LedgerCluster}): money
 * really moves, so faucet, transfer and swap are checked by the balances they leave. Each test
 * uses fresh keys, so the tests share one cluster.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedgerCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FEE = 1;

    @TempDir
    static Path clusterDir;
    private static LedgerCluster cluster;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;
    private int keys;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = new LedgerCluster(2, clusterDir.resolve("cluster"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int run(final String... args) {
        out.reset();
        err.reset();
        return BasaltCli.execute(args);
    }

    private JsonNode runJson(final String... args) throws IOException {
        assertEquals(0, run(args), String.join(" ", args) + ": " + err);
        final String text = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, text.lines().count(), "one JSON object: " + text);
        return JSON.readTree(text);
    }

    private String node() {
        return cluster.url(0).toString();
    }

    /** A new key file (through the CLI) whose account lives on {@code shard}; returns its path. */
    private Path keyOnShard(final int shard) throws IOException {
        while (true) {
            final Path file = dir.resolve("key-" + keys++ + ".key");
            final JsonNode key = runJson("keys", "new", "--out", file.toString(), "-o", "json");
            if (Shards.shardOf(io.basalt.crypto.Hex.decode(key.get("address").asText()), 2) == shard) {
                return file;
            }
        }
    }

    private String address(final Path key) throws IOException {
        return runJson("keys", "show", key.toString(), "-o", "json").get("address").asText();
    }

    private long balance(final Path key, final int asset) throws IOException {
        return runJson("balance", address(key), "--node", node(), "-o", "json").path("balances").path(Integer.toString(asset))
            .asLong(0);
    }

    /** Balances of another shard settle a little after the submitter's COMMITTED: poll until {@code expected}. */
    private void awaitBalance(final Path key, final long expected) throws Exception {
        final long deadline = System.currentTimeMillis() + 30_000;
        long seen = balance(key, 0);
        while (seen != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            seen = balance(key, 0);
        }
        assertEquals(expected, seen, "balance of " + key.getFileName());
    }

    private void fund(final Path key, final long amount) throws IOException {
        final JsonNode answer = runJson("faucet", "--key", key.toString(), "--amount", Long.toString(amount), "--node", node(),
            "--wait", "-o", "json");
        assertEquals("COMMITTED", answer.get("state").asText(), answer.toString());
        assertEquals("SUCCESS", answer.get("result").asText(), answer.toString());
    }

    @Test
    void faucetThenBalanceShowsTheFunds() throws Exception {
        final Path key = keyOnShard(1);
        final JsonNode answer = runJson("faucet", "--key", key.toString(), "--amount", "5000", "--node", node(),
            "--wait-timeout", "30s", "-o", "json");
        assertEquals("SUCCESS", answer.get("result").asText(), answer.toString());
        assertEquals(address(key), answer.get("to").asText());
        assertEquals(5000, answer.get("amount").asLong());
        assertEquals(64, answer.get("txId").asText().length());

        final JsonNode balance = runJson("balance", address(key), "--node", node(), "-o", "json");
        assertEquals(address(key), balance.get("account").asText());
        assertEquals(1, balance.get("shard").asInt(), "asked of shard 1 through the shard-0 seed");
        assertEquals(5000, balance.get("balances").get("0").asLong());

        assertEquals(0, run("balance", address(key), "--node", node()), err.toString());
        assertEquals("asset 0: 5000", out.toString(StandardCharsets.UTF_8).strip(), "text stays the default");

        assertEquals(2, run("faucet", "--key", key.toString(), "--amount", "0", "--node", node()));
        assertEquals(2, run("faucet", "--node", node()), "--to or --key is required");
    }

    @Test
    void transferAndTxStatusInJson() throws Exception {
        final Path from = keyOnShard(0);
        final Path to = keyOnShard(0);
        fund(from, 1000);
        final JsonNode sent = runJson("transfer", "--key", from.toString(), "--to", address(to), "--amount", "250",
            "--node", node(), "--wait", "-o", "json");
        assertEquals("COMMITTED", sent.get("state").asText(), sent.toString());
        assertEquals("SUCCESS", sent.get("result").asText());
        assertTrue(sent.get("height").asLong() > 0, sent.toString());

        final JsonNode status = runJson("tx", "status", sent.get("txId").asText(), "--node", node(), "-o", "json");
        assertEquals(sent.get("txId"), status.get("txId"));
        assertEquals("COMMITTED", status.get("state").asText());
        assertEquals(sent.get("height"), status.get("height"));

        assertEquals(1000 - 250 - FEE, balance(from, 0));
        assertEquals(250, balance(to, 0));

        final JsonNode accepted = runJson("transfer", "--key", from.toString(), "--to", address(to), "--amount", "1",
            "--node", node(), "-o", "json");
        assertEquals("ACCEPTED", accepted.get("state").asText(), "without --wait: " + accepted);

        final JsonNode network = runJson("network", "--node", node(), "-o", "json");
        assertEquals(2, network.get("shardCount").asInt());
        assertEquals(FEE, network.get("fee").asLong());
        assertEquals(cluster.url(1).getAuthority(), network.get("shards").get(1).get("validators").get(0)
            .get("httpEndpoint").asText());
        assertEquals(0, network.get("node").get("shardId").asInt());
    }

    @Test
    void aCrossShardSwapBetweenTwoKeyFilesSettlesAndMovesBothBalances() throws Exception {
        final Path a = keyOnShard(0);
        final Path b = keyOnShard(1);
        fund(a, 1000);
        fund(b, 1000);
        final JsonNode swap = runJson("swap", "execute", "--key", a.toString(), "--counterparty-key", b.toString(),
            "--give", "100", "--get", "30", "--node", node(), "--wait", "-o", "json");
        assertEquals("SETTLED", swap.get("state").asText(), swap.toString());
        assertEquals("SUCCESS", swap.get("result").asText(), swap.toString());
        // A gives 100, gets 30 and pays the fee; B gives 30 and gets 100.
        awaitBalance(a, 1000 - 100 + 30 - FEE);
        awaitBalance(b, 1000 - 30 + 100);
    }

    @Test
    void aSwapProposedByOneAndAcceptedByTheOther() throws Exception {
        final Path a = keyOnShard(0);
        final Path b = keyOnShard(0);
        fund(a, 1000);
        fund(b, 1000);
        final Path file = dir.resolve("offer.json");
        final JsonNode proposal = runJson("swap", "propose", "--key", a.toString(), "--counterparty", address(b),
            "--give", "70", "--get", "20", "--expires-in", "40s", "--out", file.toString(), "--node", node(), "-o", "json");
        assertTrue(proposal.get("signedByA").asBoolean());
        assertFalse(proposal.get("signedByB").asBoolean());
        assertFalse(Files.readString(file).contains("seed"), "a swap file holds no secret");

        final JsonNode shown = runJson("swap", "show", file.toString(), "-o", "json");
        assertEquals(address(a), shown.get("partyA").get("address").asText());
        assertEquals(70, shown.get("partyA").get("amount").asLong());
        assertEquals(address(b), shown.get("partyB").get("address").asText());
        assertEquals(20, shown.get("partyB").get("amount").asLong());
        assertEquals(proposal.get("txId"), shown.get("txId"));

        assertEquals(4, run("swap", "accept", file.toString(), "--key", a.toString(), "--node", node()),
            "A's key is not party B's");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not party B"), err.toString());

        final JsonNode accepted = runJson("swap", "accept", file.toString(), "--key", b.toString(), "--node", node(),
            "--wait", "-o", "json");
        assertEquals(proposal.get("txId"), accepted.get("txId"));
        assertEquals("COMMITTED", accepted.get("state").asText(), accepted.toString());
        assertEquals("SUCCESS", accepted.get("result").asText(), accepted.toString());
        assertEquals(1000 - 70 + 20 - FEE, balance(a, 0));
        assertEquals(1000 - 20 + 70, balance(b, 0));
    }

    @Test
    void aSwapWithoutFundsFailsWithExit6() throws Exception {
        final Path a = keyOnShard(0);
        final Path b = keyOnShard(0);
        fund(a, 1000);
        // B holds nothing but the 10 A's leg brings it, so it cannot give 50.
        assertEquals(6, run("swap", "execute", "--key", a.toString(), "--counterparty-key", b.toString(),
            "--give", "10", "--get", "50", "--node", node(), "--wait"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("basalt: committed but failed"), err.toString());
        assertEquals(1000 - FEE, balance(a, 0), "nothing moved but the fee");
    }
}
