package io.basalt.sim;

import io.basalt.dag.CoreConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything one simulated run does, derived from a seed: committee size, network model,
 * partitions, crashes, Byzantine validators and client load. Faults happen before
 * {@code healAtNs}; after it the network is reliable and every crashed validator is back, so
 * liveness can be demanded of the rest of the run.
 */
public record Scenario(
    long seed,
    FaultMix mix,
    int validators,
    CoreConfig core,
    long minDelayNs,
    long maxDelayNs,
    double slowTailProbability,
    double lossProbability,
    double duplicateProbability,
    List<Partition> partitions,
    List<Crash> crashes,
    Behaviour[] behaviours,
    int transactions,
    long submitIntervalNs,
    long healAtNs,
    long endAtNs) {

    public static final long MS = 1_000_000L;

    /** A split of the committee: messages between the two sides are dropped during [start, end). */
    public record Partition(long startNs, long endNs, long sideMask) {
        boolean separates(final int a, final int b) {
            return ((sideMask >>> a) & 1) != ((sideMask >>> b) & 1);
        }
    }

    /** A validator stops at {@code atNs} and restarts from its persisted state at {@code restartNs}. */
    public record Crash(int validator, long atNs, long restartNs) {
    }

    /** The fault families the seed campaign draws from. */
    public enum FaultMix { CLEAN, LOSSY, PARTITION, CRASH, EQUIVOCATE, INVALID, WITHHOLD, FLOOD_AHEAD, MIXED }

    public int maxFaulty() {
        return (validators - 1) / 3;
    }

    /** Validators that are honest and never crash: the ones liveness is promised to. */
    public boolean isCorrect(final int validator) {
        if (behaviours[validator] != Behaviour.HONEST) {
            return false;
        }
        for (final Crash crash : crashes) {
            if (crash.validator() == validator) {
                return false;
            }
        }
        return true;
    }

    public static CoreConfig simCoreConfig(final int leadersPerRound) {
        return CoreConfig.defaults()
            .withTimes(30 * MS, 1 * MS, 40 * MS)
            .withLeadersPerRound(leadersPerRound)
            .withBlockLimits(200, 64 * 1024);
    }

    /** The scenario of a seed: the same seed always gives the same scenario. */
    public static Scenario random(final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final FaultMix mix = FaultMix.values()[random.nextInt(FaultMix.values().length)];
        final int n = new int[] {4, 4, 7, 10}[random.nextInt(4)];
        return forMix(seed, mix, n, random);
    }

    public static Scenario forMix(final long seed, final FaultMix mix, final int n) {
        return forMix(seed, mix, n, new SplittableRandom(seed));
    }

    private static Scenario forMix(final long seed, final FaultMix mix, final int n, final SplittableRandom random) {
        final int f = (n - 1) / 3;
        final int leaders = 1 + random.nextInt(Math.min(2, n));
        final long heal = (150 + random.nextInt(100)) * MS;
        final long end = heal + 250 * MS;
        final Behaviour[] behaviours = new Behaviour[n];
        Arrays.fill(behaviours, Behaviour.HONEST);
        final List<Partition> partitions = new ArrayList<>();
        final List<Crash> crashes = new ArrayList<>();
        double loss = 0;
        double duplicate = 0;
        final boolean mixed = mix == FaultMix.MIXED;
        if (mix == FaultMix.LOSSY || mixed) {
            loss = 0.02 + random.nextDouble() * 0.15;
            duplicate = random.nextDouble() * 0.1;
        }
        if (mix == FaultMix.PARTITION || mixed) {
            final long start = random.nextLong(heal / 2);
            partitions.add(new Partition(start, start + random.nextLong(20 * MS, heal - start),
                random.nextLong(1, (1L << n) - 1)));
        }
        final int[] faulty = pickDistinct(random, n, f);
        int next = 0;
        if (mix == FaultMix.CRASH || mixed) {
            final int victims = mixed ? Math.max(1, f / 2) : f;
            for (int i = 0; i < victims && next < f; i++) {
                final long at = random.nextLong(heal / 2);
                crashes.add(new Crash(faulty[next++], at, random.nextLong(at + MS, heal)));
            }
        }
        final Behaviour byzantine = switch (mix) {
            case EQUIVOCATE -> Behaviour.EQUIVOCATE;
            case INVALID -> Behaviour.INVALID;
            case WITHHOLD -> Behaviour.WITHHOLD;
            case FLOOD_AHEAD -> Behaviour.FLOOD_AHEAD;
            case MIXED -> Behaviour.values()[1 + random.nextInt(Behaviour.values().length - 1)];
            default -> null;
        };
        while (byzantine != null && next < f) {
            behaviours[faulty[next++]] = byzantine;
        }
        return new Scenario(seed, mix, n, simCoreConfig(leaders), 1 * MS, 3 * MS,
            mix == FaultMix.CLEAN ? 0.0 : 0.05, loss, duplicate, List.copyOf(partitions), List.copyOf(crashes),
            behaviours, 40 + random.nextInt(60), 2 * MS, heal, end);
    }

    /** Fixed one-unit delays, no faults: the run that measures latency in message delays. */
    public static Scenario unitDelays(final long seed, final int n, final long delayNs, final long endNs) {
        final Behaviour[] behaviours = new Behaviour[n];
        Arrays.fill(behaviours, Behaviour.HONEST);
        final CoreConfig core = CoreConfig.defaults()
            .withTimes(10 * delayNs, 0, 20 * delayNs)
            .withBlockLimits(1_000, 512 * 1024);
        return new Scenario(seed, FaultMix.CLEAN, n, core, delayNs, delayNs, 0, 0, 0, List.of(), List.of(),
            behaviours, (int) (endNs / delayNs), delayNs / 3, 0, endNs);
    }

    public Scenario withCore(final CoreConfig config) {
        return new Scenario(seed, mix, validators, config, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, partitions, crashes, behaviours, transactions,
            submitIntervalNs, healAtNs, endAtNs);
    }

    public Scenario withCrashes(final List<Crash> newCrashes, final long newHealNs, final long newEndNs) {
        return new Scenario(seed, mix, validators, core, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, partitions, List.copyOf(newCrashes), behaviours, transactions,
            submitIntervalNs, newHealNs, newEndNs);
    }

    public Scenario withLoad(final int newTransactions, final long newSubmitIntervalNs, final long newEndNs) {
        return new Scenario(seed, mix, validators, core, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, partitions, crashes, behaviours, newTransactions,
            newSubmitIntervalNs, healAtNs, newEndNs);
    }

    private static int[] pickDistinct(final SplittableRandom random, final int n, final int count) {
        final int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, count);
    }

    @Override
    public String toString() {
        return "seed=" + seed + " mix=" + mix + " n=" + validators + " leaders/round=" + core.leadersPerRound()
            + " loss=" + String.format("%.3f", lossProbability) + " dup=" + String.format("%.3f", duplicateProbability)
            + " partitions=" + partitions.size() + " crashes=" + crashes + " behaviours=" + Arrays.toString(behaviours);
    }
}
