package io.basalt.perf.consensus;

import io.basalt.dag.Block;
import io.basalt.dag.BlockVerifier;
import io.basalt.dag.Committee;
import io.basalt.dag.RejectReason;
import io.basalt.dag.SignatureScheme;
import io.basalt.protocol.SignedRegion;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The consensus-only benchmark's verifier: the block author's Ed25519 signature over the block
 * digest, and nothing about the payload. A production validator uses
 * {@link io.basalt.dag.SignedBlockVerifier}, which also checks every transaction's signatures and
 * refuses opaque payloads outright; here the payloads are the benchmark's own and unsigned, as in
 * the consensus-only benchmarks of other systems.
 *
 * <p>One instance per core (it keeps a view it re-wraps).
 */
final class AuthorSignatureVerifier implements BlockVerifier {
    private final SignatureScheme scheme;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    AuthorSignatureVerifier(final SignatureScheme scheme) {
        this.scheme = scheme;
    }

    @Override
    public RejectReason verify(final Block block, final Committee committee) {
        final byte[] bytes = block.encoded();
        view.wrap(bytes);
        final int signatureOffset = SignedRegion.signatureOffset(view, 0, bytes.length, 0);
        final byte[] digest = block.ref().digest();
        return scheme.verify(committee.publicKey(block.author()), 0, digest, 0, digest.length, bytes, signatureOffset)
            ? null : RejectReason.BAD_SIGNATURE;
    }
}
