package io.basalt.crypto;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies a batch of signatures on a fixed pool of daemon worker threads, created once.
 * <pre>
 *   caller ── verifyAll(batch) ──▶ job { next index (atomic), latch }
 *                                   │ submitted once per participating worker
 *           worker 1..N: claim CLAIM_SIZE items, check each, repeat until none left; count down
 *   caller ◀── latch reaches zero ── results[i] filled for every i
 * </pre>
 * Workers claim small runs of items from a shared counter instead of fixed slices, so one slow item (a long
 * message) does not leave the other workers idle. The results equal sequential {@link Ed25519#check} answers.
 * Thread-safe: several callers may submit batches at once; they share the workers.
 */
public final class ParallelVerifier implements AutoCloseable
{
    /** Largest batch accepted in one call; bigger batches are a caller bug (queues upstream are bounded too). */
    public static final int MAX_BATCH_SIZE = 1 << 16;
    public static final int MAX_WORKERS = 256;
    /** Items a worker takes per claim: enough to amortise the atomic increment, small enough to balance load. */
    private static final int CLAIM_SIZE = 4;

    private final Ed25519 ed25519;
    private final int workerCount;
    private final ExecutorService workers;

    public ParallelVerifier(final Ed25519 ed25519, final int workerCount)
    {
        if (workerCount < 1 || workerCount > MAX_WORKERS)
        {
            throw new IllegalArgumentException("workerCount must be in [1, " + MAX_WORKERS + "]: " + workerCount);
        }
        this.ed25519 = Objects.requireNonNull(ed25519, "ed25519");
        this.workerCount = workerCount;
        this.workers = Executors.newFixedThreadPool(workerCount, daemonThreads());
    }

    public int workerCount()
    {
        return workerCount;
    }

    /** Whole messages; a null message yields BAD_MESSAGE_RANGE for its item. */
    public SignatureCheck[] verifyAll(final byte[][] publicKeys, final byte[][] messages, final byte[][] signatures)
    {
        final int count = publicKeys.length;
        final int[] offsets = new int[count];
        final int[] lengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            lengths[i] = messages[i] == null ? 0 : messages[i].length;
        }
        final SignatureCheck[] results = new SignatureCheck[count];
        verifyAll(count, publicKeys, messages, offsets, lengths, signatures, results);
        return results;
    }

    /**
     * Checks items 0..count-1, item i being (publicKeys[i], messages[i][messageOffsets[i], +messageLengths[i]),
     * signatures[i]), and writes results[i]. Malformed items get a typed result; only malformed batch arrays
     * (programmer errors) throw.
     */
    public void verifyAll(final int count, final byte[][] publicKeys, final byte[][] messages,
        final int[] messageOffsets, final int[] messageLengths, final byte[][] signatures,
        final SignatureCheck[] results)
    {
        final Job job = new Job(count, publicKeys, messages, messageOffsets, messageLengths, signatures, results);
        if (count == 0)
        {
            return;
        }
        final int participants = Math.min(workerCount, (count + CLAIM_SIZE - 1) / CLAIM_SIZE);
        final CountDownLatch done = new CountDownLatch(participants);
        try
        {
            for (int i = 0; i < participants; i++)
            {
                workers.execute(() -> job.runThenCountDown(done));
            }
        }
        catch (final RejectedExecutionException ex)
        {
            throw new IllegalStateException("ParallelVerifier is closed", ex);
        }
        awaitUninterruptibly(done);
        job.rethrowFailure();
    }

    /** Stops the workers after batches already submitted finish. */
    @Override
    public void close()
    {
        workers.shutdown();
    }

    /** A verifier thread must not abandon a batch halfway (results would be half-filled), so interrupts wait. */
    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                latch.await();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads()
    {
        final AtomicInteger number = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new Thread(runnable, "basalt-sig-verify-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private final class Job
    {
        private final int count;
        private final byte[][] publicKeys;
        private final byte[][] messages;
        private final int[] messageOffsets;
        private final int[] messageLengths;
        private final byte[][] signatures;
        private final SignatureCheck[] results;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(final int count, final byte[][] publicKeys, final byte[][] messages, final int[] messageOffsets,
            final int[] messageLengths, final byte[][] signatures, final SignatureCheck[] results)
        {
            if (count < 0 || count > MAX_BATCH_SIZE)
            {
                throw new IllegalArgumentException("batch size must be in [0, " + MAX_BATCH_SIZE + "]: " + count);
            }
            requireLength(publicKeys.length, count, "publicKeys");
            requireLength(messages.length, count, "messages");
            requireLength(messageOffsets.length, count, "messageOffsets");
            requireLength(messageLengths.length, count, "messageLengths");
            requireLength(signatures.length, count, "signatures");
            requireLength(results.length, count, "results");
            this.count = count;
            this.publicKeys = publicKeys;
            this.messages = messages;
            this.messageOffsets = messageOffsets;
            this.messageLengths = messageLengths;
            this.signatures = signatures;
            this.results = results;
        }

        void runThenCountDown(final CountDownLatch done)
        {
            try
            {
                int start;
                while ((start = next.getAndAdd(CLAIM_SIZE)) < count)
                {
                    checkRange(start, Math.min(count, start + CLAIM_SIZE));
                }
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
            finally
            {
                done.countDown();
            }
        }

        private void checkRange(final int from, final int to)
        {
            for (int i = from; i < to; i++)
            {
                results[i] = ed25519.check(publicKeys[i], messages[i], messageOffsets[i], messageLengths[i],
                    signatures[i]);
            }
        }

        /** Verification itself never throws on input; a failure here is a bug in a provider, so it surfaces. */
        void rethrowFailure()
        {
            final Throwable ex = failure.get();
            if (ex != null)
            {
                throw new IllegalStateException("signature verification failed unexpectedly", ex);
            }
        }

        private static void requireLength(final int actual, final int count, final String name)
        {
            if (actual < count)
            {
                throw new IllegalArgumentException(name + " has " + actual + " entries, batch needs " + count);
            }
        }
    }
}
