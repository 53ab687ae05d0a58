package io.basalt.client.sdk;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * At most {@code limit} asynchronous calls in flight; the rest wait their turn in order. The HTTP
 * client opens one HTTP/1.1 connection per request in flight, and a node accepts only so many
 * connections from one address ({@code maxConnectionsPerClient}, 32 by default): an application that
 * submits thousands at once is queued here instead of being refused at the node's door.
 */
final class AsyncGate {
    private final int limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    AsyncGate(final int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    /** Starts {@code call} now or when a slot frees; the result completes as the call's does. */
    <T> CompletableFuture<T> run(final Supplier<CompletableFuture<T>> call) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Runnable start = () -> {
            CompletableFuture<T> started;
            try {
                started = call.get();
            } catch (final RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((value, failure) -> {
                release();
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        final boolean now;
        synchronized (this) {
            now = running < limit;
            if (now) {
                running++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    /** Calls in flight now (for tests). */
    synchronized int running() {
        return running;
    }

    private void release() {
        final Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run(); // the freed slot passes straight to the next waiting call
        }
    }
}
