package io.basalt.sim;

import io.basalt.dag.CoreConfig;
import io.basalt.dag.LeaderSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything one simulated run does, derived from a seed: shards and committee size, network
 * models inside and between shards, partitions, crashes, Byzantine validators (in consensus and in
 * the cross-shard relay) and client load. Faults happen before {@code healAtNs}; after it both
 * networks are reliable and every crashed validator is back, so liveness can be demanded of the
 * rest of the run.
 *
 * <p>A single-shard run ({@link #random}) draws exactly what it drew before shards existed; a
 * multi-shard run ({@link #multiShard}) applies one intra-shard {@link FaultMix} to every shard,
 * each with its own draws, and adds one {@link CrossMix} between them.
 */
public record Scenario(
    long seed,
    FaultMix mix,
    CrossMix crossMix,
    int shards,
    int validators,
    CoreConfig core,
    long minDelayNs,
    long maxDelayNs,
    double slowTailProbability,
    double lossProbability,
    double duplicateProbability,
    List<ShardPlan> plans,
    CrossNet crossNet,
    Traffic traffic,
    int transactions,
    long submitIntervalNs,
    long healAtNs,
    long endAtNs,
    WrongRule wrongRule,
    BlockSchedule schedule) {

    public static final long MS = 1_000_000L;
    /**
     * Multi-shard runs go on this long after healing. A cross-shard swap needs four commits in
     * sequence (order, the other shard's vote, the payouts on each side), and with Byzantine
     * leaders in a committee one commit takes up to ~180 ms of virtual time (equivocators of 7).
     */
    static final long MULTI_SHARD_TAIL_NS = 500 * MS;
    /** In multi-shard runs clients stop this long before the end, so that what they sent can settle. */
    static final long MULTI_SHARD_DRAIN_NS = 350 * MS;
    /** When no cross-shard work began for this long before the end, everything must have drained. */
    static final long MULTI_SHARD_QUIET_NS = 200 * MS;
    /** Cross-shard messages take this long at least: shards are further apart than a committee's members. */
    static final long CROSS_MIN_DELAY_NS = 2 * MS;
    static final long CROSS_MAX_DELAY_NS = 6 * MS;
    static final int MAX_SHARDS = 64;

    /** A split of one committee: messages between the two sides are dropped during [start, end). */
    public record Partition(long startNs, long endNs, long sideMask) {
        boolean separates(final int a, final int b) {
            return ((sideMask >>> a) & 1) != ((sideMask >>> b) & 1);
        }
    }

    /** A validator stops at {@code atNs} and restarts from its persisted state at {@code restartNs}. */
    public record Crash(int validator, long atNs, long restartNs) {
    }

    /** A whole shard cut off from the others (cross-shard traffic to and from it dropped) during [start, end). */
    public record ShardPartition(int shard, long startNs, long endNs) {
    }

    /** The faults of one shard's committee: validators are indexed within the shard. */
    public record ShardPlan(List<Partition> partitions, List<Crash> crashes, Behaviour[] behaviours,
                            CrossBehaviour[] crossBehaviours) {
        public boolean crashes(final int validator) {
            for (final Crash crash : crashes) {
                if (crash.validator() == validator) {
                    return true;
                }
            }
            return false;
        }

        ShardPlan withCrashes(final List<Crash> newCrashes) {
            return new ShardPlan(partitions, List.copyOf(newCrashes), behaviours, crossBehaviours);
        }
    }

    /** The network between shards: its own delays and, before healing, loss, duplication, replays and partitions. */
    public record CrossNet(long minDelayNs, long maxDelayNs, double lossProbability, double duplicateProbability,
                           double replayProbability, List<ShardPartition> partitions) {
        static CrossNet reliable() {
            return new CrossNet(CROSS_MIN_DELAY_NS, CROSS_MAX_DELAY_NS, 0, 0, 0, List.of());
        }

        /** Whether anything but delay happens to cross-shard messages. */
        boolean disrupted() {
            return lossProbability > 0 || duplicateProbability > 0 || replayProbability > 0 || !partitions.isEmpty();
        }
    }

    /** The fault families inside a shard. */
    public enum FaultMix { CLEAN, LOSSY, PARTITION, CRASH, EQUIVOCATE, INVALID, WITHHOLD, FLOOD_AHEAD, SKEW_AHEAD, REQUEST_FLOOD, MIXED }

    /**
     * The fault families between shards. COLLUDE goes beyond f on purpose, for signing only: f+1
     * validators of every shard sign a conflicting batch besides the real one and forge
     * certificates from what they gather; the 2f+1 threshold must hold against up to 2f such signers.
     */
    public enum CrossMix { CLEAN, LOSSY, SHARD_PARTITION, CONFLICT, WITHHOLD, FORGE, REPLAY, COLLUDE, MIXED }

    /** What clients send: every kind of transaction (the campaigns), or only cross-shard transfers or swaps (scale, bursts). */
    public enum Traffic { MIXED, CROSS_TRANSFERS, CROSS_SWAPS }

    public int maxFaulty() {
        return (validators - 1) / 3;
    }

    public ShardPlan plan(final int shard) {
        return plans.get(shard);
    }

    /** The consensus behaviours of shard 0's validators: the single-shard view. */
    public Behaviour[] behaviours() {
        return plans.get(0).behaviours();
    }

    /** Crashes in shard 0: the single-shard view. */
    public List<Crash> crashes() {
        return plans.get(0).crashes();
    }

    public Behaviour behaviour(final int shard, final int validator) {
        return plans.get(shard).behaviours()[validator];
    }

    public CrossBehaviour crossBehaviour(final int shard, final int validator) {
        return plans.get(shard).crossBehaviours()[validator];
    }

    /** Validators that are honest in consensus and never crash: the ones liveness is promised to. */
    public boolean isCorrect(final int shard, final int validator) {
        return behaviour(shard, validator) == Behaviour.HONEST && !plans.get(shard).crashes(validator);
    }

    public boolean isCorrect(final int validator) {
        return isCorrect(0, validator);
    }

    /** Transactions submitted after this may still be in flight at the end and are not judged. */
    public long livenessDeadlineNs() {
        if (shards > 1) {
            return endAtNs - MULTI_SHARD_DRAIN_NS;
        }
        return endAtNs - Math.max(100 * MS, 40 * maxDelayNs);
    }

    /** Cross-shard work begun (a receipt cut, a swap ordered) before this must be finished at the end. */
    public long crossSettleDeadlineNs() {
        return livenessDeadlineNs();
    }

    /** If the last cross-shard work began before this, nothing may be left at the end: no escrow, outbox or pending batch. */
    public long crossQuietFromNs() {
        return endAtNs - MULTI_SHARD_QUIET_NS;
    }

    /** Whether anything at all goes wrong in this run, inside a shard or between shards. */
    public boolean faultFree() {
        return mix == FaultMix.CLEAN && !crossNet.disrupted() && noCrossBehaviours();
    }

    private boolean noCrossBehaviours() {
        for (final ShardPlan plan : plans) {
            for (final CrossBehaviour b : plan.crossBehaviours()) {
                if (b != CrossBehaviour.HONEST) {
                    return false;
                }
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

    // ------------------------------------------------------------------------------- single shard

    /** The single-shard scenario of a seed: the same seed always gives the same scenario. */
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
        final int leaders = 1 + random.nextInt(Math.min(2, n));
        final long heal = (150 + random.nextInt(100)) * MS;
        final long end = heal + 250 * MS;
        final double[] lossAndDuplicate = lossAndDuplicate(random, mix);
        final ShardPlan plan = drawPlan(random, mix, CrossMix.CLEAN, n, heal);
        return new Scenario(seed, mix, CrossMix.CLEAN, 1, n, simCoreConfig(leaders), 1 * MS, 3 * MS,
            mix == FaultMix.CLEAN ? 0.0 : 0.05, lossAndDuplicate[0], lossAndDuplicate[1], List.of(plan),
            CrossNet.reliable(), Traffic.MIXED, 40 + random.nextInt(60), 2 * MS, heal, end, WrongRule.NONE,
            BlockSchedule.NONE);
    }

    /** Fixed one-unit delays, no faults: the run that measures latency in message delays. */
    public static Scenario unitDelays(final long seed, final int n, final long delayNs, final long endNs) {
        final CoreConfig core = CoreConfig.defaults()
            .withTimes(10 * delayNs, 0, 20 * delayNs)
            .withBlockLimits(1_000, 512 * 1024);
        return new Scenario(seed, FaultMix.CLEAN, CrossMix.CLEAN, 1, n, core, delayNs, delayNs, 0, 0, 0,
            List.of(honestPlan(n)), CrossNet.reliable(), Traffic.MIXED, (int) (endNs / delayNs), delayNs / 3, 0,
            endNs, WrongRule.NONE, BlockSchedule.NONE);
    }

    /** How late the {@link #qiuSchedule} delivers a round's blocks to the next round's leader. */
    static final long QIU_LATE_NS = 10 * MS;
    /** Virtual time of a {@link #qiuSchedule} run: about 20 rounds where every round costs a leader timeout. */
    static final long QIU_END_NS = 600 * MS;

    /**
     * A round-jumping schedule after Qiu, Xiao and Shao's liveness counterexample for Mysticeti,
     * built on Basalt's rules from the mechanism they name (docs/consensus.md, "Proposing: the
     * pacemaker", says how it differs from the published trace): four honest validators, no faults,
     * one leader slot per round (round-robin, no reputation, so the adversary knows every leader),
     * every message 1 ms, except that the blocks of round q reach the leader of round q+1 after
     * {@link #QIU_LATE_NS}: late, yet a third of the 30 ms leader timeout, so the network is
     * synchronous throughout. That leader then holds the others' quorum of round q+1 before its own
     * timer lets it propose round q+1. Under the old round rule ({@link WrongRule#UNSAFE_ROUND_ADVANCE})
     * it moves straight on to round q+2, so from round 2 on no round has its leader's block and every
     * slot is skipped; under the Starfish rule it first makes the safe jump, a block of round q+1,
     * which the others are still waiting for, so they vote for it. Clients submit a transaction
     * every 3 ms for 450 ms.
     */
    public static Scenario qiuSchedule() {
        final int n = 4;
        final LeaderSchedule leaders = new LeaderSchedule(n, 1);
        final BlockSchedule schedule = new BlockSchedule() {
            @Override
            public long delayNs(final int author, final int to, final long round) {
                return to == leaders.leader(round + 1, 0) ? QIU_LATE_NS : MS;
            }

            @Override
            public String name() {
                return "qiu";
            }
        };
        return new Scenario(1, FaultMix.CLEAN, CrossMix.CLEAN, 1, n, simCoreConfig(1).withReputationPeriod(0), MS, MS,
            0, 0, 0, List.of(honestPlan(n)), CrossNet.reliable(), Traffic.MIXED, 150, 3 * MS, 0, QIU_END_NS,
            WrongRule.NONE, schedule);
    }

    // ------------------------------------------------------------------------------- several shards

    /** The multi-shard scenario of (seed, shards): 4 or 7 validators per shard, one fault mix of each family. */
    public static Scenario multiShard(final long seed, final int shards) {
        final SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + shards);
        final FaultMix mix = FaultMix.values()[random.nextInt(FaultMix.values().length)];
        final CrossMix crossMix = CrossMix.values()[random.nextInt(CrossMix.values().length)];
        final int n = random.nextBoolean() ? 4 : 7;
        return multiShard(seed, shards, n, mix, crossMix, random);
    }

    /** A multi-shard scenario with both mixes chosen: for tests that need one family. */
    public static Scenario multiShard(final long seed, final int shards, final int n, final FaultMix mix,
                                      final CrossMix crossMix) {
        return multiShard(seed, shards, n, mix, crossMix, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + shards));
    }

    private static Scenario multiShard(final long seed, final int shards, final int n, final FaultMix mix,
                                       final CrossMix crossMix, final SplittableRandom random) {
        if (shards < 2 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("a multi-shard run has 2 to " + MAX_SHARDS + " shards: " + shards);
        }
        final int leaders = 1 + random.nextInt(2);
        final long heal = (150 + random.nextInt(100)) * MS;
        final long end = heal + MULTI_SHARD_TAIL_NS;
        final double[] lossAndDuplicate = lossAndDuplicate(random, mix);
        final List<ShardPlan> plans = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            plans.add(drawPlan(random, mix, crossMix, n, heal));
        }
        final CrossNet crossNet = drawCrossNet(random, crossMix, shards, heal);
        final int transactions = shards * (25 + random.nextInt(25));
        return new Scenario(seed, mix, crossMix, shards, n, simCoreConfig(leaders), 1 * MS, 3 * MS,
            mix == FaultMix.CLEAN ? 0.0 : 0.05, lossAndDuplicate[0], lossAndDuplicate[1], List.copyOf(plans), crossNet,
            Traffic.MIXED, transactions, (end - MULTI_SHARD_DRAIN_NS) / transactions, heal, end, WrongRule.NONE,
            BlockSchedule.NONE);
    }

    /**
     * A clean run of {@code shards} x 4 validators whose clients send {@code transfers} cross-shard
     * transfers over {@code loadNs}: what the scale report measures.
     */
    public static Scenario scale(final long seed, final int shards, final int transfers, final long loadNs,
                                 final long endNs) {
        return clean(seed, shards, Traffic.CROSS_TRANSFERS, transfers, loadNs, endNs);
    }

    /** A clean run of {@code shards} x 4 validators whose clients send {@code count} transactions of one kind over {@code loadNs}. */
    public static Scenario clean(final long seed, final int shards, final Traffic traffic, final int count,
                                 final long loadNs, final long endNs) {
        final List<ShardPlan> plans = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            plans.add(honestPlan(4));
        }
        return new Scenario(seed, FaultMix.CLEAN, CrossMix.CLEAN, shards, 4, simCoreConfig(1), 1 * MS, 3 * MS, 0, 0, 0,
            List.copyOf(plans), CrossNet.reliable(), traffic, count, Math.max(1, loadNs / count), 0, endNs,
            WrongRule.NONE, BlockSchedule.NONE);
    }

    // ------------------------------------------------------------------------------- draws

    private static double[] lossAndDuplicate(final SplittableRandom random, final FaultMix mix) {
        if (mix == FaultMix.LOSSY || mix == FaultMix.MIXED) {
            final double loss = 0.02 + random.nextDouble() * 0.15;
            return new double[] {loss, random.nextDouble() * 0.1};
        }
        return new double[] {0, 0};
    }

    /**
     * One committee's faults. The draws for a single-shard run are the ones it always made (the
     * cross-shard roles come last and draw nothing there), so old seeds keep their scenarios.
     */
    private static ShardPlan drawPlan(final SplittableRandom random, final FaultMix mix, final CrossMix crossMix,
                                      final int n, final long heal) {
        final int f = (n - 1) / 3;
        final boolean mixed = mix == FaultMix.MIXED;
        final List<Partition> partitions = new ArrayList<>();
        if (mix == FaultMix.PARTITION || mixed) {
            final long start = random.nextLong(heal / 2);
            partitions.add(new Partition(start, start + random.nextLong(20 * MS, heal - start),
                random.nextLong(1, (1L << n) - 1)));
        }
        final int[] faulty = pickDistinct(random, n, crossMix == CrossMix.COLLUDE ? f + 1 : f);
        final List<Crash> crashes = new ArrayList<>();
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
            case SKEW_AHEAD -> Behaviour.SKEW_AHEAD;
            case REQUEST_FLOOD -> Behaviour.REQUEST_FLOOD;
            case MIXED -> Behaviour.values()[1 + random.nextInt(Behaviour.values().length - 1)];
            default -> null;
        };
        final Behaviour[] behaviours = new Behaviour[n];
        Arrays.fill(behaviours, Behaviour.HONEST);
        while (byzantine != null && next < f) {
            behaviours[faulty[next++]] = byzantine;
        }
        return new ShardPlan(List.copyOf(partitions), List.copyOf(crashes), behaviours,
            crossBehaviours(random, crossMix, n, faulty));
    }

    /** The relay roles of a committee: the faulty validators (f of them, f+1 for COLLUDE) share the mix's role. */
    private static CrossBehaviour[] crossBehaviours(final SplittableRandom random, final CrossMix crossMix, final int n,
                                                    final int[] faulty) {
        final CrossBehaviour[] roles = new CrossBehaviour[n];
        Arrays.fill(roles, CrossBehaviour.HONEST);
        for (final int v : faulty) {
            roles[v] = switch (crossMix) {
                case CONFLICT -> CrossBehaviour.CONFLICT;
                case WITHHOLD -> CrossBehaviour.WITHHOLD;
                case FORGE -> CrossBehaviour.FORGE;
                case REPLAY -> CrossBehaviour.REPLAY;
                case COLLUDE -> CrossBehaviour.COLLUDE;
                case MIXED -> CrossBehaviour.values()[1 + random.nextInt(4)];
                default -> CrossBehaviour.HONEST;
            };
        }
        return roles;
    }

    private static CrossNet drawCrossNet(final SplittableRandom random, final CrossMix crossMix, final int shards,
                                         final long heal) {
        final boolean mixed = crossMix == CrossMix.MIXED;
        double loss = 0;
        double duplicate = 0;
        double replay = 0;
        long maxDelay = CROSS_MAX_DELAY_NS;
        if (crossMix == CrossMix.LOSSY || mixed) {
            loss = 0.05 + random.nextDouble() * 0.2;
            duplicate = random.nextDouble() * 0.15;
            replay = 0.02 + random.nextDouble() * 0.08;
            maxDelay += random.nextLong(20 * MS); // wide jitter: messages overtake each other
        }
        final List<ShardPartition> partitions = new ArrayList<>();
        if (crossMix == CrossMix.SHARD_PARTITION || mixed) {
            final int cut = 1 + random.nextInt(Math.min(2, shards - 1));
            for (int i = 0; i < cut; i++) {
                final long start = random.nextLong(heal / 2);
                partitions.add(new ShardPartition(random.nextInt(shards), start,
                    start + random.nextLong(20 * MS, heal - start)));
            }
        }
        return new CrossNet(CROSS_MIN_DELAY_NS, maxDelay, loss, duplicate, replay, List.copyOf(partitions));
    }

    private static ShardPlan honestPlan(final int n) {
        final Behaviour[] behaviours = new Behaviour[n];
        Arrays.fill(behaviours, Behaviour.HONEST);
        final CrossBehaviour[] roles = new CrossBehaviour[n];
        Arrays.fill(roles, CrossBehaviour.HONEST);
        return new ShardPlan(List.of(), List.of(), behaviours, roles);
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

    // ------------------------------------------------------------------------------- variations

    public Scenario withCore(final CoreConfig config) {
        return new Scenario(seed, mix, crossMix, shards, validators, config, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, plans, crossNet, traffic, transactions, submitIntervalNs, healAtNs,
            endAtNs, wrongRule, schedule);
    }

    /** Replaces shard 0's crashes and the run's timing (the single-shard long runs). */
    public Scenario withCrashes(final List<Crash> newCrashes, final long newHealNs, final long newEndNs) {
        final List<ShardPlan> newPlans = new ArrayList<>(plans);
        newPlans.set(0, plans.get(0).withCrashes(newCrashes));
        return new Scenario(seed, mix, crossMix, shards, validators, core, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, List.copyOf(newPlans), crossNet, traffic, transactions,
            submitIntervalNs, newHealNs, newEndNs, wrongRule, schedule);
    }

    /** Replaces shard 0's partitions and the run's timing. */
    public Scenario withPartitions(final List<Partition> newPartitions, final long newHealNs, final long newEndNs) {
        final List<ShardPlan> newPlans = new ArrayList<>(plans);
        final ShardPlan plan = plans.get(0);
        newPlans.set(0, new ShardPlan(List.copyOf(newPartitions), plan.crashes(), plan.behaviours(), plan.crossBehaviours()));
        return new Scenario(seed, mix, crossMix, shards, validators, core, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, List.copyOf(newPlans), crossNet, traffic, transactions,
            submitIntervalNs, newHealNs, newEndNs, wrongRule, schedule);
    }

    public Scenario withLoad(final int newTransactions, final long newSubmitIntervalNs, final long newEndNs) {
        return new Scenario(seed, mix, crossMix, shards, validators, core, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, plans, crossNet, traffic, newTransactions, newSubmitIntervalNs,
            healAtNs, newEndNs, wrongRule, schedule);
    }

    /** The same run with a deliberately wrong cross-shard rule: the checkers must notice. */
    public Scenario withWrongRule(final WrongRule rule) {
        return new Scenario(seed, mix, crossMix, shards, validators, core, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, plans, crossNet, traffic, transactions, submitIntervalNs, healAtNs,
            endAtNs, rule, schedule);
    }

    /** The same run under another adversarial network schedule ({@link BlockSchedule#NONE}: the delay model alone). */
    public Scenario withSchedule(final BlockSchedule newSchedule) {
        return new Scenario(seed, mix, crossMix, shards, validators, core, minDelayNs, maxDelayNs, slowTailProbability,
            lossProbability, duplicateProbability, plans, crossNet, traffic, transactions, submitIntervalNs, healAtNs,
            endAtNs, wrongRule, newSchedule);
    }

    /** How to run this scenario again from the command line. */
    public String replayCommand() {
        final String wrong = wrongRule == WrongRule.NONE ? "" : " --wrong-rule " + wrongRule;
        if (schedule != BlockSchedule.NONE) {
            return "scripts/sim --schedule " + schedule.name() + wrong;
        }
        return shards == 1 ? "scripts/sim --seed " + seed + wrong : "scripts/sim --shards " + shards + " --seed " + seed + wrong;
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder("seed=").append(seed).append(" mix=").append(mix);
        if (shards > 1) {
            b.append(" cross=").append(crossMix).append(" shards=").append(shards);
        }
        b.append(" n=").append(validators).append(" leaders/round=").append(core.leadersPerRound())
            .append(" loss=").append(String.format("%.3f", lossProbability))
            .append(" dup=").append(String.format("%.3f", duplicateProbability));
        for (int s = 0; s < plans.size(); s++) {
            final ShardPlan plan = plans.get(s);
            if (shards > 1 && plan.partitions().isEmpty() && plan.crashes().isEmpty() && allHonest(plan)) {
                continue;
            }
            b.append(shards > 1 ? " [shard " + s + "]" : "")
                .append(" partitions=").append(plan.partitions().size())
                .append(" crashes=").append(plan.crashes())
                .append(" behaviours=").append(Arrays.toString(plan.behaviours()));
            if (shards > 1) {
                b.append(" relay=").append(Arrays.toString(plan.crossBehaviours()));
            }
        }
        if (shards > 1 && crossNet.disrupted()) {
            b.append(" xnet: loss=").append(String.format("%.3f", crossNet.lossProbability()))
                .append(" dup=").append(String.format("%.3f", crossNet.duplicateProbability()))
                .append(" replay=").append(String.format("%.3f", crossNet.replayProbability()))
                .append(" maxDelay=").append(crossNet.maxDelayNs() / MS).append("ms")
                .append(" partitions=").append(crossNet.partitions());
        }
        if (schedule != BlockSchedule.NONE) {
            b.append(" schedule=").append(schedule.name());
        }
        if (wrongRule != WrongRule.NONE) {
            b.append(" WRONG RULE ").append(wrongRule);
        }
        return b.toString();
    }

    private static boolean allHonest(final ShardPlan plan) {
        for (int v = 0; v < plan.behaviours().length; v++) {
            if (plan.behaviours()[v] != Behaviour.HONEST || plan.crossBehaviours()[v] != CrossBehaviour.HONEST) {
                return false;
            }
        }
        return true;
    }
}
