package io.basalt.xshard;

import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import org.agrona.DirectBuffer;

/**
 * Decides whether a CertifiedMessage is what its source committee said. Cheap checks come first
 * and signatures last, so a forged certificate costs at most one pass over its signers.
 *
 * <ol>
 *   <li>the source is a shard of the network and not the destination itself: else UNKNOWN_SOURCE;</li>
 *   <li>the payload root matches the receipts and votes: else WRONG_ROOT;</li>
 *   <li>every signer is a member of the source committee: else UNKNOWN_SIGNER (indices are
 *       strictly increasing on the wire, so no signer counts twice);</li>
 *   <li>the signers' stake reaches the source's quorum (2f+1): else TOO_FEW_SIGNERS;</li>
 *   <li>every signature verifies over the statement digest: else BAD_SIGNATURE.</li>
 * </ol>
 * The message must already have passed {@code MessageValidator}.
 */
public final class CertificateCheck {
    public enum Verdict { OK, UNKNOWN_SOURCE, WRONG_ROOT, UNKNOWN_SIGNER, TOO_FEW_SIGNERS, BAD_SIGNATURE }

    private final int networkId;
    private final ShardCommittees committees;
    private final SignatureVerifier verifier;
    private final BatchCodec codec = new BatchCodec();
    private final byte[] signature = new byte[Layout.SIGNATURE_LENGTH];

    public CertificateCheck(final int networkId, final ShardCommittees committees, final SignatureVerifier verifier) {
        this.networkId = networkId;
        this.committees = committees;
        this.verifier = verifier;
    }

    public Verdict check(final DirectBuffer buffer, final int offset, final int length, final int ownShard) {
        final int source = BatchCodec.sourceShard(buffer, offset);
        if (source >= committees.shardCount() || source == ownShard) {
            return Verdict.UNKNOWN_SOURCE;
        }
        final int prefixLength = SignedRegion.signedLength(buffer, offset, length);
        if (!codec.rootMatches(buffer, offset, prefixLength)) {
            return Verdict.WRONG_ROOT;
        }
        final int count = SignedRegion.signatureCount(buffer, offset, length);
        long stake = 0;
        for (int i = 0; i < count; i++) {
            final int signer = SignedRegion.certifiedSigner(buffer, offset, length, i);
            if (signer >= committees.size(source)) {
                return Verdict.UNKNOWN_SIGNER;
            }
            stake += committees.stake(source, signer);
        }
        if (stake < committees.quorumThreshold(source)) {
            return Verdict.TOO_FEW_SIGNERS;
        }
        final byte[] digest = codec.statementDigest(networkId, buffer, offset);
        for (int i = 0; i < count; i++) {
            final int signer = SignedRegion.certifiedSigner(buffer, offset, length, i);
            buffer.getBytes(SignedRegion.signatureOffset(buffer, offset, length, i), signature, 0, signature.length);
            if (!verifier.verify(committees.publicKey(source, signer), digest, 0, digest.length, signature, 0)) {
                return Verdict.BAD_SIGNATURE;
            }
        }
        return Verdict.OK;
    }
}
