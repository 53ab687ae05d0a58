package io.basalt.node.net;

/** Sends whole consensus messages to committee members; what {@link ConsensusOutbox} needs of a transport. */
public interface PeerLink {
    /** Sends one message to {@code peer}; false when it was dropped (counted by the transport). */
    boolean send(int peer, byte[] message);

    /** The largest message {@link #send} carries, header excluded. */
    int maxMessageBytes();
}
