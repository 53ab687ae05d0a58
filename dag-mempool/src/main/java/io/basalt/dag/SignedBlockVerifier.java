package io.basalt.dag;

import io.basalt.protocol.Layout;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks a block's author signature and every user transaction's signatures with a
 * {@link SignatureScheme}. The bytes were validated by the codec, so offsets can be trusted.
 *
 * <p>Who signs what: a Transfer by {@code from}, a CreateAsset by {@code issuer}, a Swap by
 * {@code partyA} then {@code partyB}. Certified cross-shard messages carry committee signatures
 * that execution checks against the source shard's committee when it applies them.
 */
public final class SignedBlockVerifier implements BlockVerifier {
    private static final int HEADER = Layout.MESSAGE_HEADER_LENGTH;
    private static final int TRANSFER_FROM = HEADER + TransferDecoder.fromEncodingOffset();
    private static final int CREATE_ASSET_ISSUER = HEADER + CreateAssetDecoder.issuerEncodingOffset();
    private static final int SWAP_PARTY_A = HEADER + SwapDecoder.partyAEncodingOffset();
    private static final int SWAP_PARTY_B = HEADER + SwapDecoder.partyBEncodingOffset();

    private final SignatureScheme scheme;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    public SignedBlockVerifier(final SignatureScheme scheme) {
        this.scheme = scheme;
    }

    @Override
    public RejectReason verify(final Block block, final Committee committee) {
        if (!verifyAuthor(block, committee)) {
            return RejectReason.BAD_SIGNATURE;
        }
        final byte[] bytes = block.encoded();
        for (int i = 0; i < block.transactionCount(); i++) {
            if (!verifyTransaction(bytes, block.transactionOffset(i), block.transactionLength(i))) {
                return RejectReason.BAD_TRANSACTION;
            }
        }
        return null;
    }

    /** Verifies the author's signature over the block's digest. */
    public boolean verifyAuthor(final Block block, final Committee committee) {
        final byte[] bytes = block.encoded();
        view.wrap(bytes);
        final int signatureOffset = SignedRegion.signatureOffset(view, 0, bytes.length, 0);
        final byte[] digest = block.ref().digest();
        return scheme.verify(committee.publicKey(block.author()), 0, digest, 0, digest.length, bytes, signatureOffset);
    }

    /** Verifies the signatures of one validated transaction inside {@code bytes}. */
    public boolean verifyTransaction(final byte[] bytes, final int offset, final int length) {
        view.wrap(bytes);
        final int template = Templates.templateId(view, offset);
        final int signed = SignedRegion.signedLength(view, offset, length);
        return switch (template) {
            case Templates.TRANSFER -> verifyOne(bytes, offset, length, signed, 0, offset + TRANSFER_FROM);
            case Templates.CREATE_ASSET -> verifyOne(bytes, offset, length, signed, 0, offset + CREATE_ASSET_ISSUER);
            case Templates.SWAP -> verifyOne(bytes, offset, length, signed, 0, offset + SWAP_PARTY_A)
                && verifyOne(bytes, offset, length, signed, 1, offset + SWAP_PARTY_B);
            case Templates.CERTIFIED_MESSAGE -> true;
            default -> false;
        };
    }

    private boolean verifyOne(
        final byte[] bytes, final int offset, final int length, final int signed, final int index, final int keyOffset) {
        final int signatureOffset = SignedRegion.signatureOffset(view, offset, length, index);
        return scheme.verify(bytes, keyOffset, bytes, offset, signed, bytes, signatureOffset);
    }
}
