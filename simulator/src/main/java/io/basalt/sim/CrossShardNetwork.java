package io.basalt.sim;

import io.basalt.protocol.Templates;
import io.basalt.protocol.sbe.BatchAckDecoder;
import io.basalt.protocol.sbe.BatchSignatureDecoder;
import io.basalt.protocol.sbe.MessageHeaderDecoder;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The network between shards, separate from each committee's own: its own delays and, before
 * the scenario heals, loss, duplication, reordering (delays wide enough for messages to overtake
 * each other), replays of old messages, and whole shards cut off from the rest.
 *
 * <pre>
 *   relay send(from, to, bytes) ──▶ count ──▶ faults active? ──┬─ shard partitioned / lost ──▶ dropped
 *                                                             ├─ replay: an old message again, to its old target
 *                                                             └─ deliver at now + delay (twice if duplicated)
 * </pre>
 *
 * It counts what the relays send (before any fault), per message type, for the scale report, and
 * how many acknowledgements only repeat what their sender told the same validator before.
 */
final class CrossShardNetwork {
    /** Old messages kept for replays. */
    static final int REPLAY_MEMORY = 512;

    /** Puts a message on the event queue. */
    @FunctionalInterface
    interface Delivery {
        void deliver(long atNs, int toGlobal, int fromGlobal, byte[] message);
    }

    /** What the relays sent, by type. */
    static final class Traffic {
        long signatureMessages;
        long signatureBytes;
        long ackMessages;
        long ackBytes;
        /** Acks that repeat, to the same validator, what the sender acknowledged to it last time. */
        long ackRepeats;
        long otherMessages;
        long dropped;
        long duplicated;
        long replayed;
    }

    private final Scenario.CrossNet net;
    private final long healAtNs;
    private final int validatorsPerShard;
    private final SplittableRandom random;
    private final Delivery delivery;
    private final Traffic traffic = new Traffic();
    private final byte[][] oldMessages = new byte[REPLAY_MEMORY][];
    private final int[] oldTargets = new int[REPLAY_MEMORY];
    private final int[] oldSenders = new int[REPLAY_MEMORY];
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final BatchAckDecoder ack = new BatchAckDecoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final Map<Long, Long> lastAckThrough = new HashMap<>();
    private int remembered;
    private int nextSlot;

    CrossShardNetwork(final Scenario scenario, final SplittableRandom random, final Delivery delivery) {
        this.net = scenario.crossNet();
        this.healAtNs = scenario.healAtNs();
        this.validatorsPerShard = scenario.validators();
        this.random = random;
        this.delivery = delivery;
    }

    Traffic traffic() {
        return traffic;
    }

    void send(final long nowNs, final int fromGlobal, final int toGlobal, final byte[] message) {
        count(fromGlobal, toGlobal, message);
        final boolean faults = nowNs < healAtNs;
        if (faults && (partitioned(nowNs, fromGlobal / validatorsPerShard, toGlobal / validatorsPerShard)
            || random.nextDouble() < net.lossProbability())) {
            traffic.dropped++;
            return;
        }
        if (faults && remembered > 0 && random.nextDouble() < net.replayProbability()) {
            final int slot = random.nextInt(remembered);
            traffic.replayed++;
            delivery.deliver(nowNs + delay(faults), oldTargets[slot], oldSenders[slot], oldMessages[slot]);
        }
        delivery.deliver(nowNs + delay(faults), toGlobal, fromGlobal, message);
        if (faults && random.nextDouble() < net.duplicateProbability()) {
            traffic.duplicated++;
            delivery.deliver(nowNs + delay(faults), toGlobal, fromGlobal, message);
        }
        if (faults && net.replayProbability() > 0) {
            remember(fromGlobal, toGlobal, message);
        }
    }

    private void remember(final int from, final int to, final byte[] message) {
        oldMessages[nextSlot] = message;
        oldTargets[nextSlot] = to;
        oldSenders[nextSlot] = from;
        nextSlot = (nextSlot + 1) % REPLAY_MEMORY;
        remembered = Math.min(REPLAY_MEMORY, remembered + 1);
    }

    private boolean partitioned(final long nowNs, final int fromShard, final int toShard) {
        for (final Scenario.ShardPartition p : net.partitions()) {
            if (nowNs >= p.startNs() && nowNs < p.endNs() && (p.shard() == fromShard || p.shard() == toShard)) {
                return true;
            }
        }
        return false;
    }

    /** Wide jitter (reordering) is a fault too: after healing delays are back to the ordinary range. */
    private long delay(final boolean faults) {
        final long max = faults ? net.maxDelayNs() : Math.min(net.maxDelayNs(), Scenario.CROSS_MAX_DELAY_NS);
        return net.minDelayNs() + (max > net.minDelayNs() ? random.nextLong(max - net.minDelayNs()) : 0);
    }

    private void count(final int fromGlobal, final int toGlobal, final byte[] message) {
        view.wrap(message);
        final int template = message.length >= 8 ? Templates.templateId(view, 0) : -1;
        if (template == BatchSignatureDecoder.TEMPLATE_ID) {
            traffic.signatureMessages++;
            traffic.signatureBytes += message.length;
        } else if (template == BatchAckDecoder.TEMPLATE_ID && message.length >= header.encodedLength() + BatchAckDecoder.BLOCK_LENGTH) {
            traffic.ackMessages++;
            traffic.ackBytes += message.length;
            final long through = ack.wrapAndApplyHeader(view, 0, header).appliedThrough();
            final Long last = lastAckThrough.put((long) fromGlobal << 32 | toGlobal, through);
            if (last != null && last == through) {
                traffic.ackRepeats++;
            }
        } else {
            traffic.otherMessages++;
        }
    }
}
