package io.basalt.system;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An open-loop client: one thread signs random transfers between the test's accounts and POSTs them
 * at a fixed rate, round-robin to the validators in {@link #target its target set}, with a bounded
 * number of requests in flight. With several shards the round-robin runs over every shard's
 * validators and the {@link Generator} signs, for each, a transaction whose sender lives on that
 * validator's shard.
 *
 * <p>A submission that fails without an answer (the validator died or is starting) or is answered
 * OVERLOADED / NOT_READY is sent again, with the same bytes, to the next validator of its shard, at most
 * {@link #MAX_ATTEMPTS} times in all. That is what docs/protocol.md §3 allows clients to do: the id is the
 * hash of the signed bytes, so the copy that executes second is a DUPLICATE no-op, never a second
 * charge. A transaction counts as accepted once a validator answered 202 (or 409 DUPLICATE: it already
 * holds it).
 *
 * <p>Expiry: the target's consensus time (refreshed every second) plus {@link #EXPIRY_AFTER_MS}, so it
 * passes that validator's admission window (60 s) and leaves a stalled cluster time to recover.
 */
final class TransferLoad {
    static final int MAX_IN_FLIGHT = 24;
    static final int MAX_ATTEMPTS = 4;
    static final long EXPIRY_AFTER_MS = 45_000;
    private static final long STATUS_REFRESH_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_AMOUNT = 100;

    /** A transaction some validator admitted: which one, when, and in which phase of the test. */
    record Accepted(Transfers.Signed tx, int validator, long acceptedAtNanos, int phase) {
    }

    /** Signs the next transaction, whose sender lives on {@code shard}, expiring at {@code expiryMs}. */
    @FunctionalInterface
    interface Generator {
        Transfers.Signed next(int shard, long expiryMs);
    }

    private record Pending(Transfers.Signed tx, int attempts) {
    }

    private final ValidatorProcesses cluster;
    private final Generator generator;
    private final long periodNs;
    private final int maxTransactions;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ConcurrentLinkedQueue<Pending> retries = new ConcurrentLinkedQueue<>();
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final Set<Integer> targets = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray consensusTimeMs;
    private final AtomicLong idMismatches = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int phase;
    private volatile int generated;
    private volatile Throwable failure;
    private int nextTarget;
    private long lastRefreshNs;

    /**
     * @param maxTransactions distinct transactions to generate; {@code Integer.MAX_VALUE} for "until stopped"
     */
    TransferLoad(final ValidatorProcesses cluster, final Transfers transfers, final int ratePerSecond,
                 final int maxTransactions) {
        this(cluster, ratePerSecond, maxTransactions, (shard, expiryMs) -> transfers.randomTransfer(MAX_AMOUNT, expiryMs));
    }

    /**
     * @param maxTransactions distinct transactions to generate; {@code Integer.MAX_VALUE} for "until stopped"
     * @param generator       signs each transaction for the shard of the validator it goes to first
     */
    TransferLoad(final ValidatorProcesses cluster, final int ratePerSecond, final int maxTransactions,
                 final Generator generator) {
        this.cluster = cluster;
        this.generator = generator;
        this.periodNs = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.maxTransactions = maxTransactions;
        this.consensusTimeMs = new AtomicLongArray(cluster.size());
        for (int v = 0; v < cluster.size(); v++) {
            targets.add(v);
        }
        this.thread = new Thread(this::run, "transfer-load");
        thread.setDaemon(true);
    }

    TransferLoad start() {
        refreshConsensusTimes();
        thread.start();
        return this;
    }

    /** Adds or removes a validator from the round-robin (the test removes one before it kills it). */
    void target(final int validator, final boolean on) throws InterruptedException {
        if (on) {
            final NodeHttp.Status status = cluster.http(validator).statusOrNull();
            if (status != null) {
                consensusTimeMs.set(validator, status.consensusTimeMs());
            }
            targets.add(validator);
        } else {
            targets.remove(validator);
        }
    }

    /** Tags transactions accepted from now on. */
    void phase(final int newPhase) {
        phase = newPhase;
    }

    int generated() {
        return generated;
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted.values());
    }

    List<Accepted> accepted(final int inPhase) {
        return accepted.values().stream().filter(a -> a.phase() == inPhase).toList();
    }

    /** Final refusals (after retries) by code, e.g. {"EXPIRED": 3}. */
    Map<String, Integer> refusals() {
        final Map<String, Integer> out = new TreeMap<>();
        refusals.forEach((code, count) -> out.put(code, count.get()));
        return out;
    }

    /** Answers whose txId differed from the id the test computed (must stay 0). */
    long idMismatches() {
        return idMismatches.get();
    }

    /** True once every transaction was generated and answered (no retry or request outstanding). */
    boolean done() {
        return generated >= maxTransactions && retries.isEmpty() && inFlight.availablePermits() == MAX_IN_FLIGHT;
    }

    /** Waits, bounded, until {@link #done}. */
    boolean awaitDone(final long timeoutMs) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!done()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Stops generating and waits (bounded) for the answers of requests in flight. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
        if (inFlight.tryAcquire(MAX_IN_FLIGHT, 10, TimeUnit.SECONDS)) {
            inFlight.release(MAX_IN_FLIGHT);
        }
    }

    private void run() {
        long nextSendNs = System.nanoTime();
        try {
            while (running && !done()) {
                nextSendNs += periodNs;
                final long now = System.nanoTime();
                if (nextSendNs > now) {
                    TimeUnit.NANOSECONDS.sleep(nextSendNs - now);
                } else if (now - nextSendNs > TimeUnit.SECONDS.toNanos(1)) {
                    nextSendNs = now; // fell far behind (a stalled validator); do not burst to catch up
                }
                if (System.nanoTime() - lastRefreshNs > STATUS_REFRESH_NS) {
                    refreshConsensusTimes();
                }
                sendOne();
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException | Error e) {
            failure = e; // the generator stopped: say why instead of going quiet
            throw e;
        }
    }

    /** What stopped the generator thread, or null while it runs or after a normal stop. */
    Throwable failure() {
        return failure;
    }

    private void sendOne() throws InterruptedException {
        Pending pending = retries.poll();
        final int validator;
        if (pending != null) {
            validator = pickTarget(pending.tx().shard());
            if (validator < 0) {
                retries.add(pending); // no validator of its shard is up now
                return;
            }
        } else {
            if (generated >= maxTransactions) {
                return;
            }
            validator = pickTarget(-1);
            if (validator < 0) {
                return;
            }
            final long base = consensusTimeMs.get(validator);
            pending = new Pending(generator.next(cluster.shardOf(validator), base + EXPIRY_AFTER_MS), 0);
            generated++;
        }
        if (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
            retries.add(pending); // every request slot is stuck on slow validators: try again later
            return;
        }
        final Pending sent = pending;
        cluster.http(validator).submitAsync(sent.tx().bytes()).whenComplete((answer, error) -> {
            try {
                onAnswer(sent, validator, answer, error);
            } finally {
                inFlight.release();
            }
        });
    }

    private void onAnswer(final Pending sent, final int validator, final NodeHttp.Submitted answer, final Throwable error) {
        final boolean known = answer != null && (answer.accepted() || answer.httpStatus() == 409);
        if (known) {
            if (answer.txId() != null && !answer.txId().equals(sent.tx().txId())) {
                idMismatches.incrementAndGet();
            }
            accepted.putIfAbsent(sent.tx().txId(), new Accepted(sent.tx(), validator, System.nanoTime(), phase));
            return;
        }
        final String code = answer == null ? "NO_ANSWER" : answer.code();
        final boolean retryable = answer == null || "OVERLOADED".equals(code) || "NOT_READY".equals(code);
        if (retryable && sent.attempts() + 1 < MAX_ATTEMPTS && running) {
            retries.add(new Pending(sent.tx(), sent.attempts() + 1));
        } else {
            refusals.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** The next target round-robin, of {@code shard} (or of any shard for -1); -1 if none is up. */
    private int pickTarget(final int shard) {
        for (int i = 0; i < cluster.size(); i++) {
            final int candidate = (nextTarget + i) % cluster.size();
            if (targets.contains(candidate) && (shard < 0 || cluster.shardOf(candidate) == shard)) {
                nextTarget = candidate + 1;
                return candidate;
            }
        }
        return -1;
    }

    private void refreshConsensusTimes() {
        lastRefreshNs = System.nanoTime();
        for (final int validator : targets) {
            try {
                final NodeHttp.Status status = cluster.http(validator).statusOrNull();
                if (status != null) {
                    consensusTimeMs.set(validator, status.consensusTimeMs());
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
