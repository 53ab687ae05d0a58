package io.basalt.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import io.basalt.client.sdk.Finality;
import io.basalt.crypto.Hex;
import io.basalt.crypto.KeyFiles;
import io.basalt.crypto.KeyPair;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the client commands ({@code transfer}, {@code create-asset}, {@code balance}, {@code tx},
 * {@code watch}) share: the default node URL, argument parsing, exit codes and turning SDK errors
 * into one line.
 *
 * <p>{@code --node} is a seed: the commands that read or write an account learn the network's shard
 * map from it and talk to a validator of the account's shard ({@link BasaltClient#routing}), so any
 * validator of the network will do.
 */
final class ClientCommands {
    static final String DEFAULT_NODE = "http://127.0.0.1:8080";
    static final String NODE_HELP = "HTTP URL of any validator; the account's shard is found from its network map"
        + " (default: ${DEFAULT-VALUE})";
    static final String WATCH_NODE_HELP = "HTTP URL of the validator to watch (default: ${DEFAULT-VALUE})";

    /** Exit codes: 2 usage (picocli), 4 key file, 5 node unreachable or refused the request, 6 transaction failed. */
    static final int EXIT_KEY_FILE = 4;
    static final int EXIT_NODE = 5;
    static final int EXIT_TX_FAILED = 6;

    private ClientCommands() {
    }

    /** A client of the whole network, seeded with {@code node}; fails with exit 5 if the seed gives no map. */
    static BasaltClient connect(final URI node) {
        checkUrl(node);
        try {
            return BasaltClient.routing(node);
        } catch (final BasaltException e) {
            throw failure(e);
        }
    }

    /** A client of {@code node} alone, for what concerns that validator rather than an account. */
    static BasaltClient connectOne(final URI node) {
        checkUrl(node);
        return BasaltClient.http(node);
    }

    private static void checkUrl(final URI node) {
        if (node.getScheme() == null || !(node.getScheme().equals("http") || node.getScheme().equals("https"))) {
            throw new CliException("--node must be an http:// or https:// URL: " + node, 2);
        }
    }

    static KeyPair readKey(final Path file) {
        try {
            return KeyFiles.read(file);
        } catch (final IOException e) {
            throw new CliException("cannot read key file " + file + ": " + e.getMessage(), EXIT_KEY_FILE);
        }
    }

    static byte[] address(final String hex, final String what) {
        return hash32(hex, what, "an address is 64 hex digits (a public key; see basalt keys show)");
    }

    static byte[] hash32(final String hex, final String what, final String hint) {
        try {
            return Hex.decode(hex, 32, "it"); // exactly 64 ASCII hex digits, nothing around them
        } catch (final IllegalArgumentException e) {
            // The parser's reason names a length or a position, never the input's characters.
            throw new CliException(what + " is not valid: " + e.getMessage() + "; " + hint, 2);
        }
    }

    /** An SDK error as a one-line CLI error. */
    static CliException failure(final BasaltException e) {
        return new CliException(e.getMessage(), EXIT_NODE);
    }

    /**
     * Waits up to {@code timeout} for a submission's finality, turning every failure into a one-line
     * error that names the transaction, so that a user who gave up waiting can still look it up.
     */
    static Finality await(final CompletableFuture<Finality> future, final String txIdHex, final Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof BasaltException b) {
                if ("TIMEOUT".equals(b.code())) {
                    throw notFinal(txIdHex, timeout);
                }
                throw failure(b);
            }
            throw new CliException(String.valueOf(e.getCause().getMessage()), EXIT_NODE);
        } catch (final TimeoutException e) {
            throw notFinal(txIdHex, timeout);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", EXIT_NODE);
        }
    }

    private static CliException notFinal(final String txIdHex, final Duration timeout) {
        return new CliException("transaction " + txIdHex + " was not final within " + human(timeout)
            + "; check later with basalt tx status " + txIdHex + " (or wait longer with --wait-timeout)", EXIT_NODE);
    }

    static String human(final Duration duration) {
        final long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    static String describe(final Finality finality) {
        return finality.txId() + " " + finality.describe();
    }

    /**
     * A transaction's state as JSON: txId, state, and what applies to it (result and height once
     * committed, rejectCode once rejected). The same shape for tx status, submit results and watch.
     */
    static ObjectNode json(final Finality finality) {
        final ObjectNode node = OutputOptions.object();
        node.put("txId", finality.txId());
        node.put("state", finality.state().name());
        switch (finality.state()) {
            case COMMITTED, SETTLED -> {
                node.put("result", finality.result().name());
                node.put("resultCode", finality.resultCode());
                node.put("height", finality.height());
                node.put("consensusTimeMs", finality.consensusTimeMs());
            }
            case REJECTED -> {
                node.put("rejectCode", finality.rejectCode().name());
                node.put("message", finality.rejectCode().message());
            }
            default -> {
                // UNKNOWN and ACCEPTED carry nothing more.
            }
        }
        return node;
    }
}
