package io.basalt.sim;

/**
 * What a simulated validator's cross-shard relay does. At most f validators of a shard are anything
 * but HONEST, except in the COLLUDE mix (f+1 signers, to test the certificate threshold). Every one
 * of them still executes honestly: they lie only on the wire and in what they propose.
 */
public enum CrossBehaviour {
    HONEST,
    /** Signs every batch it cuts and also a conflicting batch for the same seq (a receipt inflated or invented). */
    CONFLICT,
    /** Sends no batch signatures and no acknowledgements. */
    WITHHOLD,
    /**
     * Proposes forged certificates in its own blocks (too few signatures, repeated signers, signatures
     * by the wrong keys, invented batches) and sends acknowledgements for batches its shard never applied.
     */
    FORGE,
    /** Proposes again, in its own blocks, certified batches its shard applied long ago. */
    REPLAY,
    /** CONFLICT and the certificate forgeries of FORGE (not the false acknowledgements): a signing cartel. */
    COLLUDE
}
