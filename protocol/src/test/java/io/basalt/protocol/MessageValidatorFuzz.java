package io.basalt.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.basalt.protocol.sbe.TransferDecoder;
import io.basalt.protocol.sbe.CreateAssetDecoder;
import io.basalt.protocol.sbe.SwapDecoder;
import io.basalt.protocol.sbe.CertifiedMessageDecoder;
import io.basalt.protocol.sbe.OpaquePayloadDecoder;
import io.basalt.protocol.sbe.BlockDecoder;
import io.basalt.protocol.sbe.BlockRequestDecoder;
import io.basalt.protocol.sbe.BlockRangeRequestDecoder;
import io.basalt.protocol.sbe.BlockResponseDecoder;
import io.basalt.protocol.sbe.SubmitAckDecoder;
import io.basalt.protocol.sbe.FinalityEventDecoder;
import io.basalt.protocol.sbe.BatchSignatureDecoder;
import io.basalt.protocol.sbe.BatchAckDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import io.basalt.protocol.sbe.SubmitTxDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the gate every network and client message passes (docs/fuzzing.md).
 * The contract: {@link MessageValidator} answers a {@link DecodeError} for any bytes and never throws;
 * it reads only inside its region (the same bytes give the same answer wherever they sit); a message
 * it accepts can be read whole by the generated flyweights and by {@link SignedRegion} and
 * {@link TransactionSender} without leaving it. Seeds (one valid message of each template) are in
 * {@code src/test/resources/io/basalt/protocol/MessageValidatorFuzzInputs/validate}.
 */
final class MessageValidatorFuzz {
    private static final int PAD = 7;

    @FuzzTest(maxDuration = "60s")
    void validate(final byte[] data) {
        final UnsafeBuffer exact = new UnsafeBuffer(data);
        final DecodeError error = MessageValidator.validate(exact, 0, data.length);
        assertNotNull(error);

        // The region is all that is read: garbage on both sides changes nothing.
        final byte[] padded = new byte[data.length + 2 * PAD];
        Arrays.fill(padded, (byte) 0xA5);
        System.arraycopy(data, 0, padded, PAD, data.length);
        assertEquals(error, MessageValidator.validate(new UnsafeBuffer(padded), PAD, data.length));

        final DecodeError tx = MessageValidator.validateTransaction(exact, 0, data.length);
        final DecodeError userTx = MessageValidator.validateUserTransaction(exact, 0, data.length);
        assertTrue(!userTx.isOk() || tx.isOk(), "a user transaction is a transaction");
        assertTrue(!tx.isOk() || error.isOk(), "a transaction is a message");
        if (!error.isOk()) {
            return;
        }
        readAccepted(exact, data.length);
        if (userTx.isOk()) {
            final byte[] sender = TransactionSender.of(data);
            assertEquals(Layout.KEY_LENGTH, sender.length);
        }
        final int templateId = Templates.templateId(exact, 0);
        if (templateId == Templates.SUBMIT_TX) {
            submittedTransaction(exact, data.length);
        }
    }

    /** Walks every field of an accepted message; the flyweights throw if anything lies outside it. */
    private static void readAccepted(final UnsafeBuffer buffer, final int length) {
        final StringBuilder text = new StringBuilder();
        dump(buffer, text);
        if (Templates.isSigned(Templates.templateId(buffer, 0))) {
            final int signed = SignedRegion.signedLength(buffer, 0, length);
            assertTrue(signed > 0 && signed <= length, "signed prefix inside the message");
            final int count = SignedRegion.signatureCount(buffer, 0, length);
            for (int i = 0; i < count; i++) {
                final int at = SignedRegion.signatureOffset(buffer, 0, length, i);
                assertTrue(at >= signed && at + Layout.SIGNATURE_LENGTH <= length, "signature inside the message");
            }
        }
    }

    /** The generated decoders' own walk over every field, group and var-data of one message. */
    private static void dump(final UnsafeBuffer buffer, final StringBuilder text) {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        switch (Templates.templateId(buffer, 0)) {
            case TransferDecoder.TEMPLATE_ID -> new TransferDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case CreateAssetDecoder.TEMPLATE_ID -> new CreateAssetDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case SwapDecoder.TEMPLATE_ID -> new SwapDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case CertifiedMessageDecoder.TEMPLATE_ID -> new CertifiedMessageDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case OpaquePayloadDecoder.TEMPLATE_ID -> new OpaquePayloadDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case BlockDecoder.TEMPLATE_ID -> new BlockDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case BlockRequestDecoder.TEMPLATE_ID -> new BlockRequestDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case BlockRangeRequestDecoder.TEMPLATE_ID -> new BlockRangeRequestDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case BlockResponseDecoder.TEMPLATE_ID -> new BlockResponseDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case SubmitTxDecoder.TEMPLATE_ID -> new SubmitTxDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case SubmitAckDecoder.TEMPLATE_ID -> new SubmitAckDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case FinalityEventDecoder.TEMPLATE_ID -> new FinalityEventDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case BatchSignatureDecoder.TEMPLATE_ID -> new BatchSignatureDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            case BatchAckDecoder.TEMPLATE_ID -> new BatchAckDecoder().wrapAndApplyHeader(buffer, 0, header).appendTo(text);
            default -> throw new AssertionError("accepted an unknown template " + Templates.templateId(buffer, 0));
        }
    }

    /** A SubmitTx that passes carries one user transaction that passes on its own. */
    private static void submittedTransaction(final UnsafeBuffer buffer, final int length) {
        final SubmitTxDecoder submit = new SubmitTxDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        final int txLength = submit.txLength();
        final byte[] tx = new byte[txLength];
        submit.getTx(tx, 0, txLength);
        assertEquals(length, submit.limit(), "SubmitTx ends where its transaction ends");
        assertEquals(DecodeError.OK, MessageValidator.validateUserTransaction(new UnsafeBuffer(tx), 0, txLength));
        final byte[] again = new byte[txLength];
        buffer.getBytes(length - txLength, again);
        assertArrayEquals(tx, again);
    }
}
