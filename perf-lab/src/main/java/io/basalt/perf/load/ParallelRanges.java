package io.basalt.perf.load;

import java.util.ArrayList;
import java.util.List;

/** Runs one task per slice of {@code [0, n)} on {@code threads} platform threads and waits; the first failure is rethrown. */
final class ParallelRanges {
    /** Works on {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private ParallelRanges() {
    }

    static void run(final String threadName, final int n, final int threads, final Range range) {
        final List<Thread> workers = new ArrayList<>();
        final int chunk = (n + threads - 1) / threads;
        final Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            final int from = Math.min(n, t * chunk);
            final int to = Math.min(n, from + chunk);
            final Thread worker = Thread.ofPlatform().name(threadName + "-" + t).unstarted(() -> range.run(from, to));
            worker.setUncaughtExceptionHandler((thread, e) -> {
                synchronized (failure) {
                    failure[0] = e;
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (final Thread worker : workers) {
            try {
                worker.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while signing", e);
            }
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("signing failed", failure[0]);
            }
        }
    }
}
