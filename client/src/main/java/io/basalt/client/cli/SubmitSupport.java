package io.basalt.client.cli;

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
 */
final class SubmitSupport {
    private SubmitSupport() {
    }

    /** Returns the exit code: 0 when submitted (and, with wait, committed, or settled across shards, successfully). */
    static int submit(final BasaltClient client, final PrintWriter out, final boolean wait, final byte[] sender,
                      final BiFunction<TransactionBuilder, Long, TransactionBuilder.Signed> build) {
        final NetworkStatus status;
        try {
            status = client.status(client.network().shardOf(sender));
        } catch (final BasaltException e) {
            throw ClientCommands.failure(e);
        }
        final TransactionBuilder builder = TransactionBuilder.forNetwork(Ed25519.fromSystemProperties(), status);
        final TransactionBuilder.Signed tx = build.apply(builder, status.consensusTimeMs() + TransactionBuilder.DEFAULT_EXPIRY_MS);
        // --wait on a transaction that crosses shards waits for SETTLED: the destination applied it.
        final CompletableFuture<Finality> future = wait
            ? client.submitAndSettle(tx.bytes(), java.time.Duration.ofMillis(ClientCommands.WAIT_TIMEOUT_MS))
            : client.admit(tx.bytes());
        out.println("txId " + tx.txIdHex());
        out.flush();
        final Finality finality = ClientCommands.await(future);
        if (finality.state() == TxState.REJECTED) {
            throw new CliException("rejected: " + finality.rejectCode().name() + " (" + finality.rejectCode().message() + ")",
                ClientCommands.EXIT_TX_FAILED);
        }
        if (!wait) {
            out.println("ACCEPTED (use --wait, or basalt tx status, for the outcome)");
            out.flush();
            return 0;
        }
        out.println(finality.describe());
        out.flush();
        if (!finality.succeeded()) {
            throw new CliException("committed but failed: " + finality.result().name(), ClientCommands.EXIT_TX_FAILED);
        }
        return 0;
    }
}
