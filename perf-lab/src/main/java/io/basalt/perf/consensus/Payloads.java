package io.basalt.perf.consensus;

import io.basalt.protocol.Layout;
import io.basalt.protocol.OpaquePayloadEncoding;
import io.basalt.protocol.ProtocolLimits;
import io.basalt.protocol.Templates;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The benchmark's payloads: OpaquePayload messages (template 20) whose data starts with a 64-bit
 * sequence number, so every payload is distinct and the commit sink can tell which one it sees.
 *
 * <pre>
 *   0         8          10             18                       10 + payloadBytes
 *   | header  | len u16  | seq u64 (LE) | zeros ...              |
 * </pre>
 *
 * Payload {@code seq} is submitted at validator {@code seq % validators}.
 */
final class Payloads {
    /** The sequence number needs 8 bytes of the payload. */
    static final int MIN_PAYLOAD_BYTES = Long.BYTES;
    private static final int SEQ_OFFSET = OpaquePayloadEncoding.PAYLOAD_OFFSET;

    private final int payloadBytes;
    private final OpaquePayloadEncoding encoding = new OpaquePayloadEncoding();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final byte[] zeros;

    /** Not thread-safe: one instance per submitting thread. */
    Payloads(final int payloadBytes) {
        if (payloadBytes < MIN_PAYLOAD_BYTES || payloadBytes > ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("--payload-bytes must be in [" + MIN_PAYLOAD_BYTES + ", "
                + ProtocolLimits.MAX_OPAQUE_PAYLOAD_BYTES + "]: " + payloadBytes);
        }
        this.payloadBytes = payloadBytes;
        this.zeros = new byte[payloadBytes];
    }

    /** Encoded length of one payload message. */
    static int encodedLength(final int payloadBytes) {
        return Layout.opaquePayloadLength(payloadBytes);
    }

    byte[] create(final long seq) {
        final byte[] message = new byte[encodedLength(payloadBytes)];
        view.wrap(message);
        encoding.encode(view, 0, zeros, 0, payloadBytes);
        view.putLong(SEQ_OFFSET, seq, ByteOrder.LITTLE_ENDIAN);
        return message;
    }

    /** Whether the transaction at {@code offset} of {@code bytes} is an opaque payload. */
    static boolean isPayload(final UnsafeBuffer bytes, final int offset) {
        return Templates.templateId(bytes, offset) == Templates.OPAQUE_PAYLOAD;
    }

    /** The sequence number of the payload message at {@code offset}. */
    static long seq(final UnsafeBuffer bytes, final int offset) {
        return bytes.getLong(offset + SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }
}
