package io.basalt.node.api;

/** Called on the node's own thread: implementations must hand off quickly and never block. */
@FunctionalInterface
public interface FinalityListener {
    void onFinality(FinalityEvent event);
}
