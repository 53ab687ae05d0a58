package io.basalt.client.sdk;

import io.basalt.crypto.Hex;
import io.basalt.protocol.TxState;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A client that trusts no single validator (docs/api.md): it sends each request to several validators of the shard
 * concerned and reports an answer only when validators holding f+1 of that shard's stake give the same one. A
 * committee of stake S tolerates f = (S - 1) / 3 of faulty stake, so f+1 alike include at least one honest
 * validator, and honest validators agree on every committed outcome.
 *
 * <p>"The same" means the same state (SETTLED counts as COMMITTED: a cross-shard transaction moves from one to the
 * other at different moments on different validators), result, refusal code, height and consensus time. When
 * the answers differ so that none can reach f+1 any more, the result says CONFLICTING and carries every reply;
 * when too few validators answer at all, TOO_FEW_ANSWERS. Neither is turned into an exception or hidden behind the
 * first reply.
 *
 * <p>Each request goes to at least {@code validatorsPerRequest} validators, picked at random, and to as many more as
 * it takes to hold f+1 of stake; more than f+1 lets a dead or lying validator be outvoted instead of stalling the
 * answer until the timeout. The default asks the whole committee.
 *
 * <p>The shard map decides who is asked. {@link #http(URI)} learns it from one seed, which must then be trusted for
 * the map; a client that trusts no validator at all builds the {@link NetworkMap} from the genesis it trusts and
 * uses {@link #QuorumBasaltClient(NetworkMap, int, Connector)}. Thread-safe.
 */
public final class QuorumBasaltClient implements AutoCloseable {
    /** How long {@link #submit(byte[])} waits for the replies it needs. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** {@code validatorsPerRequest} for "every validator of the shard". */
    public static final int WHOLE_COMMITTEE = Integer.MAX_VALUE;

    /** Opens a client of one validator: HTTP by default; Aeron, or a test double, by choice. */
    @FunctionalInterface
    public interface Connector {
        BasaltClient open(NetworkMap.Validator validator);
    }

    private final NetworkMap map;
    private final int validatorsPerRequest;
    private final Connector connector;
    private final Object lock = new Object();
    /** Clients by "shard/index", opened on first use; guarded by {@link #lock}. */
    private final Map<String, BasaltClient> clients = new HashMap<>();
    private boolean closed;

    /**
     * @param map                  the shards and their validators
     * @param validatorsPerRequest the least number of validators asked per request (at least 1);
     *                             {@link #WHOLE_COMMITTEE} for all
     * @param connector            opens the client of one validator
     */
    public QuorumBasaltClient(final NetworkMap map, final int validatorsPerRequest, final Connector connector) {
        if (validatorsPerRequest < 1) {
            throw new IllegalArgumentException("validatorsPerRequest must be at least 1: " + validatorsPerRequest);
        }
        this.map = Objects.requireNonNull(map, "map");
        this.validatorsPerRequest = validatorsPerRequest;
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /** Over HTTP to every validator of the shard, with the map the seed serves. */
    public static QuorumBasaltClient http(final URI seed) {
        return http(seed, WHOLE_COMMITTEE);
    }

    /** Over HTTP to at least {@code validatorsPerRequest} validators of the shard, with the map the seed serves. */
    public static QuorumBasaltClient http(final URI seed, final int validatorsPerRequest) {
        final NetworkMap map;
        try (HttpBasaltClient seedClient = new HttpBasaltClient(seed)) {
            map = seedClient.network();
        }
        return new QuorumBasaltClient(map, validatorsPerRequest,
            validator -> new HttpBasaltClient(RoutingBasaltClient.httpUri(seed, validator.httpEndpoint())));
    }

    /** The stake that must answer alike in {@code shard}: f+1, with f = (total stake - 1) / 3. */
    public static long replyThreshold(final NetworkMap.Shard shard) {
        long total = 0;
        for (final NetworkMap.Validator validator : shard.validators()) {
            total = Math.addExact(total, validator.stake());
        }
        return (total - 1) / 3 + 1;
    }

    public NetworkMap network() {
        return map;
    }

    /** {@link #submit(byte[], Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public CompletableFuture<QuorumAnswer> submit(final byte[] transaction) {
        return submit(transaction, DEFAULT_TIMEOUT);
    }

    /**
     * Submits to validators of the sender's shard and completes with their common final answer (COMMITTED with
     * its result, or REJECTED with its code), or with the disagreement or silence that stands in its way once
     * {@code timeout} has passed or no answer can reach f+1.
     *
     * @throws IllegalArgumentException if the bytes are not a valid user transaction
     */
    public CompletableFuture<QuorumAnswer> submit(final byte[] transaction, final Duration timeout) {
        final int shardId = map.shardOfTransaction(transaction);
        return ask(shardId, timeout, client -> client.submit(transaction));
    }

    /** What validators of {@code shardId} say about a transaction, taken as {@link #submit} takes answers. */
    public CompletableFuture<QuorumAnswer> txStatus(final byte[] txId, final int shardId, final Duration timeout) {
        final String id = Hex.encode(txId);
        return ask(shardId, timeout, client -> CompletableFuture.supplyAsync(() -> client.txStatus(Hex.decode(id))));
    }

    @Override
    public void close() {
        final List<BasaltClient> toClose;
        synchronized (lock) {
            closed = true;
            toClose = new ArrayList<>(clients.values());
            clients.clear();
        }
        toClose.forEach(BasaltClient::close);
    }

    /** Whether two validators' answers count as the same (see the class comment). */
    static boolean sameAnswer(final Finality a, final Finality b) {
        return committed(a.state()) == committed(b.state())
            && (committed(a.state()) || a.state() == b.state())
            && a.resultCode() == b.resultCode()
            && a.rejectCode() == b.rejectCode()
            && a.height() == b.height()
            && a.consensusTimeMs() == b.consensusTimeMs();
    }

    private static boolean committed(final TxState state) {
        return state == TxState.COMMITTED || state == TxState.SETTLED;
    }

    private CompletableFuture<QuorumAnswer> ask(final int shardId, final Duration timeout,
                                                final Function<BasaltClient, CompletableFuture<Finality>> request) {
        final NetworkMap.Shard shard = map.shard(shardId);
        final long threshold = replyThreshold(shard);
        final List<NetworkMap.Validator> asked = choose(shard, threshold);
        final Tally tally = new Tally(threshold, asked);
        for (final NetworkMap.Validator validator : asked) {
            CompletableFuture<Finality> reply;
            try {
                reply = request.apply(client(shardId, validator));
            } catch (final RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((finality, failure) -> tally.add(validator, finality, failure));
        }
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(tally::timeOut);
        return tally.answer;
    }

    /** A random order of the committee, cut once both the count and the stake suffice. */
    private List<NetworkMap.Validator> choose(final NetworkMap.Shard shard, final long threshold) {
        final List<NetworkMap.Validator> order = new ArrayList<>(shard.validators());
        Collections.shuffle(order);
        long stake = 0;
        int count = 0;
        while (count < order.size() && (count < validatorsPerRequest || stake < threshold)) {
            stake += order.get(count).stake();
            count++;
        }
        return List.copyOf(order.subList(0, count));
    }

    private BasaltClient client(final int shardId, final NetworkMap.Validator validator) {
        synchronized (lock) {
            if (closed) {
                throw new BasaltException("CLOSED", "the client was closed", 0);
            }
            return clients.computeIfAbsent(shardId + "/" + validator.index(), key -> connector.open(validator));
        }
    }

    /** The replies to one request, counted by stake per distinct answer until the outcome is decided. */
    private static final class Tally {
        final CompletableFuture<QuorumAnswer> answer = new CompletableFuture<>();
        private final long threshold;
        private long outstandingStake;
        private final List<QuorumAnswer.Reply> replies = new ArrayList<>();
        /** Stake behind each distinct answer, keyed by its first reply. */
        private final Map<Finality, Long> stakeByAnswer = new LinkedHashMap<>();

        Tally(final long threshold, final List<NetworkMap.Validator> asked) {
            this.threshold = threshold;
            for (final NetworkMap.Validator validator : asked) {
                outstandingStake += validator.stake();
            }
        }

        synchronized void add(final NetworkMap.Validator validator, final Finality finality, final Throwable failure) {
            if (answer.isDone()) {
                return;
            }
            outstandingStake -= validator.stake();
            replies.add(new QuorumAnswer.Reply(validator, finality, finality == null ? failure : null));
            if (finality != null) {
                final Finality key = keyFor(finality);
                final long stake = stakeByAnswer.merge(key, validator.stake(), Long::sum);
                if (stake >= threshold) {
                    answer.complete(new QuorumAnswer(QuorumAnswer.Verdict.AGREED, agreed(key), threshold, replies));
                    return;
                }
            }
            long best = 0;
            for (final long stake : stakeByAnswer.values()) {
                best = Math.max(best, stake);
            }
            if (best + outstandingStake < threshold) {
                undecided();
            }
        }

        synchronized void timeOut() {
            if (!answer.isDone()) {
                undecided();
            }
        }

        private void undecided() {
            final QuorumAnswer.Verdict verdict = stakeByAnswer.size() > 1
                ? QuorumAnswer.Verdict.CONFLICTING : QuorumAnswer.Verdict.TOO_FEW_ANSWERS;
            answer.complete(new QuorumAnswer(verdict, null, threshold, replies));
        }

        private Finality keyFor(final Finality finality) {
            for (final Finality known : stakeByAnswer.keySet()) {
                if (sameAnswer(known, finality)) {
                    return known;
                }
            }
            return finality;
        }

        /** The agreed answer: SETTLED only if f+1 of the stake said SETTLED, else COMMITTED. */
        private Finality agreed(final Finality key) {
            if (!committed(key.state())) {
                return key;
            }
            long settled = 0;
            for (final QuorumAnswer.Reply reply : replies) {
                if (reply.answered() && sameAnswer(key, reply.finality()) && reply.finality().state() == TxState.SETTLED) {
                    settled += reply.validator().stake();
                }
            }
            final TxState state = settled >= threshold ? TxState.SETTLED : TxState.COMMITTED;
            return new Finality(key.txId(), state, key.resultCode(), key.rejectCode(), key.height(), key.consensusTimeMs());
        }
    }
}
