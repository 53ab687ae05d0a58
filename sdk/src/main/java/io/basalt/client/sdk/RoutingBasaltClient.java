package io.basalt.client.sdk;

import io.aeron.Aeron;
import io.basalt.crypto.Hex;
import io.basalt.crypto.Shards;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A client of every shard of a network, learned from one seed validator's {@code GET /v1/network}.
 *
 * <pre>
 *   submit(tx)        ── shard of the sender ──▶  submitter of that shard   (HTTP, or Aeron UDP)
 *   balances(addr)    ── shard of addr       ──▶  HTTP client of that shard
 *   txStatus(id)      ── each shard in turn, the seed's first, until one knows it
 *   status(), network map                    ──▶  the seed
 * </pre>
 *
 * Each shard is served by one validator, chosen when the map is learned: the seed for its own shard,
 * a random validator for the others, so that many clients spread over a committee. A submission that
 * gets no outcome from it goes on to the shard's other validators in turn ({@link ResubmitPolicy},
 * {@link Resubmission}). Clients of validators are opened on first use, one per HTTP URL, and kept
 * until {@link #close}, so that submissions in flight on them still complete after a refreshed map.
 */
final class RoutingBasaltClient implements BasaltClient {
    /** Opens the submitter of one shard: a client of {@code validator}, whose HTTP gateway is {@code http}. */
    @FunctionalInterface
    interface Submitters {
        BasaltClient open(NetworkMap.Validator validator, URI http);
    }

    private final URI seed;
    private final HttpBasaltClient seedClient;
    /** Null: HTTP submits, through the shard's HTTP client. */
    private final Submitters submitters;
    private final ResubmitPolicy policy;
    /** Runs the resubmission checks; daemon, so an unclosed client does not keep the JVM up. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("basalt-resubmit").unstarted(r));
    /** Runs the resubmissions' blocking status queries, one virtual thread each. */
    private final ExecutorService statusQueries = Executors.newVirtualThreadPerTaskExecutor();
    private final Object lock = new Object();
    /** Every client this one opened, closed with it; guarded by {@link #lock}. */
    private final List<BasaltClient> opened = new ArrayList<>();
    /** HTTP clients and submitters by the validator's HTTP URL, opened on first use; guarded by {@link #lock}. */
    private final Map<URI, HttpBasaltClient> httpClients = new HashMap<>();
    private final Map<URI, BasaltClient> submitterClients = new HashMap<>();
    private boolean closed;
    private volatile Routes routes;

    /** A validator of the map and the URL of its HTTP gateway. */
    private record Member(NetworkMap.Validator validator, URI http) {
    }

    /**
     * A map and, per shard, its committee in the order submissions try it: the validator chosen to serve the shard
     * first, then the others in committee order from there.
     */
    private static final class Routes {
        final NetworkMap map;
        final List<List<Member>> committees = new ArrayList<>();
        /** The seed's shard, or -1 when the seed could not be placed in the map. */
        final int seedShard;

        /** {@code seedAt} is the seed's entry in the map, or null: then every shard gets a random validator. */
        Routes(final NetworkMap map, final URI seed, final SeedPlace seedAt) {
            this.map = map;
            for (int s = 0; s < map.shardCount(); s++) {
                final List<NetworkMap.Validator> validators = map.shard(s).validators();
                final boolean seeds = seedAt != null && seedAt.shardId() == s;
                final int chosen = seeds ? seedAt.index() : ThreadLocalRandom.current().nextInt(validators.size());
                final List<Member> committee = new ArrayList<>();
                for (int i = 0; i < validators.size(); i++) {
                    final int v = (chosen + i) % validators.size();
                    final URI http = seeds && v == chosen ? seed : httpUri(seed, validators.get(v).httpEndpoint());
                    committee.add(new Member(validators.get(v), http));
                }
                committees.add(List.copyOf(committee));
            }
            seedShard = seedAt == null ? -1 : seedAt.shardId();
        }

        Member chosen(final int shardId) {
            return committees.get(shardId).get(0);
        }
    }

    /** Where the seed is in the map: shard and committee index. */
    private record SeedPlace(int shardId, int index) {
    }

    static RoutingBasaltClient http(final URI seed, final ResubmitPolicy policy) {
        return new RoutingBasaltClient(seed, null, policy);
    }

    static RoutingBasaltClient aeron(final Aeron aeron, final URI seed, final String responseHost,
                                     final ResubmitPolicy policy) {
        Objects.requireNonNull(aeron, "aeron");
        Objects.requireNonNull(responseHost, "responseHost");
        return new RoutingBasaltClient(seed, (validator, http) -> {
            if (validator.clientEndpoint() == null || validator.clientEndpoint().isBlank()) {
                throw new BasaltException("NO_CLIENT_ENDPOINT", "validator " + validator.index() + " (" + validator.publicKey()
                    + ") has no Aeron client endpoint in the network map", 0);
            }
            // Queries go through the routing client's own HTTP clients, so this one needs none.
            return AeronBasaltClient.udp(aeron, validator.clientEndpoint(), responseHost, null);
        }, policy);
    }

    private RoutingBasaltClient(final URI seed, final Submitters submitters, final ResubmitPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.seedClient = new HttpBasaltClient(Objects.requireNonNull(seed, "seed"));
        this.seed = seedClient.base();
        this.submitters = submitters;
        try {
            final NetworkMap map = learn();
            this.routes = new Routes(map, this.seed, place(map));
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The seed's map, or a BasaltException that says the map could not be learned and why. */
    private NetworkMap learn() {
        try {
            return seedClient.network();
        } catch (final BasaltException e) {
            throw new BasaltException(e.code(), "cannot learn the network map from the seed " + seed + ": " + e.detail(), e);
        }
    }

    /**
     * Finds the seed in the map by its address; failing that (a seed reached as {@code localhost}, or
     * through a tunnel, is not written as the genesis writes it) by asking the seed who it is. The
     * seed then serves its own shard, so a network whose map lists addresses this client cannot
     * reach still works for the seed's shard. Null when the seed cannot be placed.
     */
    private SeedPlace place(final NetworkMap map) {
        for (final NetworkMap.Shard shard : map.shards()) {
            for (final NetworkMap.Validator v : shard.validators()) {
                if (isSeed(seed, v.httpEndpoint())) {
                    return new SeedPlace(shard.shardId(), v.index());
                }
            }
        }
        try {
            final NetworkStatus status = seedClient.status();
            final boolean listed = status.shardId() >= 0 && status.shardId() < map.shardCount()
                && status.validatorIndex() >= 0 && status.validatorIndex() < map.shard(status.shardId()).validators().size();
            return listed ? new SeedPlace(status.shardId(), status.validatorIndex()) : null;
        } catch (final BasaltException e) {
            return null;
        }
    }

    @Override
    public NetworkMap network() {
        return routes.map;
    }

    @Override
    public NetworkMap refreshNetwork() {
        final NetworkMap map = learn();
        if (map.equals(routes.map)) {
            return map;
        }
        routes = new Routes(map, seed, place(map));
        return map;
    }

    /**
     * Submits to the chosen validator of the sender's shard and, as the {@link ResubmitPolicy} says, the same bytes
     * to the shard's other validators in turn while no outcome arrives.
     */
    @Override
    public CompletableFuture<Finality> submit(final byte[] transaction) {
        final Routes current = routes;
        try {
            final int shardId = current.map.shardOfTransaction(transaction);
            if (policy.maxAttempts() == 1) {
                return submitter(current, shardId).submit(transaction);
            }
            synchronized (lock) {
                ensureOpen();
            }
            final List<Member> committee = current.committees.get(shardId);
            return Resubmission.start(transaction, new Resubmission.Committee() {
                @Override
                public int size() {
                    return committee.size();
                }

                @Override
                public BasaltClient submitter(final int index) {
                    return submitterOf(committee.get(index), shardId);
                }

                @Override
                public BasaltClient queries(final int index) {
                    return httpClient(committee.get(index).http());
                }
            }, policy, timer, statusQueries);
        } catch (final IllegalArgumentException | BasaltException e) {
            return CompletableFuture.failedFuture(e);
        } catch (final RejectedExecutionException e) {
            // Closed between the check above and the first tick's scheduling.
            return CompletableFuture.failedFuture(new BasaltException("CLOSED", "the client was closed", e));
        }
    }

    @Override
    public CompletableFuture<Finality> admit(final byte[] transaction) {
        final Routes current = routes;
        try {
            return submitter(current, current.map.shardOfTransaction(transaction)).admit(transaction);
        } catch (final IllegalArgumentException | BasaltException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Map<Integer, Long> balances(final byte[] address) {
        if (address.length != Shards.ADDRESS_BYTES) {
            // No shard to route to: the seed answers with the API's own BAD_LENGTH.
            return seedClient.balances(address);
        }
        final Routes current = routes;
        return queries(current, current.map.shardOf(address)).balances(address);
    }

    /**
     * Asks every shard, the seed's first, since an id does not tell which shard admitted it. A shard
     * that cannot be reached makes UNKNOWN unprovable: then its error is thrown instead.
     */
    @Override
    public Finality txStatus(final byte[] txId) {
        final Routes current = routes;
        final int shards = current.map.shardCount();
        final int first = Math.max(0, current.seedShard);
        BasaltException failure = null;
        for (int i = 0; i < shards; i++) {
            try {
                final Finality status = queries(current, (first + i) % shards).txStatus(txId);
                if (status.state() != TxState.UNKNOWN) {
                    return status;
                }
            } catch (final BasaltException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return new Finality(Hex.encode(txId), TxState.UNKNOWN, 0, RejectCode.NONE, 0, 0);
    }

    @Override
    public NetworkStatus status() {
        return seedClient.status();
    }

    /** @throws IllegalArgumentException if the network has no shard {@code shardId} */
    @Override
    public NetworkStatus status(final int shardId) {
        return queries(routes, shardId).status();
    }

    @Override
    public AutoCloseable watch(final Consumer<Finality> listener) {
        final Routes current = routes;
        final List<AutoCloseable> handles = new ArrayList<>();
        try {
            for (int s = 0; s < current.map.shardCount(); s++) {
                handles.add(queries(current, s).watch(listener));
            }
        } catch (final RuntimeException e) {
            closeAll(handles);
            throw e;
        }
        return () -> closeAll(handles);
    }

    @Override
    public void close() {
        final List<BasaltClient> toClose;
        synchronized (lock) {
            closed = true;
            toClose = new ArrayList<>(opened);
            opened.clear();
        }
        toClose.forEach(BasaltClient::close);
        seedClient.close();
        timer.shutdownNow();
        statusQueries.shutdownNow();
    }

    /** @throws IllegalArgumentException if the network has no shard {@code shardId} */
    private HttpBasaltClient queries(final Routes current, final int shardId) {
        current.map.shard(shardId);
        return httpClient(current.chosen(shardId).http());
    }

    private HttpBasaltClient httpClient(final URI http) {
        synchronized (lock) {
            ensureOpen();
            if (http.equals(seed)) {
                return seedClient;
            }
            return httpClients.computeIfAbsent(http, uri -> remember(new HttpBasaltClient(uri)));
        }
    }

    private BasaltClient submitter(final Routes current, final int shardId) {
        return submitterOf(current.chosen(shardId), shardId);
    }

    private BasaltClient submitterOf(final Member member, final int shardId) {
        if (submitters == null) {
            return httpClient(member.http());
        }
        synchronized (lock) {
            ensureOpen();
            BasaltClient client = submitterClients.get(member.http());
            if (client == null) {
                client = remember(open(member.validator(), member.http(), shardId));
                submitterClients.put(member.http(), client);
            }
            return client;
        }
    }

    private BasaltClient open(final NetworkMap.Validator validator, final URI http, final int shardId) {
        try {
            return submitters.open(validator, http);
        } catch (final BasaltException e) {
            throw e;
        } catch (final RuntimeException e) {
            throw new BasaltException("UNREACHABLE", "cannot open a client of shard " + shardId + " validator "
                + validator.index() + ": " + e.getMessage(), e);
        }
    }

    private <C extends BasaltClient> C remember(final C client) {
        opened.add(client);
        return client;
    }

    private void ensureOpen() {
        if (closed) {
            throw new BasaltException("CLOSED", "the client was closed", 0);
        }
    }

    /** Whether {@code hostPort} of the map names the seed: same host and port, as written. */
    static boolean isSeed(final URI seed, final String hostPort) {
        final int port = seed.getPort() != -1 ? seed.getPort() : "https".equals(seed.getScheme()) ? 443 : 80;
        return hostPort != null && hostPort.equalsIgnoreCase(seed.getHost() + ":" + port);
    }

    /** The HTTP URL of a validator of the map, with the seed's scheme. */
    static URI httpUri(final URI seed, final String hostPort) {
        try {
            return URI.create(seed.getScheme() + "://" + hostPort + "/");
        } catch (final IllegalArgumentException e) {
            throw new BasaltException("BAD_RESPONSE", "the network map lists an HTTP endpoint that is not host:port: "
                + hostPort, e);
        }
    }

    private static void closeAll(final List<AutoCloseable> handles) {
        for (final AutoCloseable handle : handles) {
            try {
                handle.close();
            } catch (final Exception ignored) {
                // Closing a stream that already failed; the others still close.
            }
        }
    }
}
