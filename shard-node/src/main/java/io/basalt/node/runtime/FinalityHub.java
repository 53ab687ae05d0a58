package io.basalt.node.runtime;

import io.basalt.node.api.FinalityEvent;
import io.basalt.node.api.FinalityListener;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans finality events out to subscribers (gateways). Listeners run on the publishing thread
 * (admission for ACCEPTED, execution for COMMITTED and SETTLED), so they must hand off at once; one
 * that throws is counted and skipped, never allowed to stop execution.
 */
final class FinalityHub {
    private final CopyOnWriteArrayList<FinalityListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong listenerErrors = new AtomicLong();

    AutoCloseable subscribe(final FinalityListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    void publish(final FinalityEvent event) {
        for (final FinalityListener listener : listeners) {
            try {
                listener.onFinality(event);
            } catch (final RuntimeException e) {
                listenerErrors.incrementAndGet();
            }
        }
    }

    long listenerErrors() {
        return listenerErrors.get();
    }
}
