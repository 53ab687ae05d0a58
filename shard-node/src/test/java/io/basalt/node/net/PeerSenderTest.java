package io.basalt.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Publication;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
final class PeerSenderTest {
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[MessageHeader.LENGTH]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
    private final TransportCounters counters = new TransportCounters();

    @Test
    void backPressureIsRetriedABoundedNumberOfTimesThenDropped() {
        final AtomicInteger offers = new AtomicInteger();
        final PeerSender sender = new PeerSender((a, ao, al, b, bo, bl) -> {
            offers.incrementAndGet();
            return Publication.BACK_PRESSURED;
        }, 3, counters);
        final long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            assertFalse(sender.send(header, MessageHeader.LENGTH, payload, 0, 100));
        }
        assertEquals(4_000, offers.get(), "one offer plus three retries per message");
        assertEquals(1_000, counters.droppedBackPressured.get());
        assertEquals(0, counters.messagesSent.get());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "dropping must not wait");
    }

    @Test
    void notConnectedAndClosedDropAtOnce() {
        final AtomicInteger offers = new AtomicInteger();
        final long[] answer = {Publication.NOT_CONNECTED};
        final PeerSender sender = new PeerSender((a, ao, al, b, bo, bl) -> {
            offers.incrementAndGet();
            return answer[0];
        }, 3, counters);
        assertFalse(sender.send(header, MessageHeader.LENGTH, payload, 0, 100));
        answer[0] = Publication.CLOSED;
        assertFalse(sender.send(header, MessageHeader.LENGTH, payload, 0, 100));
        assertEquals(2, offers.get());
        assertEquals(1, counters.droppedNotConnected.get());
        assertEquals(1, counters.droppedClosed.get());
        assertEquals(2, counters.droppedSends());
    }

    @Test
    void aTransientRefusalThenSuccessSends() {
        final AtomicInteger offers = new AtomicInteger();
        final PeerSender sender = new PeerSender((a, ao, al, b, bo, bl) ->
            offers.incrementAndGet() == 1 ? Publication.ADMIN_ACTION
                : offers.get() == 2 ? Publication.BACK_PRESSURED : 4096L, 3, counters);
        assertTrue(sender.send(header, MessageHeader.LENGTH, payload, 0, 100));
        assertEquals(3, offers.get());
        assertEquals(1, counters.messagesSent.get());
        assertEquals(MessageHeader.LENGTH + 100, counters.bytesSent.get());
        assertEquals(0, counters.droppedSends());
    }

    @Test
    void headerNamesSenderAndRejectsForeignBytes() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MessageHeader.LENGTH]);
        MessageHeader.write(buffer, 0, 3, 17);
        MessageHeader.sequence(buffer, 0, 1234567890123L);
        assertEquals(17, MessageHeader.sender(buffer, 0, MessageHeader.LENGTH, 3));
        assertEquals(1234567890123L, MessageHeader.sequence(buffer, 0));
        assertEquals(-1, MessageHeader.sender(buffer, 0, MessageHeader.LENGTH, 2), "another shard");
        assertEquals(-1, MessageHeader.sender(buffer, 0, MessageHeader.LENGTH - 1, 3), "too short");
        buffer.putShort(6, (short) 1, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1, MessageHeader.sender(buffer, 0, MessageHeader.LENGTH, 3), "version 1: unauthenticated");
        MessageHeader.write(buffer, 0, 3, 17);
        buffer.putByte(0, (byte) 0);
        assertEquals(-1, MessageHeader.sender(buffer, 0, MessageHeader.LENGTH, 3), "bad magic");
    }
}
