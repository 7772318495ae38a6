package dev.peak.driver.experiment;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.peak.driver.variant.Variant;

/**
 * How much to measure. Every staircase (variant × server count × cost × repeat) runs in one warm generator: a
 * warm-up with the system's budgets lifted, then constant-rate levels, each settling before its window.
 *
 * @param servers          server counts, each measured for every variant whose budgets fit the machine
 * @param costs            work costs per request (chained SHA-256 rounds): 0 is pure infrastructure
 * @param warmUp           at most this long, the unmeasured climb that starts every staircase (the JIT compilers of
 *                         servers and generator), towards {@code warmUpPerCpu} requests/s per server CPU
 * @param settle           the first seconds of every level, left out of its figures (queues of the previous rate drain)
 * @param window           the measured part of one level
 * @param fixedFractions   per reference implementation, the fractions of the baseline's capacity its variants are
 *                         measured at after their search, for latency added; RI2's are lower, since its transaction
 *                         is two services' work and a token, and its variants fail where RI1's are half busy
 * @param smokeRates       without a search: the rates per server each variant is measured at (a check of the chain)
 * @param search           climb to failure, confirm, refine (without it, only the smoke rates run)
 * @param startPerServer   the baseline's first climbing rate, per server CPU (0.2 CPU servers start at a fifth)
 * @param growth           each climbing level's rate is the previous one's times this
 * @param maxLevels        levels per staircase at most, warm-up not counted
 * @param refineSteps      bisections between the last pass and the confirmed failure
 * @param enforcementCheck measure the baseline at half its capacity again under the kernel's default CFS period
 * @param faultServers     server count of the fault runs (0: none)
 * @param faultDuration    the measured length of one fault run; the fault happens at 40 % of it
 * @param everyVariantFaults every variant gets every fault that applies to it; else one run of each kind
 */
public record Profile(String name, List<Integer> servers, List<Integer> costs, int repeats, Duration warmUp,
                      double warmUpPerCpu, Duration settle, Duration window, Map<Variant.Group, List<Double>> fixedFractions,
                      List<Double> smokeRates,
                      boolean search, double startPerServer, double growth, int maxLevels, int refineSteps,
                      boolean enforcementCheck, int faultServers, Duration faultDuration, boolean everyVariantFaults) {

    /** RI1 at a quarter, half and three quarters of the baseline's capacity; RI2 lower, its 25 % shared with RI1. */
    private static final Map<Variant.Group, List<Double>> FRACTIONS = Map.of(Variant.Group.RI1, List.of(0.25, 0.5, 0.75),
            Variant.Group.RI2, List.of(0.1, 0.25));

    /** ~15 minutes after the build: every variant at 1 server, two low rates each, the faults of RI1 PEAK and HAProxy. */
    public static final Profile SMOKE = new Profile("smoke", List.of(1), List.of(100), 1, Duration.ofSeconds(60),
            40_000, Duration.ofSeconds(1), Duration.ofSeconds(3), Map.of(), List.of(50.0, 100.0), false, 0, 1, 2, 0,
            false, 2, Duration.ofSeconds(10), false);
    /**
     * The default of make bench, ~20 minutes on a 2-core machine: one server, both costs, one repeat, four faults. Its
     * climb starts at 768 requests/s for a fifth of a CPU (RI2's capacity is about twice that; the fixed 10 % and
     * 25 % levels measure the rates below).
     */
    public static final Profile QUICK = new Profile("quick", List.of(1), List.of(0, 1000), 1, Duration.ofSeconds(60),
            40_000, Duration.ofMillis(250), Duration.ofSeconds(2), FRACTIONS, List.of(), true, 3840, 1.6, 14, 2,
            true, 2, Duration.ofSeconds(10), false);
    /** For a paper: three repeats, 1 to 4 servers where they fit, longer levels, every fault on every variant. */
    public static final Profile FULL = new Profile("full", List.of(1, 2, 3, 4), List.of(0, 1000), 3,
            Duration.ofSeconds(120), 40_000, Duration.ofSeconds(2), Duration.ofSeconds(12), FRACTIONS, List.of(),
            true, 1500, 1.3, 20, 3, true, 2, Duration.ofSeconds(30), true);

    public Profile {
        if (servers.isEmpty() || costs.isEmpty() || repeats < 1) {
            throw new IllegalArgumentException("a profile needs server counts, costs and at least one repeat");
        }
    }

    /** The fixed fractions of {@code group}'s variants. */
    public List<Double> fixedFractions(Variant.Group group) {
        return fixedFractions.getOrDefault(group, List.of());
    }

    /** Every fixed fraction of any group, in order: the baseline is measured at all of them. */
    public List<Double> allFixedFractions() {
        TreeSet<Double> all = new TreeSet<>();
        fixedFractions.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    public static Profile of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> SMOKE;
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown profile '" + name + "': use smoke, quick or full");
        };
    }

    /** This profile measuring at {@code costs} instead. */
    public Profile withCosts(List<Integer> costs) {
        return new Profile(name, servers, costs, repeats, warmUp, warmUpPerCpu, settle, window, fixedFractions, smokeRates,
                search, startPerServer, growth, maxLevels, refineSteps, enforcementCheck, faultServers, faultDuration,
                everyVariantFaults);
    }

    /** This profile at {@code servers} instead. */
    public Profile withServers(List<Integer> servers) {
        return new Profile(name, servers, costs, repeats, warmUp, warmUpPerCpu, settle, window, fixedFractions, smokeRates,
                search, startPerServer, growth, maxLevels, refineSteps, enforcementCheck, faultServers, faultDuration,
                everyVariantFaults);
    }
}
