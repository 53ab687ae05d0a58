package io.basalt.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.crypto.KeyPair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10 item 6 at the HTTP API: an address or id spelt with another script's digit names no
 * account (it named the same one before), and the faucet takes only a plain JSON integer amount.
 */
@Timeout(30)
class StrictParsingGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair BOB = TestTransactions.key(2);
    private static final KeyPair FAUCET = TestTransactions.key(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpGateway gateway;
    private URI base;

    @BeforeEach
    void start() {
        gateway = new HttpGateway(new FakeNode(), new InetSocketAddress("127.0.0.1", 0), FAUCET, TestTransactions.genesis());
        gateway.start();
        base = URI.create("http://127.0.0.1:" + gateway.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
        http.shutdownNow();
    }

    /** BOB's address with its first digit written in another script (it must begin with a decimal digit). */
    private static String lookalike(final String hex) {
        final int i = firstDecimalDigit(hex);
        final char foreign = (char) ('\u0660' + (hex.charAt(i) - '0')); // ARABIC-INDIC DIGIT n
        return hex.substring(0, i) + foreign + hex.substring(i + 1);
    }

    private static int firstDecimalDigit(final String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) >= '0' && hex.charAt(i) <= '9') {
                return i;
            }
        }
        throw new AssertionError("no decimal digit in " + hex);
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String path, final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLookalikeAddressOrIdIsRefused() throws Exception {
        final String bob = BOB.publicKeyHex();
        assertEquals(200, get("/v1/accounts/" + bob + "/balances").statusCode());
        final String encoded = URLEncoder.encode(lookalike(bob), StandardCharsets.UTF_8);
        final HttpResponse<String> balances = get("/v1/accounts/" + encoded + "/balances");
        assertEquals(400, balances.statusCode(), balances.body());
        final HttpResponse<String> status = get("/v1/transactions/" + encoded);
        assertEquals(400, status.statusCode(), status.body());
        final HttpResponse<String> faucet = post("/v1/faucet", "{\"account\":\"" + lookalike(bob) + "\",\"amount\":5}");
        assertEquals(400, faucet.statusCode(), faucet.body());
        assertEquals("BAD_HEX", JSON.readTree(faucet.body()).get("code").asText());
    }

    /** The genesis file goes through the same parser: a lookalike or short key or account stops start-up. */
    @Test
    void aGenesisWithALooseKeyOrAccountIsRefused() {
        final io.basalt.node.config.Genesis good = TestTransactions.genesis();
        final String bob = BOB.publicKeyHex();
        for (final String account : new String[] {lookalike(bob), bob.substring(2), bob + "00", " " + bob.substring(1)}) {
            final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new io.basalt.node.config.Genesis(good.networkId(), good.shardCount(), good.fee(), good.genesisTimeMs(),
                    good.shards(), java.util.List.of(new io.basalt.node.config.Genesis.Allocation(account, 0, 5))));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("allocation account"), e.getMessage());
        }
        final var validator = good.shards().getFirst().validators().getFirst();
        final var shards = new java.util.ArrayList<>(good.shards());
        final var validators = new java.util.ArrayList<>(shards.getFirst().validators());
        validators.set(0, new io.basalt.node.config.Genesis.Validator(validator.index(), lookalike(validator.publicKey()),
            validator.stake(), validator.consensusEndpoint(), validator.httpEndpoint(), validator.clientEndpoint()));
        shards.set(0, new io.basalt.node.config.Genesis.Shard(0, validators));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new io.basalt.node.config.Genesis(good.networkId(), good.shardCount(), good.fee(), good.genesisTimeMs(),
                shards, java.util.List.of()));
    }

    @Test
    void theFaucetTakesOnlyAPlainIntegerAmount() throws Exception {
        final String account = BOB.publicKeyHex();
        for (final String amount : new String[] {"5.0", "5e0", "\"5\"", "-5", "0"}) {
            final HttpResponse<String> response = post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":" + amount + "}");
            assertEquals(400, response.statusCode(), amount + ": " + response.body());
        }
        assertEquals(202, post("/v1/faucet", "{\"account\":\"" + account + "\",\"amount\":5}").statusCode());
    }
}
