package io.basalt.dag;

/**
 * Checks what the core cannot check structurally: the author's signature and the payload's
 * transactions. The node runs these checks on its parallel verification stage before the block
 * reaches the core and passes a verifier that trusts that result; the simulator checks inline.
 */
public interface BlockVerifier {
    /** Null when the block is authentic and its payload valid, else why not. */
    RejectReason verify(Block block, Committee committee);
}
