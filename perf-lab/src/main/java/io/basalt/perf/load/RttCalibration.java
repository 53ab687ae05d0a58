package io.basalt.perf.load;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.basalt.node.net.Doorbell;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.basalt.node.net.AeronMedia;
import io.basalt.node.runtime.IdleMode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The latency floor of this machine's messaging, measured in the run before any step: the round
 * trip of one small Aeron message between two Agrona agents, over the same kind of channel the
 * cluster's traffic takes (IPC for the in-process cluster, UDP on 127.0.0.1 when a client JVM talks
 * to it), on a media driver set up as the node sets up its embedded one (shared threading,
 * backoff idle) and with the agents idling as the node's agents do. A transaction's finality takes
 * several such hops plus the work between them, so "p50 = N × RTT floor" says how far a step is
 * from what the transport alone would allow.
 * <pre>
 *   ping agent ──(stream 1001: send time)──▶ pong agent
 *        ◀──────(stream 1002: the same bytes)──┘     one message in flight at a time
 * </pre>
 *
 * @param channel      "ipc" or "udp"
 * @param idleStrategy the agents' idle strategy (the node's)
 * @param roundTrips   timed round trips (after the warm-up ones)
 * @param p50Us        median round trip, µs
 * @param p99Us        99th percentile, µs
 * @param meanUs       mean, µs
 * @param maxUs        largest, µs
 */
record RttCalibration(String channel, String idleStrategy, int roundTrips, double p50Us, double p99Us, double meanUs,
                      double maxUs) {
    static final int WARMUP_ROUND_TRIPS = 2_000;
    static final int ROUND_TRIPS = 10_000;
    private static final int PING_STREAM = 1001;
    private static final int PONG_STREAM = 1002;
    private static final int MESSAGE_BYTES = 32;
    private static final long TIMEOUT_S = 30;

    /** Percentiles and mean of measured round trips (ns); pure, for tests. */
    static RttCalibration summarise(final String channel, final String idle, final long[] roundTripsNs) {
        final long[] sorted = roundTripsNs.clone();
        Arrays.sort(sorted);
        final double mean = Arrays.stream(sorted).average().orElse(Double.NaN);
        return new RttCalibration(channel, idle, sorted.length, percentile(sorted, 50) / 1e3,
            percentile(sorted, 99) / 1e3, mean / 1e3, sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e3);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(final long[] sorted, final double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        final int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** How many round-trip floors a latency (ms) is. */
    double multipleOfP50(final double latencyMs) {
        return p50Us > 0 ? latencyMs * 1e3 / p50Us : Double.NaN;
    }

    static RttCalibration measure(final boolean udp, final String idleStrategy) throws IOException, InterruptedException {
        final IdleMode idle = IdleMode.parse(idleStrategy);
        final Path dir = Files.createTempDirectory("basalt-rtt-");
        final AeronMedia media = AeronMedia.embedded(dir.resolve("aeron"), idle.dedicatedCores());
        AgentRunner pingRunner = null;
        AgentRunner pongRunner = null;
        try {
            final Aeron aeron = media.aeron();
            final String pingChannel = udp ? "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort() : "aeron:ipc";
            final String pongChannel = udp ? "aeron:udp?endpoint=127.0.0.1:" + freeUdpPort() : "aeron:ipc";
            final Ping ping = new Ping(aeron.addPublication(pingChannel, PING_STREAM),
                aeron.addSubscription(pongChannel, PONG_STREAM), WARMUP_ROUND_TRIPS, ROUND_TRIPS);
            final Pong pong = new Pong(aeron.addSubscription(pingChannel, PING_STREAM),
                aeron.addPublication(pongChannel, PONG_STREAM));
            final long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!ping.publication.isConnected() || !pong.publication.isConnected()) {
                if (System.nanoTime() > connectDeadline) {
                    throw new IllegalStateException("ping-pong publications did not connect within 10 s");
                }
                Thread.sleep(1);
            }
            // As in the node: over IPC the sender rings the receiver's doorbell; over UDP nobody can.
            ping.peer = udp ? null : pong.doorbell;
            pong.peer = udp ? null : ping.doorbell;
            pongRunner = new AgentRunner(idle.agentIdleStrategy(pong.doorbell), Throwable::printStackTrace, null, pong);
            pingRunner = new AgentRunner(idle.agentIdleStrategy(ping.doorbell), Throwable::printStackTrace, null, ping);
            AgentRunner.startOnThread(pongRunner);
            AgentRunner.startOnThread(pingRunner);
            if (!ping.done.await(TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ping-pong did not finish within " + TIMEOUT_S + " s");
            }
            return summarise(udp ? "udp" : "ipc", idleStrategy, ping.timedNs);
        } finally {
            CloseHelper.quietCloseAll(pingRunner, pongRunner);
            media.close();
            LoadGenerator.deleteTree(dir);
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Sends one ping at a time, stamped with its send time; times the pong; counts down when done. */
    private static final class Ping implements Agent {
        final Publication publication;
        final Subscription pongs;
        final long[] timedNs;
        final int warmup;
        final CountDownLatch done = new CountDownLatch(1);
        final Doorbell doorbell = new Doorbell();
        Doorbell peer;
        private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_BYTES));
        private final FragmentHandler onPong = this::onPong;
        private boolean inFlight;
        private int received;

        Ping(final Publication publication, final Subscription pongs, final int warmup, final int timed) {
            this.publication = publication;
            this.pongs = pongs;
            this.warmup = warmup;
            this.timedNs = new long[timed];
        }

        @Override
        public int doWork() {
            if (received == warmup + timedNs.length) {
                done.countDown();
                return 0;
            }
            int work = 0;
            if (!inFlight) {
                out.putLong(0, System.nanoTime());
                if (publication.offer(out, 0, MESSAGE_BYTES) > 0) {
                    if (peer != null) {
                        peer.ring();
                    }
                    inFlight = true;
                    work++;
                }
            }
            return work + pongs.poll(onPong, 1);
        }

        @Override
        public String roleName() {
            return "rtt-ping";
        }

        private void onPong(final org.agrona.DirectBuffer buffer, final int offset, final int length,
                            final io.aeron.logbuffer.Header header) {
            final long rtt = System.nanoTime() - buffer.getLong(offset);
            if (received >= warmup) {
                timedNs[received - warmup] = rtt;
            }
            received++;
            inFlight = false;
        }
    }

    /** Echoes every ping back as it came. */
    private static final class Pong implements Agent {
        final Subscription pings;
        final Publication publication;
        final Doorbell doorbell = new Doorbell();
        Doorbell peer;
        private final FragmentHandler onPing;

        Pong(final Subscription pings, final Publication publication) {
            this.pings = pings;
            this.publication = publication;
            this.onPing = (buffer, offset, length, header) -> {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (this.publication.offer(buffer, offset, length) < 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                if (peer != null) {
                    peer.ring();
                }
            };
        }

        @Override
        public int doWork() {
            return pings.poll(onPing, 8);
        }

        @Override
        public String roleName() {
            return "rtt-pong";
        }
    }
}
