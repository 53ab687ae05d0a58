package io.basalt.system;

import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.Finality;
import io.basalt.client.sdk.ResubmitPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Transfers submitted through the SDK's routing client, seeded at one validator, which therefore sends each one first
 * to that validator: the client whose transactions a kill of the seed must not lose. One thread submits at a fixed
 * rate and keeps every submission's future; the test reads the outcomes after the load.
 */
final class SdkTransfers {
    /** A resubmit interval short enough for the test, well above the shard's commit latency. */
    static final ResubmitPolicy POLICY = new ResubmitPolicy(Duration.ofSeconds(1), ResubmitPolicy.UNTIL_EXPIRY);

    /** One submission: what was sent, when, what the SDK reports for it and when ({@code answeredAtNanos}, once done). */
    record Sent(Transfers.Signed tx, long sentAtNanos, CompletableFuture<Finality> outcome, AtomicLong answeredAtNanos) {
    }

    private final BasaltClient client;
    private final Transfers transfers;
    private final long periodNs;
    private final long consensusAtStartMs;
    private final long startNs = System.nanoTime();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    SdkTransfers(final URI seed, final Transfers transfers, final int ratePerSecond) {
        this.client = BasaltClient.routing(seed, POLICY);
        this.transfers = transfers;
        this.periodNs = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.consensusAtStartMs = client.status().consensusTimeMs();
        this.thread = new Thread(this::run, "sdk-transfers");
        thread.setDaemon(true);
    }

    SdkTransfers start() {
        thread.start();
        return this;
    }

    /** Stops submitting; the futures of what was sent keep running. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    void close() {
        client.close();
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            next += periodNs;
            final long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (final InterruptedException e) {
                    return;
                }
            }
            // The seed's consensus time at the start, carried forward by the local clock.
            final long expiryMs = consensusAtStartMs + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs)
                + TransferLoad.EXPIRY_AFTER_MS;
            final Transfers.Signed tx = transfers.randomTransfer(100, expiryMs);
            final AtomicLong answeredAt = new AtomicLong();
            final long sentAt = System.nanoTime();
            final CompletableFuture<Finality> outcome = client.submit(tx.bytes());
            outcome.whenComplete((finality, failure) -> answeredAt.set(System.nanoTime()));
            sent.add(new Sent(tx, sentAt, outcome, answeredAt));
        }
    }
}
