package io.basalt.client.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The SDK's bound on requests in flight: never more than the limit, every call runs, in order, failures pass through. */
class AsyncGateTest {
    @Test
    void neverMoreThanTheLimitInFlightAndEveryCallRuns() throws Exception {
        final AsyncGate gate = new AsyncGate(3);
        final List<CompletableFuture<Integer>> calls = new ArrayList<>();
        final List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            final CompletableFuture<Integer> call = new CompletableFuture<>();
            calls.add(call);
            final int n = i;
            results.add(gate.run(() -> {
                assertTrue(gate.running() <= 3, "started past the limit");
                return call.thenApply(v -> v + n);
            }));
        }
        assertEquals(3, gate.running());
        // Complete them out of order; each completion lets exactly one waiting call start.
        for (int i = 9; i >= 0; i--) {
            calls.get(i).complete(100);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(100 + i, results.get(i).get());
        }
        assertEquals(0, gate.running());
    }

    @Test
    void failuresPassThroughAndFreeTheSlot() throws Exception {
        final AsyncGate gate = new AsyncGate(1);
        final CompletableFuture<String> failed = gate.run(() -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
        final ExecutionException ex = assertThrows(ExecutionException.class, failed::get);
        assertEquals("boom", ex.getCause().getMessage());
        final CompletableFuture<String> thrown = gate.run(() -> {
            throw new IllegalArgumentException("thrown");
        });
        assertTrue(thrown.isCompletedExceptionally());
        assertEquals("ok", gate.run(() -> CompletableFuture.completedFuture("ok")).get());
        assertEquals(0, gate.running());
        assertFalse(gate.run(() -> new CompletableFuture<String>()).isDone());
    }
}
