package io.basalt.client.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.BasaltException;
import io.basalt.client.sdk.Finality;
import io.basalt.client.sdk.NetworkStatus;
import io.basalt.client.sdk.TransactionBuilder;
import io.basalt.crypto.Ed25519;
import io.basalt.protocol.TxState;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * The common path of commands that sign and submit one transaction: read the network id and fee
 * from a validator of the sender's shard, build and sign with an expiry after that shard's
 * consensus time (each shard keeps its own), submit to that shard, print the id and, with
 * {@code --wait}, the outcome.
 *
 * <p>Text prints "txId ID" at once, then the outcome; JSON prints one object at the end (the
 * outcome, or ACCEPTED without --wait). A rejected or failed transaction is printed like any
 * outcome and then reported on stderr with exit 6.
 */
final class SubmitSupport {
    private SubmitSupport() {
    }

    /** The status of a validator of {@code account}'s shard: network id, fee and that shard's consensus time. */
    static NetworkStatus statusFor(final BasaltClient client, final byte[] account) {
        try {
            return client.status(client.network().shardOf(account));
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        }
    }

    /** Returns the exit code: 0 when submitted (and, with wait, committed, or settled across shards, successfully). */
    static int submit(final BasaltClient client, final PrintWriter out, final OutputOptions output, final WaitOptions wait,
                      final byte[] sender, final BiFunction<TransactionBuilder, Long, TransactionBuilder.Signed> build) {
        final NetworkStatus status = statusFor(client, sender);
        final TransactionBuilder builder = TransactionBuilder.forNetwork(Ed25519.fromSystemProperties(), status);
        final TransactionBuilder.Signed tx = build.apply(builder, status.consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS);
        return submitSigned(client, out, output, wait, tx.bytes(), tx.txIdHex());
    }

    /** Submits bytes that are already signed (by everyone who must sign them). */
    static int submitSigned(final BasaltClient client, final PrintWriter out, final OutputOptions output,
                            final WaitOptions wait, final byte[] tx, final String txIdHex) {
        // --wait on a transaction that crosses shards waits for SETTLED: the destination applied it.
        final CompletableFuture<Finality> future = wait.enabled()
            ? client.submitAndSettle(tx, wait.limit())
            : client.admit(tx);
        if (!output.json()) {
            out.println("txId " + txIdHex);
            out.flush();
        }
        return report(out, output, wait.enabled(), ClientCommands.await(future, txIdHex, wait.limit()), null);
    }

    /**
     * Prints a submission's answer and turns a refusal or a failure into exit 6; {@code extra}
     * (may be null) adds fields to the JSON answer.
     */
    static int report(final PrintWriter out, final OutputOptions output, final boolean waited, final Finality finality,
                      final ObjectNode extra) {
        if (output.json()) {
            final ObjectNode json = ClientCommands.json(finality);
            if (extra != null) {
                json.setAll(extra);
            }
            OutputOptions.print(out, json);
        }
        if (finality.state() == TxState.REJECTED) {
            throw new CliException("rejected: " + finality.rejectCode().name() + " (" + finality.rejectCode().message() + ")",
                ClientCommands.EXIT_TX_FAILED);
        }
        if (!waited) {
            if (!output.json()) {
                out.println("ACCEPTED (use --wait, or basalt tx status, for the outcome)");
                out.flush();
            }
            return 0;
        }
        if (!output.json()) {
            out.println(finality.describe());
            out.flush();
        }
        if (!finality.succeeded()) {
            throw new CliException("committed but failed: " + finality.result().name(), ClientCommands.EXIT_TX_FAILED);
        }
        return 0;
    }
}
