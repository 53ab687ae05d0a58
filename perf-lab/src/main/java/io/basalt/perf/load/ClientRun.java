package io.basalt.perf.load;

import io.aeron.Aeron;
import io.basalt.client.sdk.BasaltClient;
import io.basalt.client.sdk.Finality;
import io.basalt.client.sdk.NetworkStatus;
import io.basalt.node.net.AeronMedia;
import io.basalt.protocol.TxState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The validators of a {@link ChildCluster} as the open loop sees them, reached the way users reach
 * them: through the SDK ({@code BasaltClient}) from this JVM, one client per validator.
 * <pre>
 *   generator JVM                                         cluster JVM (ClusterMain)
 *   submitters ── BasaltClient.submit ──Aeron UDP / HTTP──▶ gateways ── validators
 *   ClientRun.Tracker ◀── future completes (COMMITTED) ◀── finality stream (Aeron / WebSocket)
 *   metrics, status  ◀──────────── HTTP GET /metrics, /v1/status ──────────┘
 * </pre>
 * Latency is the moment this JVM sees COMMITTED (the submit future completing) minus the intended
 * send time. {@code submit} does not wait for the answer: an Aeron client publishes and returns, an
 * HTTP client sends asynchronously. A refusal arrives later, through the future, and is reported as
 * a late reject code. With Aeron, the generator runs its own embedded media driver (UDP on loopback).
 */
final class ClientRun implements OpenLoopRun.Cluster, AutoCloseable {
    /** The validator's Aeron client gateway's submit stream; responses come on the next one. */
    static final int SUBMIT_STREAM_ID = 20;

    private final List<BasaltClient> clients = new ArrayList<>();
    private final List<URI> metricsUris = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Tracker tracker = new Tracker();
    private final AeronMedia media;
    private final Path mediaDir;

    ClientRun(final String kind, final List<ChildCluster.Endpoint> endpoints) throws IOException {
        final boolean aeron = kind.equals("aeron");
        mediaDir = aeron ? Files.createTempDirectory("basalt-load-client-") : null;
        media = aeron ? AeronMedia.embedded(mediaDir.resolve("aeron"), false) : null;
        try {
            for (final ChildCluster.Endpoint e : endpoints) {
                final URI base = URI.create("http://" + e.http());
                metricsUris.add(URI.create("http://" + e.http() + "/metrics"));
                clients.add(aeron ? aeronClient(media.aeron(), e.client(), base) : BasaltClient.http(base));
            }
        } catch (final RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /** As the SDK's UDP client does: submit to host:port, responses on this host via control host:port+1. */
    private static BasaltClient aeronClient(final Aeron aeron, final String clientEndpoint, final URI queries) {
        final int colon = clientEndpoint.lastIndexOf(':');
        final String host = clientEndpoint.substring(0, colon);
        final int port = Integer.parseInt(clientEndpoint.substring(colon + 1));
        return BasaltClient.aeron(aeron, "aeron:udp?endpoint=" + clientEndpoint, SUBMIT_STREAM_ID,
            "aeron:udp?endpoint=127.0.0.1:0|control=" + host + ":" + (port + 1), SUBMIT_STREAM_ID + 1, queries);
    }

    Tracker tracker() {
        return tracker;
    }

    int validators() {
        return clients.size();
    }

    @Override
    public byte submit(final int validator, final int index, final byte[] transaction) {
        final Tracker.Step step = tracker.step;
        clients.get(validator).submit(transaction).whenComplete((finality, failure) ->
            tracker.onAnswer(step, index, finality, failure));
        return 0;
    }

    @Override
    public long[] progress() {
        final NetworkStatus status = clients.getFirst().status();
        return new long[] {status.round(), status.committedHeight()};
    }

    @Override
    public List<String> metricsTexts() {
        final List<String> texts = new ArrayList<>();
        for (final URI uri : metricsUris) {
            try {
                final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                texts.add(response.statusCode() == 200 ? response.body() : "");
            } catch (final IOException e) {
                texts.add("");
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                texts.add("");
            }
        }
        return texts;
    }

    @Override
    public void close() {
        clients.forEach(BasaltClient::close);
        if (media != null) {
            media.close();
            LoadGenerator.deleteTree(mediaDir);
        }
    }

    /**
     * Completions of the submit futures, on whatever thread completes them (the Aeron client's poller,
     * the HTTP client's executor): one compare-and-set per answer.
     */
    static final class Tracker implements OpenLoopRun.StepTracker {
        private static final class Step {
            final long startNs;
            final AtomicLongArray commitNs;
            final byte[] lateCodes;
            final AtomicLong done = new AtomicLong();
            final AtomicLong failedExecutions = new AtomicLong();
            final AtomicLong clientErrors = new AtomicLong();
            final AtomicReference<Throwable> firstError = new AtomicReference<>();

            Step(final int size, final long startNs) {
                this.startNs = startNs;
                this.commitNs = new AtomicLongArray(size);
                this.lateCodes = new byte[size];
            }
        }

        private volatile Step step;

        @Override
        public void begin(final SignedWorkload workload, final int validators, final long startNs) {
            step = new Step(workload.size(), startNs);
        }

        @Override
        public long done() {
            final Step s = step;
            return s == null ? 0 : s.done.get();
        }

        void onAnswer(final Step s, final int index, final Finality finality, final Throwable failure) {
            final long now = System.nanoTime();
            if (s == null) {
                return;
            }
            if (failure != null) {
                s.clientErrors.incrementAndGet();
                s.firstError.compareAndSet(null, failure);
            } else if (finality.state() == TxState.COMMITTED || finality.state() == TxState.SETTLED) {
                s.commitNs.set(index, Math.max(1, now - s.startNs));
                if (finality.resultCode() != 0) {
                    s.failedExecutions.incrementAndGet();
                }
            } else if (finality.state() == TxState.REJECTED) {
                // Written before done is incremented; end() reads after done stopped moving (or the drain ended).
                s.lateCodes[index] = (byte) Math.max(1, finality.rejectCode().ordinal());
            }
            s.done.incrementAndGet();
        }

        @Override
        public CommitTracker.Recorded end() {
            final Step s = step;
            step = null;
            final long[] out = new long[s.commitNs.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = s.commitNs.get(i);
            }
            if (s.clientErrors.get() > 0) {
                LoadGenerator.log("%,d submissions failed in the client (counted as not committed); the first: %s",
                    s.clientErrors.get(), s.firstError.get());
            }
            s.done.get(); // a volatile read: the late codes written before each increment are visible
            return new CommitTracker.Recorded(out, s.failedExecutions.get(), s.lateCodes.clone());
        }
    }
}
