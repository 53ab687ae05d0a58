package io.basalt.node.net;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.file.Path;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;

/**
 * An Aeron client and, when embedded, the media driver it talks to. One per process in a local
 * cluster (every validator shares it and talks IPC); one per validator process otherwise.
 *
 * <p>The embedded driver runs {@link ThreadingMode#SHARED} (one thread for conductor, sender and
 * receiver) with a backoff idle strategy unless the node has dedicated cores: four validators and
 * their driver on a two-core laptop must not spin. Term buffers are sparse files, so the 16 MiB
 * terms cost address space, not memory, until they are written.
 */
public final class AeronMedia implements AutoCloseable {
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Doorbells doorbells = new Doorbells();

    private AeronMedia(final MediaDriver driver, final Aeron aeron) {
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * Launches a media driver in this process on {@code aeronDir} (wiped at start and at close) and
     * connects to it. {@code dedicatedCores} selects the driver's low-latency profile (its own
     * threads, busy spinning) over the shared-machine one.
     */
    public static AeronMedia embedded(final Path aeronDir, final boolean dedicatedCores) {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toAbsolutePath().toString())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .spiesSimulateConnection(false);
        if (dedicatedCores) {
            context.threadingMode(ThreadingMode.DEDICATED)
                .senderIdleStrategy(new BusySpinIdleStrategy())
                .receiverIdleStrategy(new BusySpinIdleStrategy())
                .conductorIdleStrategy(new BackoffIdleStrategy());
        } else {
            // The async executor (name resolution off the conductor) polls on a thread of its own
            // every few µs; on shared cores its tasks run inline on the one driver thread instead.
            context.threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(10, 5, 1_000, 1_000_000))
                .asyncExecutorEnabled(false);
        }
        final MediaDriver driver = MediaDriver.launchEmbedded(context);
        try {
            return new AeronMedia(driver, connect(driver.aeronDirectoryName()));
        } catch (final RuntimeException e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    /** Connects to a media driver that runs outside this process; null means Aeron's default folder. */
    public static AeronMedia external(final Path aeronDir) {
        return new AeronMedia(null, connect(aeronDir == null ? null : aeronDir.toAbsolutePath().toString()));
    }

    private static Aeron connect(final String directory) {
        final Aeron.Context context = new Aeron.Context();
        if (directory != null) {
            context.aeronDirectoryName(directory);
        }
        return Aeron.connect(context);
    }

    /** The doorbells of the agents in this process that listen on IPC streams of this driver. */
    public Doorbells doorbells() {
        return doorbells;
    }

    public Aeron aeron() {
        return aeron;
    }

    public String directory() {
        return aeron.context().aeronDirectoryName();
    }

    public boolean embedded() {
        return driver != null;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(aeron, driver);
    }
}
