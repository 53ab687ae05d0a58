package io.basalt.client.sdk;

import io.aeron.Aeron;
import io.basalt.crypto.Hex;
import io.basalt.crypto.Shards;
import io.basalt.protocol.RejectCode;
import io.basalt.protocol.TxState;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
 * a random validator for the others, so that many clients spread over a committee. Its clients are
 * opened on first use and kept until {@link #close}; a refreshed map that differs starts a new set,
 * and the old clients stay open so that submissions in flight on them still complete.
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
    private final Object lock = new Object();
    /** Every client this one opened, closed with it; guarded by {@link #lock}. */
    private final List<BasaltClient> opened = new ArrayList<>();
    private boolean closed;
    private volatile Routes routes;

    /** A map and, per shard, the validator chosen to serve it and its clients once opened (under {@link #lock}). */
    private static final class Routes {
        final NetworkMap map;
        final NetworkMap.Validator[] chosen;
        final URI[] http;
        final HttpBasaltClient[] queries;
        final BasaltClient[] submitters;
        /** The seed's shard, or -1 when the seed could not be placed in the map. */
        final int seedShard;

        /** {@code seedAt} is the seed's entry in the map, or null: then every shard gets a random validator. */
        Routes(final NetworkMap map, final URI seed, final SeedPlace seedAt) {
            this.map = map;
            final int shards = map.shardCount();
            chosen = new NetworkMap.Validator[shards];
            http = new URI[shards];
            queries = new HttpBasaltClient[shards];
            submitters = new BasaltClient[shards];
            for (int s = 0; s < shards; s++) {
                final List<NetworkMap.Validator> validators = map.shard(s).validators();
                if (seedAt != null && seedAt.shardId() == s) {
                    chosen[s] = validators.get(seedAt.index());
                    http[s] = seed;
                } else {
                    chosen[s] = validators.get(ThreadLocalRandom.current().nextInt(validators.size()));
                    http[s] = httpUri(seed, chosen[s].httpEndpoint());
                }
            }
            seedShard = seedAt == null ? -1 : seedAt.shardId();
        }
    }

    /** Where the seed is in the map: shard and committee index. */
    private record SeedPlace(int shardId, int index) {
    }

    static RoutingBasaltClient http(final URI seed) {
        return new RoutingBasaltClient(seed, null);
    }

    static RoutingBasaltClient aeron(final Aeron aeron, final URI seed, final String responseHost) {
        Objects.requireNonNull(aeron, "aeron");
        Objects.requireNonNull(responseHost, "responseHost");
        return new RoutingBasaltClient(seed, (validator, http) -> {
            if (validator.clientEndpoint() == null || validator.clientEndpoint().isBlank()) {
                throw new BasaltException("NO_CLIENT_ENDPOINT", "validator " + validator.index() + " (" + validator.publicKey()
                    + ") has no Aeron client endpoint in the network map", 0);
            }
            // Queries go through the routing client's own HTTP clients, so this one needs none.
            return AeronBasaltClient.udp(aeron, validator.clientEndpoint(), responseHost, null);
        });
    }

    private RoutingBasaltClient(final URI seed, final Submitters submitters) {
        this.seedClient = new HttpBasaltClient(Objects.requireNonNull(seed, "seed"));
        this.seed = seedClient.base();
        this.submitters = submitters;
        try {
            final NetworkMap map = learn();
            this.routes = new Routes(map, this.seed, place(map));
        } catch (final RuntimeException e) {
            seedClient.close();
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

    @Override
    public CompletableFuture<Finality> submit(final byte[] transaction) {
        final Routes current = routes;
        try {
            return submitter(current, current.map.shardOfTransaction(transaction)).submit(transaction);
        } catch (final IllegalArgumentException | BasaltException e) {
            return CompletableFuture.failedFuture(e);
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
    }

    private HttpBasaltClient queries(final Routes current, final int shardId) {
        current.map.shard(shardId);
        synchronized (lock) {
            ensureOpen();
            if (current.queries[shardId] == null) {
                current.queries[shardId] = current.http[shardId].equals(seed) ? seedClient
                    : remember(new HttpBasaltClient(current.http[shardId]));
            }
            return current.queries[shardId];
        }
    }

    private BasaltClient submitter(final Routes current, final int shardId) {
        if (submitters == null) {
            return queries(current, shardId);
        }
        synchronized (lock) {
            ensureOpen();
            if (current.submitters[shardId] == null) {
                current.submitters[shardId] = remember(open(current.chosen[shardId], current.http[shardId], shardId));
            }
            return current.submitters[shardId];
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
