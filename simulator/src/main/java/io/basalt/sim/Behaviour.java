package io.basalt.sim;

/** What a simulated validator does. At most f validators of a run are anything but HONEST. */
public enum Behaviour {
    HONEST,
    /** Signs two different blocks for each round and sends one to half of the peers, one to the rest. */
    EQUIVOCATE,
    /** Sends blocks with bad signatures, corrupted bytes, invalid transactions and garbage messages. */
    INVALID,
    /** Sends its blocks to nobody but f peers and answers no sync request. */
    WITHHOLD,
    /** Floods validly signed blocks far ahead and blocks with invented parents. */
    FLOOD_AHEAD,
    /**
     * Stamps the blocks it sends an hour ahead of the clock, so that as a leader it would move
     * consensus time (and with it every expiry) forward; its real blocks reach peers only by sync.
     */
    SKEW_AHEAD,
    /** Asks every peer for whole ranges of rounds and for blocks by ref, dozens of times a round. */
    REQUEST_FLOOD
}
