package io.basalt.system;

import static io.basalt.system.ClusterChecks.awaitCommitted;
import static io.basalt.system.ClusterChecks.awaitTxStates;
import static io.basalt.system.ClusterChecks.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live dashboard (docs/dashboard.md) in headless Chromium against real validator processes: two
 * shards of one validator each (the cheapest network with cross-shard settlement). The page is opened
 * on shard 0's validator before any transfer, so every transfer reaches it on the finality stream.
 *
 * <p>Oracles are the node's own API, never the page's code: the validators listed are those of
 * {@code /v1/network}; each round and committed height shown lies between what that validator's
 * {@code /v1/status} said before and after the page was read; the recent commits hold every transfer
 * submitted and the settlements the cross-shard one; the page loads with no console error (a
 * Content-Security-Policy violation is one). Then the other shard's validator stops and its row says
 * unreachable; the page's own node stops and the page says the node is unreachable, and recovers when
 * it is back.
 */
@Tag("process")
class DashboardProcessTest {
    private static final int SHARDS = 2;
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long COMMIT_TIMEOUT_MS = 30_000;
    private static final long PAGE_TIMEOUT_MS = 15_000;
    private static final int SAME_SHARD_TRANSFERS = 4;
    private static final Path SHOTS = Path.of("target", "dashboard").toAbsolutePath();
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ValidatorProcesses cluster;
    private HeadlessChromium browser;

    @RegisterExtension
    final AfterEachCallback printLogsOnFailure = context -> {
        if (context.getExecutionException().isPresent() && cluster != null) {
            System.err.println("==== " + context.getDisplayName() + " failed; validator logs:\n" + cluster.tails(30));
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void dashboardShowsTheClusterLiveAndSaysWhenItsNodeIsUnreachable() throws Exception {
        cluster = ValidatorProcesses.create(Path.of("target", "process-tests", "dashboard").toAbsolutePath(), SHARDS, 1);
        cluster.startAll();
        cluster.awaitAllReady(READY_TIMEOUT_MS);
        final int served = cluster.global(0, 0);
        final int other = cluster.global(1, 0);
        browser = HeadlessChromium.launch();

        final JsonNode opened = browser.open(cluster.http(served).base() + "/dashboard/");
        assertEquals(200, opened.path("status").asInt(), "status of the dashboard page");
        final String csp = opened.path("headers").path("content-security-policy").asText();
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
            && csp.contains("connect-src 'self' ws://" + cluster.http(served).base().getAuthority()), "CSP: " + csp);
        awaitPage("the page live with every validator's height", s -> s.path("banner").path("className").asText().contains("live")
            && rows(s).size() == SHARDS && rows(s).stream().allMatch(r -> r.path("reachable").asBoolean()));

        // The validators listed are the network map's.
        final JsonNode network = cluster.http(served).network();
        final Set<String> expected = new TreeSet<>();
        for (final JsonNode shard : network.get("shards")) {
            for (final JsonNode validator : shard.get("validators")) {
                expected.add(shard.get("shardId").asInt() + "/" + validator.get("index").asInt());
            }
        }
        final Set<String> shown = new TreeSet<>();
        rows(browser.state()).forEach(r -> shown.add(r.get("shard").asInt() + "/" + r.get("index").asInt()));
        assertEquals(expected, shown, "validators on the page against GET /v1/network");

        // Transfers, submitted to the page's node: same-shard ones and one to an account of shard 1.
        final NodeHttp.Status status = status(cluster, served);
        final Transfers book = new Transfers(status.networkId(), status.fee(), SHARDS);
        final int faucet = book.add(cluster.faucetKey(0));
        final List<TransferLoad.Accepted> submitted = new ArrayList<>();
        for (int i = 0; i < SAME_SHARD_TRANSFERS; i++) {
            submitted.add(submit(book.transfer(faucet, book.newAccount(0), 1_000 + i, expiry(served)), served));
        }
        final TransferLoad.Accepted crossShard = submit(book.transfer(faucet, book.newAccount(1), 5_000, expiry(served)), served);
        submitted.add(crossShard);
        awaitCommitted(cluster, submitted, TransferLoad.Accepted::validator, COMMIT_TIMEOUT_MS);
        final String crossId = crossShard.tx().txId();
        awaitTxStates(cluster, List.of(crossId), served, NodeHttp.Tx::settled, "SETTLED", COMMIT_TIMEOUT_MS);
        final List<String> ids = submitted.stream().map(a -> a.tx().txId()).toList();
        // The figures are recomputed once a second, the lists at each event: wait for both.
        final JsonNode afterTransfers = awaitPage("every transfer in the recent commits, the cross-shard one settled, "
                + "and a latency sample for each", s -> texts(s.get("commits")).containsAll(ids)
                && texts(s.get("settlements")).contains(crossId) && s.path("latencyCount").asInt() >= ids.size());
        assertEquals(List.of(), texts(afterTransfers.get("consoleErrors")), "console errors (a CSP violation is one)");
        assertTrue(afterTransfers.path("latencyP50").asText().matches("\\d+ ms"), "p50: " + afterTransfers);
        assertTrue(Double.parseDouble(afterTransfers.path("throughput").asText()) > 0, "throughput: " + afterTransfers);

        // Heights and rounds: each between the validator's own status before and after the page showed it.
        final NodeHttp.Status[] before = {status(cluster, served), status(cluster, other)};
        final JsonNode page = awaitPage("the page caught up with the status read before", s -> rows(s).stream().allMatch(
            r -> r.path("height").asLong(-1) >= before[r.get("shard").asInt()].committedHeight()));
        final NodeHttp.Status[] after = {status(cluster, served), status(cluster, other)};
        for (final JsonNode row : rows(page)) {
            final int shard = row.get("shard").asInt();
            final long height = row.get("height").asLong();
            final long round = row.get("round").asLong();
            assertTrue(height >= before[shard].committedHeight() && height <= after[shard].committedHeight(),
                "shard " + shard + " height " + height + " outside [" + before[shard].committedHeight() + ", "
                    + after[shard].committedHeight() + "]");
            assertTrue(round >= before[shard].round() && round <= after[shard].round(),
                "shard " + shard + " round " + round + " outside [" + before[shard].round() + ", " + after[shard].round() + "]");
            assertEquals(Long.toString(height), row.get("shownHeight").asText(), "height as displayed");
        }
        assertPng(screenshot("dashboard-live.png"));

        // Another node stops: its row says so, the page stays live.
        cluster.stop(other);
        awaitPage("shard 1's validator shown unreachable", s -> s.path("banner").path("className").asText().contains("live")
            && rows(s).stream().anyMatch(r -> r.get("shard").asInt() == 1 && !r.path("reachable").asBoolean()));

        // The page's own node stops: the page says so; it recovers when the node is back.
        cluster.stop(served);
        final JsonNode down = awaitPage("the unreachable message",
            s -> s.path("banner").path("className").asText().contains("unreachable"));
        assertTrue(down.path("banner").path("text").asText().startsWith("Node unreachable"), "banner: " + down.get("banner"));
        assertPng(screenshot("dashboard-unreachable.png"));
        cluster.start(served);
        cluster.awaitReady(served, READY_TIMEOUT_MS);
        awaitPage("the page live again", s -> s.path("banner").path("className").asText().contains("live"));
    }

    private TransferLoad.Accepted submit(final Transfers.Signed tx, final int v) throws Exception {
        final NodeHttp.Submitted answer = cluster.http(v).submit(tx.bytes());
        assertTrue(answer.accepted(), "transfer refused: " + answer);
        return new TransferLoad.Accepted(tx, v, System.nanoTime(), -1);
    }

    private long expiry(final int v) throws InterruptedException {
        return status(cluster, v).consensusTimeMs() + TransferLoad.EXPIRY_AFTER_MS;
    }

    /** Reads the page until {@code condition} holds; fails with the last state after {@link #PAGE_TIMEOUT_MS}. */
    private JsonNode awaitPage(final String what, final Predicate<JsonNode> condition) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAGE_TIMEOUT_MS);
        JsonNode state;
        do {
            state = browser.state();
            if (condition.test(state)) {
                return state;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        screenshot("dashboard-failed.png");
        return fail("the page never showed " + what + " within " + PAGE_TIMEOUT_MS + " ms; last state: " + state);
    }

    private Path screenshot(final String name) throws Exception {
        final Path png = SHOTS.resolve(name);
        browser.screenshot(png);
        return png;
    }

    private static void assertPng(final Path png) throws Exception {
        final byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000, png + " is only " + bytes.length + " bytes");
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), png + " is not a PNG");
    }

    private static List<JsonNode> rows(final JsonNode state) {
        final List<JsonNode> rows = new ArrayList<>();
        state.path("validators").forEach(rows::add);
        return rows;
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }
}
