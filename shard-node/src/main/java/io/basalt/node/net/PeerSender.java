package io.basalt.node.net;

import io.aeron.Publication;
import org.agrona.DirectBuffer;

/**
 * Sends to one peer without ever blocking the caller: an offer that meets back-pressure is retried
 * at most {@code maxRetries} times, then the message is dropped and counted. The consensus core
 * tolerates loss (it re-broadcasts when stuck and fetches missing blocks), so waiting for a slow
 * peer would only let that peer slow everyone down.
 */
public final class PeerSender {
    /** What {@link Publication#offer(DirectBuffer, int, int, DirectBuffer, int, int)} does; tests fake it. */
    @FunctionalInterface
    public interface OfferTarget {
        long offer(DirectBuffer first, int firstOffset, int firstLength,
                   DirectBuffer second, int secondOffset, int secondLength);
    }

    private final OfferTarget target;
    private final int maxRetries;
    private final SendCounters counters;

    public PeerSender(final OfferTarget target, final int maxRetries, final SendCounters counters) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        this.target = target;
        this.maxRetries = maxRetries;
        this.counters = counters;
    }

    /** Offers header + payload as one message; true when it was accepted by the channel. */
    public boolean send(final DirectBuffer header, final int headerLength, final DirectBuffer payload,
                        final int payloadOffset, final int payloadLength) {
        for (int attempt = 0; ; attempt++) {
            final long result = target.offer(header, 0, headerLength, payload, payloadOffset, payloadLength);
            if (result >= 0) {
                counters.sent(headerLength + payloadLength);
                return true;
            }
            if (result == Publication.NOT_CONNECTED) {
                counters.droppedNotConnected();
                return false;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                counters.droppedClosed();
                return false;
            }
            // BACK_PRESSURED or ADMIN_ACTION: transient, worth a few immediate retries.
            if (attempt >= maxRetries) {
                counters.droppedBackPressured();
                return false;
            }
            Thread.onSpinWait();
        }
    }
}
