package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restarted core hands execution every committed sub-DAG above the height execution had
 * reached, in order and with the same content, and continues without gaps.
 */
class RecoveryTest {
    private static final long MS = 1_000_000L;
    private static final int N = 4;
    private final Committee committee = TestKeys.committee(N);
    // One round per millisecond at most: with instant delivery and no minimum interval the
    // cluster would run through rounds without end inside one delivery loop.
    private final CoreConfig config = CoreConfig.defaults().withTimes(30 * MS, MS, 40 * MS);
    private final ArrayDeque<Object[]> wire = new ArrayDeque<>();
    private final ConsensusCore[] cores = new ConsensusCore[N];
    private final MemoryStorage[] storages = new MemoryStorage[N];
    private final List<List<CommittedSubDag>> outputs = new ArrayList<>();

    private ConsensusCore core(final int v) {
        final int self = v;
        final CoreOutbox outbox = new RecordingOutbox(null) {
            @Override
            public void broadcastBlock(final Block block) {
                for (int to = 0; to < N; to++) {
                    if (to != self) {
                        wire.add(new Object[] {self, to, block});
                    }
                }
            }
        };
        return new ConsensusCore(config, committee, v, new BlockCodec(TestKeys.signer(v)),
            new SignedBlockVerifier(new TestKeys()), storages[v], outbox, outputs.get(v)::add);
    }

    private void deliverAll(final long nowNs) {
        while (!wire.isEmpty()) {
            final Object[] m = wire.poll();
            final ConsensusCore to = cores[(int) m[1]];
            if (to != null) {
                to.onBlock((int) m[0], (Block) m[2], nowNs);
            }
        }
    }

    @Test
    void restartReemitsCommitsAboveTheExecutedHeight() {
        for (int v = 0; v < N; v++) {
            storages[v] = new MemoryStorage();
            outputs.add(new ArrayList<>());
            cores[v] = core(v);
        }
        for (int v = 0; v < N; v++) {
            cores[v].start(0);
        }
        long now = 0;
        for (int step = 0; outputs.get(3).size() < 10; step++) {
            assertTrue(step < 2_000, "no progress: heights " + outputs.get(0).size() + "," + outputs.get(3).size()
                + " rounds " + cores[0].quorumRound() + "," + cores[3].quorumRound() + " wire " + wire.size()
                + " pending " + cores[0].pendingSize() + " rejects " + cores[0].rejectCount(RejectReason.BAD_SIGNATURE)
                + "/" + cores[0].rejectCount(RejectReason.DUPLICATE) + "/" + cores[0].rejectCount(RejectReason.BAD_PARENTS));
            now += MS;
            deliverAll(now);
            for (final ConsensusCore c : cores) {
                c.tick(now);
            }
        }
        final List<CommittedSubDag> before = List.copyOf(outputs.get(3));
        final long executed = before.get(before.size() - 4).height();
        outputs.get(3).clear();
        cores[3] = core(3);
        cores[3].start(now, executed);
        final List<CommittedSubDag> replayed = List.copyOf(outputs.get(3));
        assertEquals(before.size() - executed, replayed.size(), "every height above the executed one comes again");
        for (int i = 0; i < replayed.size(); i++) {
            final CommittedSubDag original = before.get((int) executed + i);
            assertEquals(original.height(), replayed.get(i).height());
            assertEquals(original.leader(), replayed.get(i).leader());
            assertEquals(original.blocks().stream().map(Block::ref).toList(),
                replayed.get(i).blocks().stream().map(Block::ref).toList());
        }
        final long last = replayed.get(replayed.size() - 1).height();
        for (int i = 0; i < 40 && outputs.get(3).size() == replayed.size(); i++) {
            now += MS;
            deliverAll(now);
            for (final ConsensusCore c : cores) {
                c.tick(now);
            }
        }
        assertTrue(outputs.get(3).size() > replayed.size(), "the restarted core commits again");
        assertEquals(last + 1, outputs.get(3).get(replayed.size()).height(), "no gap after the replay");
    }
}
