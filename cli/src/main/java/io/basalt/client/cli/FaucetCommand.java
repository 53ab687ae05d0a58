package io.basalt.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import io.basalt.client.sdk.Finality;
import io.basalt.client.sdk.NetworkMap;
import io.basalt.crypto.Hex;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code basalt faucet (--to ADDR | --key FILE) [--amount N] [--node URL] [--wait] [-o json]}: asks
 * the faucet of a local or test network ({@code POST /v1/faucet}, docs/api.md) for asset 0.
 *
 * <p>The request goes to a validator of the account's shard: each shard of {@code basalt local}
 * has a faucet account on that shard, so the faucet's transfer stays inside one shard and is final
 * when it commits. The SDK has no faucet call, so this command speaks that one route itself.
 */
@Command(name = "faucet", mixinStandardHelpOptions = true,
    description = "Ask a local or test network's faucet for native asset (asset 0) for an account.")
final class FaucetCommand implements Callable<Integer> {
    /** The gateway's own limit per request (Faucet.MAX_AMOUNT_PER_REQUEST). */
    static final long MAX_AMOUNT = 1_000_000_000L;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_NS = 50_000_000L;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Account account;

    /** Whom to fund: an address, or the account of a key file. */
    static final class Account {
        @Option(names = "--to", required = true, paramLabel = "ADDR", description = "account to fund (64 hex digits)")
        String address;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "fund the account of this key file")
        Path key;
    }

    @Option(names = "--amount", defaultValue = "1000000", paramLabel = "N",
        description = "amount of asset 0, 1 to " + MAX_AMOUNT + " (default: ${DEFAULT-VALUE})")
    long amount;

    @Option(names = "--node", defaultValue = ClientCommands.DEFAULT_NODE, paramLabel = "URL", description = ClientCommands.NODE_HELP)
    URI node;

    @Mixin
    WaitOptions wait;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (amount < 1 || amount > MAX_AMOUNT) {
            throw new CliException("--amount must be from 1 to " + MAX_AMOUNT, 2);
        }
        final byte[] to = account.key != null ? ClientCommands.readKey(account.key).publicKey()
            : ClientCommands.address(account.address, "--to");
        try (BasaltClient client = ClientCommands.connect(node)) {
            final URI gateway = validatorOf(client, node, client.network().shardOf(to));
            final JsonNode answer = request(gateway, to);
            final String txId = answer.path("txId").asText();
            final PrintWriter out = spec.commandLine().getOut();
            if (!output.json()) {
                out.println("txId " + txId);
                out.println("from faucet " + answer.path("from").asText() + " amount " + amount);
                out.flush();
            }
            final Finality finality = wait.enabled() ? awaitFinal(client, txId, wait.limit())
                : new Finality(txId, TxState.ACCEPTED, 0, RejectCode.NONE, 0, 0);
            final ObjectNode extra = OutputOptions.object();
            extra.put("from", answer.path("from").asText());
            extra.put("to", Hex.encode(to));
            extra.put("amount", amount);
            return SubmitSupport.report(out, output, wait.enabled(), finality, extra);
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        }
    }

    /**
     * The HTTP URL of a validator of {@code shard}: the seed itself when it serves that shard (its
     * own URL works even where the map lists another name for it), else the map's first validator.
     */
    static URI validatorOf(final BasaltClient client, final URI seed, final int shard) {
        if (client.status().shardId() == shard) {
            return seed;
        }
        final NetworkMap.Validator validator = client.network().shard(shard).validators().getFirst();
        return URI.create(seed.getScheme() + "://" + validator.httpEndpoint());
    }

    private JsonNode request(final URI gateway, final byte[] to) {
        final String base = gateway.toString().endsWith("/") ? gateway.toString() : gateway + "/";
        final String body = OutputOptions.object().put("account", Hex.encode(to)).put("amount", amount).toString();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "v1/faucet")).timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        final HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build()) {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new CliException("cannot reach the faucet at " + gateway + " (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", ClientCommands.EXIT_NODE);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", ClientCommands.EXIT_NODE);
        }
        final JsonNode json = parse(response.body());
        if (response.statusCode() == 202 && json != null && json.hasNonNull("txId")) {
            return json;
        }
        final String code = json == null ? "HTTP_" + response.statusCode() : json.path("code").asText("HTTP_" + response.statusCode());
        final String message = json == null ? "" : json.path("message").asText("");
        if ("FAUCET_DISABLED".equals(code)) {
            throw new CliException("the validator at " + gateway + " has no faucet (basalt local and test networks have one"
                + " per shard)", ClientCommands.EXIT_NODE);
        }
        throw new CliException("the faucet refused: " + code + (message.isEmpty() ? "" : " (" + message + ")"),
            ClientCommands.EXIT_TX_FAILED);
    }

    private static JsonNode parse(final String body) {
        try {
            return OutputOptions.JSON.readTree(body);
        } catch (final IOException | RuntimeException e) {
            return null;
        }
    }

    /** Polls the network until the faucet's transfer is final: it stays inside one shard, so COMMITTED is. */
    private static Finality awaitFinal(final BasaltClient client, final String txId, final Duration timeout) {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final byte[] id = Hex.decode(txId);
        while (true) {
            final Finality status = client.txStatus(id);
            if (status.isFinal()) {
                return status;
            }
            if (System.nanoTime() - deadlineNs > 0) {
                throw new CliException("transaction " + txId + " was not final within " + ClientCommands.human(timeout)
                    + "; check later with basalt tx status " + txId, ClientCommands.EXIT_NODE);
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
