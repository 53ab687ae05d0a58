package io.basalt.exec;

import io.basalt.crypto.Sha256;
import io.basalt.protocol.Layout;
import io.basalt.protocol.MessageValidator;
import io.basalt.protocol.SignedRegion;
import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.TransferDecoder;
import org.agrona.DirectBuffer;

/**
 * A decoded user transaction (Transfer, CreateAsset, Swap): the common fields every guard reads,
 * the parties, and the id. One instance per thread; {@link #wrap} reuses its flyweights.
 */
public final class TxView {
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    final TransferDecoder transfer = new TransferDecoder();
    final CreateAssetDecoder createAsset = new CreateAssetDecoder();
    final SwapDecoder swap = new SwapDecoder();
    private final Sha256 sha = new Sha256();
    /** The transaction id: SHA-256 of the signed bytes. */
    public final byte[] id = new byte[32];
    /** Transfer.from, CreateAsset.issuer, Swap.partyA: who signs first and pays the fee. */
    public final byte[] sender = new byte[32];
    /** Transfer.to, Swap.partyB; unused for CreateAsset. */
    public final byte[] other = new byte[32];
    public int template;
    public long networkId;
    public long fee;
    public long expiryMs;
    DirectBuffer buffer;
    int offset;
    int length;

    /**
     * Wraps the bytes at {@code [offset, offset + length)}; false (and nothing else read) when they
     * are not a valid user transaction.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length) {
        if (!MessageValidator.validateUserTransaction(buffer, offset, length).isOk()) {
            return false;
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        sha.digest(buffer, offset, SignedRegion.signedLength(buffer, offset, length), id, 0);
        template = Templates.templateId(buffer, offset);
        switch (template) {
            case Templates.TRANSFER -> {
                transfer.wrapAndApplyHeader(buffer, offset, header);
                networkId = transfer.networkId();
                fee = transfer.fee();
                expiryMs = transfer.expiryMs();
                transfer.getFrom(sender, 0, Layout.KEY_LENGTH);
                transfer.getTo(other, 0, Layout.KEY_LENGTH);
            }
            case Templates.CREATE_ASSET -> {
                createAsset.wrapAndApplyHeader(buffer, offset, header);
                networkId = createAsset.networkId();
                fee = createAsset.fee();
                expiryMs = createAsset.expiryMs();
                createAsset.getIssuer(sender, 0, Layout.KEY_LENGTH);
            }
            default -> {
                swap.wrapAndApplyHeader(buffer, offset, header);
                networkId = swap.networkId();
                fee = swap.fee();
                expiryMs = swap.expiryMs();
                swap.getPartyA(sender, 0, Layout.KEY_LENGTH);
                swap.getPartyB(other, 0, Layout.KEY_LENGTH);
            }
        }
        return true;
    }

    /** The wrapped transaction's bytes, copied. */
    public byte[] copyBytes() {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return out;
    }
}
