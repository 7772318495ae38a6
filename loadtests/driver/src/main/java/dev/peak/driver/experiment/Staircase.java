package dev.peak.driver.experiment;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.cpu.CpuSample;
import dev.peak.driver.results.BalanceIndex;
import dev.peak.driver.results.Cost;
import dev.peak.driver.results.EnforcementCheck;
import dev.peak.driver.results.Level;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Percentiles;
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.results.Verdict;
import dev.peak.driver.results.WarmUpOutcome;
import dev.peak.driver.variant.Component;
import dev.peak.driver.variant.Variant;
import dev.peak.measurement.Latency;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;

/**
 * One staircase: one variant at one server count and one work cost, in one warm generator. A warm-up with the
 * system's budgets lifted (the JIT compilers of servers and generator finish in seconds instead of minutes), then
 * the levels {@link RateSearch} asks for, each judged and its CPU split by component. The baseline then measures the
 * fixed fractions of its own capacity, and once more at half of it under the kernel's default CFS period.
 *
 * <p>Longer than 400 lines because a level's order, settling, judgement and CPU split share one warm generator's
 * state; the search itself ({@link RateSearch}) and the warm-up ({@link WarmUp}) live apart.
 */
final class Staircase {

    /** From this share of its CPU budget on, the generator is the bottleneck. */
    static final double GENERATOR_SATURATED = 0.9;
    /** An instance stopped by its CFS quota for more than this share of a level's window can set its p99. */
    static final double THROTTLED_SHARE = 0.01;
    /**
     * An instance stopped by its quota for more than this share of a level's window ran out of CPU: the level fails
     * ({@link Level#QUOTA}). At its quota an instance of a fifth of a CPU is stopped for ~80 % of the time; one
     * level below, for none (measured, RI1 direct at cost 0: 0 % at 3146 requests/s, 66 % at 5034, p99 92 ms and
     * passing the SLO, and its "50 %" level, 3630 requests/s, then ran at its quota with a p99 of 53 ms).
     * A JIT compilation or a GC stop stays well under it.
     */
    static final double EXHAUSTED_SHARE = 0.25;
    /** How long at most to wait, offering nothing, for the system to work off the backlog of a failed level. */
    static final int DRAIN_SECONDS = 10;
    /** The system is idle again when its servers use less than this share of their budgets. */
    static final double IDLE_SHARE = 0.1;
    /**
     * The least CPU per request a server was seen to need here (cost 0, warm, busy): no variant can go faster
     * than its servers' budget over this, which bounds the rate the generator is made ready for.
     */
    static final double FASTEST_SERVER_US = 40;
    /**
     * The enforcement check alternates the two enforcements this many times, on the first staircase of a server
     * count: one level of each could not tell them apart (a single JIT or GC stop decided it).
     */
    static final int CHECK_PAIRS = 3;
    /** The re-warm after the search runs at most at this share of the variant's own capacity. */
    static final double RESETTLE_SHARE = 0.75;

    record Result(StaircaseRun run, List<Cost> costs, List<EnforcementCheck> checks) {
    }

    private final ExperimentOptions options;
    private final SystemUnderTest system;
    private final Variant variant;
    private final CpuBudgets budgets;
    private final int servers;
    private final int cost;
    private final int repeat;
    private final Double baseline;
    private final boolean serversWarm;
    private final Progress progress;
    private final Consumer<Result> recorded;
    private final List<Level> levels = new ArrayList<>();
    private final List<Cost> costs = new ArrayList<>();
    private final List<EnforcementCheck> checks = new ArrayList<>();
    private int index;
    private WarmUpOutcome warmedUp;
    /** How many generators share each level (pods in the cluster); their CPU is given per generator. */
    private int generators = 1;

    /**
     * @param baseline    the baseline's capacity at this server count and cost, if measured: the fixed rates' base
     * @param serversWarm whether an earlier staircase already warmed these servers: only the generator is new
     * @param recorded    hears the staircase so far after every level, as an {@link StaircaseRun#INTERRUPTED} run
     */
    Staircase(ExperimentOptions options, SystemUnderTest system, Variant variant, CpuBudgets budgets, int servers, int cost,
              int repeat, Double baseline, boolean serversWarm, Progress progress, Consumer<Result> recorded) {
        this.options = options;
        this.system = system;
        this.variant = variant;
        this.budgets = budgets;
        this.servers = servers;
        this.cost = cost;
        this.repeat = repeat;
        this.baseline = baseline;
        this.serversWarm = serversWarm;
        this.progress = progress;
        this.recorded = recorded;
    }

    /**
     * Measures the staircase on {@code shared}'s generator, which the caller closes: a run it has warmed already is
     * only told this staircase's cost. The result's Gatling report is the caller's to add once the run has closed.
     */
    Result measure(SharedGenerator shared) throws IOException, InterruptedException {
        Profile profile = options.profile();
        double start = start();
        double ceiling = Math.min(ceiling(), shared.maxRate());
        LoadGenerator.RunningLoad run = shared.run(variant, options.k(), cost, LoadGenerator.REQUEST_TIMEOUT);
        generators = shared.generators();
        index = shared.nextIndex();
        // a generator that takes its whole plan at once can neither confirm nor refine
        RateSearch search = new RateSearch(profile.search(), start, profile.growth(), profile.maxLevels(),
                run.steerable(), run.steerable() ? profile.refineSteps() : 0, ceiling);
        try {
            LevelMeter meter = new LevelMeter(system, run, progress.live(String.format(Locale.ROOT, "%s, %d srv, %s", variant,
                    servers, costLabel())));
            if (run.steerable()) {
                warmUp(meter, profile.search() ? start
                        : fixedRates(null).stream().findFirst().map(RateSearch.Next::rate).orElse(warmUpRate()),
                        shared.warm());
                Optional<RateSearch.Next> next;
                while ((next = search.next()).isPresent()) {
                    search.record(outcome(measure(meter, next.get(), null)));
                }
                // after the search, every variant's servers have been as busy as the baseline's: the fixed rates find
                // them equally warm
                List<RateSearch.Next> fixed = fixedRates(search.maxSustainable());
                if (!fixed.isEmpty()) {
                    resettle(meter, fixed, search.maxSustainable());
                }
                for (RateSearch.Next at : fixed) {
                    measure(meter, at, null);
                }
                if (variant.isBaseline() && profile.enforcementCheck() && search.maxSustainable() != null
                        && !serversWarm) {
                    check(meter, Math.round(0.5 * search.maxSustainable()));
                }
            } else {
                planned(meter, search, start, ceiling);
            }
        } finally {
            shared.usedUpTo(index);
            progress.done();
        }
        StaircaseRun.Stop stop = search.stop() == null ? StaircaseRun.Stop.PLAN_END : search.stop();
        return new Result(run(search.maxSustainable(), stop), costs, checks);
    }

    /** The first climbing rate; 0 without a search. */
    private double start() {
        Profile profile = options.profile();
        return profile.search() ? Math.round(profile.startPerServer() * budgets.server() * servers) : 0;
    }

    /**
     * The fixed rates, run after the search: the smoke profile's rates per server; the baseline at every fraction any
     * variant is measured at, of its own capacity; the others at their group's fractions of the baseline's.
     */
    private List<RateSearch.Next> fixedRates(Double max) {
        Profile profile = options.profile();
        List<RateSearch.Next> fixed = new ArrayList<>();
        if (!profile.smokeRates().isEmpty()) {
            profile.smokeRates().forEach(r -> fixed.add(new RateSearch.Next(r * servers, RateSearch.Kind.FIXED, null)));
        } else if (variant.isBaseline() && max != null) {
            profile.allFixedFractions().forEach(f -> fixed.add(new RateSearch.Next(Math.round(f * max),
                    RateSearch.Kind.FIXED, f)));
        } else if (baseline != null) {
            profile.fixedFractions(variant.group()).forEach(f -> fixed.add(new RateSearch.Next(Math.round(f * baseline),
                    RateSearch.Kind.FIXED, f)));
        }
        return fixed;
    }

    /**
     * The highest rate the generator is made ready for: above anything the system can sustain, and no higher, since
     * every user that arrives only to be thinned away costs the generator CPU. Twice the baseline's capacity where
     * it is known (a balancer does not double what the servers sustain), else what the servers' budgets could
     * serve at the least CPU per request ever seen here.
     */
    double ceiling() {
        double start = start();
        double bound = baseline != null ? 2 * baseline : 1.2 * servers * budgets.server() / (FASTEST_SERVER_US / 1e6);
        double smoke = 1.5 * servers * options.profile().smokeRates().stream().mapToDouble(Double::doubleValue).max()
                .orElse(0);
        return Math.round(Math.max(Math.max(bound, warmUpRate()), Math.max(smoke, 2 * start)));
    }

    /**
     * The warm-up ({@link WarmUp}), ending at {@code firstRate} once the system has settled there: not measured. New
     * servers climb for their volume; warm servers with a new generator, for the generator's; a warm generator on warm
     * servers (the same variant at another cost) only settles at the first rate.
     */
    private void warmUp(LevelMeter meter, double firstRate, boolean generatorWarm)
            throws IOException, InterruptedException {
        boolean allWarm = generatorWarm && serversWarm;
        double rate = warmUpRate();
        // warm servers and generator still get a lifted step, and more while their compilers work (a new cost's
        // loop, or what the last staircase's overloads de-optimised: measured, RI1 PEAK's server at cost 1000 after
        // 10 s of it cost 296 µs per request where it costs ~150, and failed at 884 requests/s, half its capacity)
        Duration time = allWarm ? options.profile().warmUp() : warmUpTime();
        long requests = allWarm ? 0 : WarmUp.REQUESTS_PER_SERVER * (serversWarm ? 1 : servers);
        if (allWarm) {
            progress.say("%s · %s · warm-up: servers and generator warm, budgets lifted while the compilers work"
                    + " (at most %d s), then %.0f rps until settled ...", label(), costLabel(), time.toSeconds(),
                    firstRate);
        } else {
            progress.say("%s · %s · warm-up climbing to %.0f rps for %d requests (at most %d s), then %.0f rps until"
                    + " settled, budgets lifted (%s) ...", label(), costLabel(), rate, requests, time.toSeconds(),
                    firstRate, serversWarm ? "a new generator" : "new servers and generator");
        }
        WarmUp.Done done = new WarmUp(system, meter, variant.primaryCall(), options.sloMs(), index,
                WarmUp.MAX_TAIL_S).run(rate, firstRate, requests, time, !serversWarm, options.enforcement());
        index = done.nextIndex();
        warmedUp = done.outcome();
        progress.say("%s · %s · warm-up ended after %d s at %.0f rps with the budgets back: %s, the system at %.0f µs/req,"
                + " %s", label(), costLabel(), warmedUp.tailSeconds(), firstRate, warmedUp.settled() ? "settled"
                : "NOT settled", warmedUp.systemUsPerRequest(), warmedUp.mostThrottled() != null ? String.format(Locale.ROOT,
                "%s throttled %.0f %%", warmedUp.mostThrottled(), 100 * warmedUp.throttledShare()) : "no instance throttled");
    }

    /**
     * Between the search and the fixed rates, the budgets are lifted again until the compilers are quiet, then the
     * system runs one step under them, at the highest fixed rate it sustains. The search's overloads run code a
     * warm-up never does (queues, full socket buffers), and the JIT compiles it again afterwards (measured, RI1 direct
     * at cost 0: C2 recompiling under the quota after the search stopped the server in 39 % of the periods at half
     * its capacity, p99 42 ms).
     */
    private void resettle(LevelMeter meter, List<RateSearch.Next> fixed, Double max)
            throws IOException, InterruptedException {
        // at the highest fixed rate the variant sustains: C2 recompiles what a rate runs only once that rate runs
        // (measured: after a lifted re-warm at the lowest fixed rate, RI1 direct's server still cost 94 µs per request
        // at a quarter of its capacity, against 60 while climbing, and was stopped by its quota 11 % of the level)
        double rate = fixed.stream().mapToDouble(RateSearch.Next::rate).max().orElseThrow();
        if (max != null) {
            rate = Math.min(rate, Math.round(RESETTLE_SHARE * max));
        }
        WarmUp.Done done = new WarmUp(system, meter, variant.primaryCall(), options.sloMs(), index,
                (int) (WarmUp.STEP_MS / 1000)).run(rate, rate, 0, WarmUp.GENERATOR, false, options.enforcement());
        index = done.nextIndex();
        WarmUpOutcome outcome = done.outcome();
        progress.say("%s · %s · after the search: budgets lifted while the compilers worked, then a step at %.0f rps,"
                + " the system at %.0f µs/req, %s", label(), costLabel(), rate, outcome.systemUsPerRequest(),
                outcome.mostThrottled() != null ? String.format(Locale.ROOT, "%s throttled %.0f %%",
                        outcome.mostThrottled(), 100 * outcome.throttledShare()) : "no instance throttled");
    }

    private Duration warmUpTime() {
        Duration servers = options.profile().warmUp();
        return serversWarm && WarmUp.GENERATOR.compareTo(servers) < 0 ? WarmUp.GENERATOR : servers;
    }

    /** The warm-up's target, busy enough for the JIT compilers: it climbs there as far as the system keeps up. */
    private double warmUpRate() {
        return Math.round(options.profile().warmUpPerCpu() * budgets.server() * servers);
    }

    /**
     * A generator that cannot be steered gets every level at once, the warm-up first (the profile's whole warm-up
     * time): a climb with no confirming, judged afterwards by the same search, then the fixed rates (this needs a
     * baseline measured beforehand, so they are of the baseline's capacity).
     */
    private void planned(LevelMeter meter, RateSearch search, double start, double ceiling)
            throws IOException, InterruptedException {
        Profile profile = options.profile();
        LevelCommand warmUp = new LevelCommand(index++, warmUpRate(), 0, warmUpTime().toMillis());
        RateSearch plan = new RateSearch(profile.search(), start, profile.growth(), profile.maxLevels(), false, 0,
                ceiling);
        List<RateSearch.Next> rates = new ArrayList<>();
        Optional<RateSearch.Next> next;
        while ((next = plan.next()).isPresent()) {
            rates.add(next.get());
            plan.record(RateSearch.Outcome.PASS);
        }
        int climbing = rates.size();
        rates.addAll(fixedRates(null));
        List<LevelCommand> orders = new ArrayList<>(List.of(warmUp));
        rates.forEach(r -> orders.add(order(r.rate(), profile.window())));
        List<LevelMeter.Metered> metered = meter.run(orders);
        for (int i = 1; i < metered.size(); i++) {
            // a plan run at once: the compilers cannot be read per level (a cluster's generator Jobs)
            RateSearch.Next at = rates.get(i - 1);
            Level level = level(metered.get(i), at, at.kind().name().toLowerCase(Locale.ROOT), null, false);
            // the plan is the search's own as long as every level passes; what follows the first failure is kept
            // in the results but decides nothing
            if (i <= climbing && search.next().isPresent()) {
                search.record(outcome(level));
            }
        }
    }

    /**
     * Offers nothing until the servers are idle again (at most {@value #DRAIN_SECONDS} s): a failed level leaves
     * queues behind (requests the clients gave up on are still worked off), and the next level must not inherit them.
     */
    private void drain(LevelMeter meter) throws IOException, InterruptedException {
        for (int s = 0; s < DRAIN_SECONDS; s++) {
            LevelMeter.Metered idle = meter.run(List.of(new LevelCommand(index++, 0, 0, 1000))).get(0);
            double servers = idle.cpu().values().stream().filter(r -> r.component().isServer())
                    .mapToDouble(r -> r.sample().usageNanos() / 1e9).sum() / Math.max(1e-3, idle.measurement().windowSeconds());
            long instances = idle.cpu().values().stream().filter(r -> r.component().isServer()).count();
            if (instances == 0 || servers < IDLE_SHARE * budgets.server() * instances) {
                return;
            }
        }
    }

    /** The baseline at half its capacity under the kernel's default CFS settings, and then as measured. */
    private void check(LevelMeter meter, double rate) throws IOException, InterruptedException {
        CpuEnforcement legacy = CpuEnforcement.KERNEL_DEFAULT;
        for (int pair = 0; pair < CHECK_PAIRS; pair++) {
            for (CpuEnforcement how : List.of(legacy, options.enforcement())) {
                system.restoreBudgets(how);
                Level level = measure(meter, new RateSearch.Next(rate, RateSearch.Kind.FIXED, 0.5), how);
                checks.add(new EnforcementCheck(servers, cost, rate, how.describe(), level.primary().p50Ms(),
                        level.primary().p90Ms(), level.primary().p99Ms(), level.throttledShare(), level.passed()));
            }
        }
        system.restoreBudgets(options.enforcement());
    }

    private LevelCommand order(double rate, Duration window) {
        return new LevelCommand(index++, rate, options.profile().settle().toMillis(), window.toMillis());
    }

    /**
     * One level, judged and recorded; a failed one is followed by a drain. {@code check}: the enforcement the level
     * checks (it is then a {@link Level#CHECK}), or null.
     */
    private Level measure(LevelMeter meter, RateSearch.Next next, CpuEnforcement check)
            throws IOException, InterruptedException {
        Map<String, Long> compiledBefore = system.compilerNanos();
        LevelMeter.Metered metered = meter.run(List.of(order(next.rate(), options.profile().window()))).get(0);
        boolean compiling = WarmUp.compiling(compiledBefore, system.compilerNanos(),
                Math.max(1e-3, metered.measurement().windowSeconds()));
        Level level = check == null
                ? level(metered, next, next.kind().name().toLowerCase(Locale.ROOT), null, compiling)
                : level(metered, next, Level.CHECK, check.describe(), compiling);
        if (!level.passed()) {
            drain(meter);
        }
        return level;
    }

    /**
     * Judges a metered level, records it and its costs, and says so on the console. {@code compiling}: the system's
     * JIT compilers were at work meanwhile.
     */
    private Level level(LevelMeter.Metered metered, RateSearch.Next next, String kind, String note,
                        boolean compiling) {
        LevelMeasurement m = metered.measurement();
        Latency primary = m.call(variant.primaryCall());
        double window = Math.max(1e-3, m.windowSeconds());
        Map<Component, CpuSample> used = metered.byComponent();
        double generatorCpu = metered.generatorCpuNanos(generators) / 1e9 / window;
        long total = m.requests().total();
        double errorRate = total == 0 ? 1.0 : (double) m.requests().ko() / total;
        double shedRate = total == 0 ? 0 : (double) m.requests().shed() / total;
        // sessions arrive as a Poisson process: fewer than 3 standard deviations under the expected count, with the
        // system answering well, means the generator could not start them
        double expected = next.rate() / options.k() * window;
        boolean shortOfSessions = m.sessionsStarted() < expected - 3 * Math.sqrt(expected);
        boolean bound = generatorSaturated(generatorCpu)
                || (shortOfSessions && errorRate <= options.errorLimit() && primary.p99Ms() <= options.sloMs());
        // the sessions started, yet their requests ended well below the offered rate, more than Poisson arrivals
        // explain (3 standard deviations): a session sends each request after the last one's answer, so a slow step
        // that is not the primary call (RI2's token from A) shows only here
        boolean behind = !shortOfSessions
                && m.achievedRps() < next.rate() * (1 - 3 / Math.sqrt(Math.max(1, expected)));
        Optional<Map.Entry<String, Double>> stopped = metered.mostThrottled();
        String mostThrottled = stopped.map(Map.Entry::getKey).orElse(null);
        double throttled = stopped.map(Map.Entry::getValue).orElse(0.0);
        Verdict verdict = Metrics.verdict(errorRate, shedRate, options.errorLimit(), primary.p99Ms(), options.sloMs(), bound,
                behind, throttled > EXHAUSTED_SHARE);
        Map<String, Percentiles> calls = new LinkedHashMap<>();
        m.latency().forEach((name, latency) -> calls.put(name, Percentiles.of(latency)));
        Level level = new Level(metered.order().level(), kind, next.fraction() != null && next.fraction() > 0
                ? next.fraction() : null, next.rate(), round(m.achievedRps()), m.requests().ok(), m.requests().ko(), m.requests().shed(),
                m.sessionsStarted(), Percentiles.of(primary), verdict, Verdict.PASS.equals(verdict), round(generatorCpu),
                round(throttled), mostThrottled, flags(throttled > THROTTLED_SHARE, compiling),
                calls, m.perInstance());
        levels.add(level);
        Map<Component, Integer> instances = metered.instances();
        long requests = Math.max(1, m.primaryCompleted());
        used.forEach((component, sample) -> costs.add(new Cost(variant.id(), servers, cost, repeat, level.index(), kind,
                level.fraction(), next.rate(), level.achievedRps(), component.id(), instances.get(component),
                round(sample.usageNanos() / 1000.0 / requests), sample.throttledPeriods(),
                round(sample.throttledNanos() / 1e6))));
        recorded.accept(new Result(run(null, StaircaseRun.Stop.INTERRUPTED), List.copyOf(costs), List.copyOf(checks)));
        double generatorUs = generatorCpu * window * 1e6 / requests;
        progress.say("%s · %s · %s%s %.0f rps → %.0f · OK %d KO %d · p50 %.2f p99 %.2f ms · generator %.2f CPU (%.0f µs/req)%s"
                        + " · %s%s", label(), costLabel(), kind, next.fraction() != null && next.fraction() > 0
                        ? String.format(Locale.ROOT, " %.0f %%", 100 * next.fraction()) : "", next.rate(),
                level.achievedRps(), level.ok(), level.ko(), primary.p50Ms(), primary.p99Ms(), generatorCpu, generatorUs,
                level.throttled() ? String.format(Locale.ROOT, " · throttled %.0f %% (%s)", 100 * throttled, mostThrottled)
                        : "", verdict, note == null ? "" : " [" + note + "]");
        return level;
    }

    private static List<String> flags(boolean throttled, boolean compiling) {
        List<String> flags = new ArrayList<>();
        if (throttled) {
            flags.add(Level.THROTTLED);
        }
        if (compiling) {
            flags.add(Level.COMPILING);
        }
        return flags;
    }

    /**
     * What the search makes of a level. Running out of CPU is no hiccup, unless the JIT compilers ran meanwhile: a
     * new rate under the quota still makes C2 recompile what it de-optimises (measured: a server added at 2 of 4
     * servers, its compiler thread at 40 % of its budget for 3 s, failed at 768 requests/s a server that sustains
     * 1598), and that failure is confirmed like any hiccup.
     */
    private RateSearch.Outcome outcome(Level level) {
        return switch (level.verdict()) {
            case PASS -> RateSearch.Outcome.PASS;
            case GENERATOR_BOUND -> generatorSaturated(level.generatorCpu())
                    ? RateSearch.Outcome.GENERATOR_BOUND : RateSearch.Outcome.GENERATOR_STALLED;
            case QUOTA -> level.compiling() ? RateSearch.Outcome.FAIL : RateSearch.Outcome.EXHAUSTED;
            default -> RateSearch.Outcome.FAIL;
        };
    }

    /** Whether the generator used {@code cpu} of its budget or more: then it, not the system, was the limit. */
    private boolean generatorSaturated(double cpu) {
        return cpu >= GENERATOR_SATURATED * budgets.load();
    }

    /** The run of the levels so far; {@code searched}: the search's maximum, if any, and {@code stop}, why it ended. */
    private StaircaseRun run(Double searched, StaircaseRun.Stop stop) {
        Map<String, Long> perInstance = new TreeMap<>();
        Level highest = null;
        for (Level level : levels) {
            if (level.passed() && !Level.CHECK.equals(level.kind())) {
                level.perInstance().forEach((name, count) -> {
                    if (name.startsWith(variant.servedBy())) {
                        perInstance.merge(name, count, Long::sum);
                    }
                });
                if (highest == null || level.rate() > highest.rate()) {
                    highest = level;
                }
            }
        }
        Map<String, Double> granted = new LinkedHashMap<>();
        granted.put("server", budgets.server());
        granted.put("proxy", budgets.proxy());
        // without a search (smoke) the maximum is the highest fixed rate that passed, a lower bound; an unfinished
        // staircase has none
        Double max = stop == StaircaseRun.Stop.INTERRUPTED ? null : options.profile().search() ? searched
                : highest == null ? null : highest.rate();
        return new StaircaseRun(variant.id(), servers, cost, repeat, granted, List.copyOf(levels), max, stop,
                perInstance.isEmpty() ? null : BalanceIndex.of(perInstance), highest == null ? Map.of() : highest.calls(),
                null, warmedUp);
    }

    private String label() {
        return String.format(Locale.ROOT, "%s · %d server%s · rep %d", variant, servers, servers == 1 ? "" : "s", repeat);
    }

    private String costLabel() {
        return "cost " + cost;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
