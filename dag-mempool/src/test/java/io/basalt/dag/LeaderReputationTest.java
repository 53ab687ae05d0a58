package io.basalt.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leader reputation with one crashed validator of four: round-robin hands it every fourth round,
 * and each of those costs a leader timeout; with reputation its slots go to the best validator
 * after the first period, every live validator installs the same table, and a restarted validator
 * derives it again from its storage.
 */
class LeaderReputationTest {
    private static final long MS = 1_000_000L;
    private static final int N = 4;
    private static final int CRASHED = 3;
    private static final int PERIOD = 20;
    private final Committee committee = TestKeys.committee(N);
    private final ArrayDeque<Object[]> wire = new ArrayDeque<>();
    private final ConsensusCore[] cores = new ConsensusCore[N];
    private final MemoryStorage[] storages = new MemoryStorage[N];
    private final List<List<CommittedSubDag>> outputs = new ArrayList<>();

    /** Leader timeouts of validator 0 while its rounds go from 100 to 300, and the run's cores. */
    private long timeoutsBetweenRounds100And300(final CoreConfig config) {
        for (int v = 0; v < N; v++) {
            storages[v] = new MemoryStorage();
            outputs.add(new ArrayList<>());
            if (v != CRASHED) {
                cores[v] = core(config, v);
            }
        }
        for (final ConsensusCore core : cores) {
            if (core != null) {
                core.start(0);
            }
        }
        long now = 0;
        long timeoutsAt100 = -1;
        while (cores[0].lastOwnRound() < 300) {
            assertTrue(now < 60_000 * MS, "no progress: round " + cores[0].lastOwnRound());
            now += MS;
            deliverAll(now);
            for (final ConsensusCore core : cores) {
                if (core != null) {
                    core.tick(now);
                }
            }
            if (timeoutsAt100 < 0 && cores[0].lastOwnRound() >= 100) {
                timeoutsAt100 = cores[0].leaderTimeouts();
            }
        }
        return cores[0].leaderTimeouts() - timeoutsAt100;
    }

    @Test
    void aCrashedLeaderStopsCostingTimeoutsAfterTheFirstPeriod() {
        final CoreConfig base = CoreConfig.defaults().withTimes(10 * MS, MS, 40 * MS);
        final long withReputation = timeoutsBetweenRounds100And300(base.withReputationPeriod(PERIOD));
        System.out.println("leader timeouts in rounds 100..300 of validator 0 with reputation: " + withReputation);
        assertTrue(withReputation <= 2, "with reputation, leader timeouts in 200 rounds: " + withReputation);
        for (int v = 0; v < N; v++) {
            if (v != CRASHED) {
                assertEquals(cores[0].schedule().toString(), cores[v].schedule().toString(), "one schedule everywhere");
            }
        }
        assertTrue(cores[0].schedule().replacementOf(CRASHED) != CRASHED, "the crashed validator lost its slots");
        assertAgreement();

        // A restart derives the same table from storage alone.
        final ConsensusCore restarted = core(base.withReputationPeriod(PERIOD), 1);
        restarted.start(0, cores[1].height());
        assertEquals(cores[1].schedule().toString(), restarted.schedule().toString(), "the restarted schedule");
    }

    @Test
    void roundRobinPaysATimeoutEveryFourthRound() {
        final long withoutReputation = timeoutsBetweenRounds100And300(
            CoreConfig.defaults().withTimes(10 * MS, MS, 40 * MS).withReputationPeriod(0));
        System.out.println("leader timeouts in rounds 100..300 of validator 0, round-robin: " + withoutReputation);
        assertTrue(withoutReputation >= 40, "round-robin, leader timeouts in 200 rounds: " + withoutReputation);
        assertAgreement();
    }

    private void assertAgreement() {
        final int common = Math.min(outputs.get(0).size(), Math.min(outputs.get(1).size(), outputs.get(2).size()));
        assertTrue(common > 50, "commits: " + common);
        for (int i = 0; i < common; i++) {
            assertEquals(outputs.get(0).get(i).leader(), outputs.get(1).get(i).leader(), "height " + (i + 1));
            assertEquals(outputs.get(0).get(i).leader(), outputs.get(2).get(i).leader(), "height " + (i + 1));
        }
    }

    private ConsensusCore core(final CoreConfig config, final int v) {
        final CoreOutbox outbox = new RecordingOutbox(null) {
            @Override
            public void broadcastBlock(final Block block) {
                for (int to = 0; to < N; to++) {
                    if (to != v) {
                        wire.add(new Object[] {v, to, block});
                    }
                }
            }
        };
        return new ConsensusCore(config, committee, v, new BlockCodec(TestKeys.signer(v)),
            new SignedBlockVerifier(new TestKeys()), storages[v], outbox, outputs.get(v)::add);
    }

    /** Everything sent so far arrives now, one millisecond of virtual time after it was sent. */
    private void deliverAll(final long nowNs) {
        final int count = wire.size();
        for (int i = 0; i < count; i++) {
            final Object[] m = wire.poll();
            final ConsensusCore to = cores[(int) m[1]];
            if (to != null) {
                to.onBlock((int) m[0], (Block) m[2], nowNs);
            }
        }
    }
}
