package io.basalt.protocol;

import io.basalt.protocol.sbe.MessageHeaderEncoder;
import io.basalt.protocol.sbe.OpaquePayloadEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes OpaquePayload (template 20), the consensus-only benchmark's unsigned payload.
 *
 * <pre>
 *   offset      +8            +10                         +10 + payloadBytes
 *   | header    | length u16  | payload bytes ...         |
 *   | 8 bytes   |             |                           |
 * </pre>
 *
 * <p>One instance per thread: it keeps preallocated SBE flyweights so that encoding allocates nothing.
 */
public final class OpaquePayloadEncoding
{
    /** Where the payload bytes start, counted from the message's offset. */
    public static final int PAYLOAD_OFFSET = Layout.opaquePayloadLength(0);

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OpaquePayloadEncoder encoder = new OpaquePayloadEncoder();

    /**
     * Encodes an OpaquePayload whose data is {@code payload[from, from + length)} at {@code offset};
     * returns its length ({@link Layout#opaquePayloadLength}).
     */
    public int encode(final MutableDirectBuffer out, final int offset, final byte[] payload, final int from, final int length)
    {
        if (length < 0 || length > ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES)
        {
            throw new IllegalArgumentException("an opaque payload is 0.." + ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES +
                " bytes: " + length);
        }
        encoder.wrapAndApplyHeader(out, offset, header).putPayload(payload, from, length);
        return Layout.MESSAGE_HEADER_LENGTH + encoder.encodedLength();
    }
}
