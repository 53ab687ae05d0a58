package io.basalt.node.net;

/**
 * Where {@link PeerSender} counts what became of each message it offered. The consensus links count
 * into {@link TransportCounters}, the cross-shard links into {@link CrossShardCounters}: two types, so
 * that the two kinds of traffic cannot end up in the same metric by passing the wrong instance.
 * Called on the sending thread; implementations must be safe to read from a metrics scrape.
 */
public interface SendCounters {
    /** A message of {@code wireBytes} (header included) was accepted by the channel. */
    void sent(int wireBytes);

    /** Dropped after the bounded retries because the receiver's window stayed full. */
    void droppedBackPressured();

    /** Dropped because no receiver was connected. */
    void droppedNotConnected();

    /** Dropped because the publication was closed or exhausted. */
    void droppedClosed();
}
