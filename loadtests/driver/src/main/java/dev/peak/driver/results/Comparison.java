package dev.peak.driver.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.peak.driver.results.Figure.Spread;
import dev.peak.driver.variant.Component;

/**
 * Two runs of the experiment side by side, one row per variant × server count × cost present in either, and the
 * rules that say when their difference is more than each run's own uncertainty.
 *
 * <p>A figure's spread in one run is (max − min) / median over its repeats. One repeat has none, except for the
 * maximum: the search bracketed it between the highest passing rate and the lowest failing rate above it, so that
 * gap, relative to the maximum, is how precisely the run located its capacity. With repeats the maximum's spread is
 * never taken below that gap either: repeats that all stop at the same level of the search spread 0, yet say nothing
 * finer than its step. A maximum that is only a lower bound has no failing level above it, and no spread.
 */
public final class Comparison {

    /** The fixed rate costs are compared at when both runs have it: the one the report draws and answers with. */
    private static final double HALF = Answers.HALF;

    /** The report's order: variants in the suite's, then cost, then servers. */
    private static final Comparator<String> ROW_ORDER = Comparator
            .comparing((String key) -> key.split("\\|")[0], Summaries.VARIANT_ORDER)
            .thenComparingInt(key -> Integer.parseInt(key.split("\\|")[1]))
            .thenComparingInt(key -> Integer.parseInt(key.split("\\|")[2]));

    private final SavedRun a;
    private final SavedRun b;
    private final List<ComparisonRow> rows;

    private Comparison(SavedRun a, SavedRun b, List<ComparisonRow> rows) {
        this.a = a;
        this.b = b;
        this.rows = rows;
    }

    public static Comparison of(SavedRun a, SavedRun b) {
        Map<String, Capacity> capacitiesA = byKey(a.results().capacities());
        Map<String, Capacity> capacitiesB = byKey(b.results().capacities());
        Set<String> keys = new TreeSet<>(ROW_ORDER);
        keys.addAll(capacitiesA.keySet());
        keys.addAll(capacitiesB.keySet());
        List<ComparisonRow> rows = new ArrayList<>();
        for (String key : keys) {
            rows.add(row(capacitiesA.get(key), capacitiesB.get(key), a.results(), b.results()));
        }
        return new Comparison(a, b, List.copyOf(rows));
    }

    public SavedRun a() {
        return a;
    }

    public SavedRun b() {
        return b;
    }

    public List<ComparisonRow> rows() {
        return rows;
    }

    /**
     * What makes the two runs' figures differ besides the code: another profile, machine or CPU budgets, or a run
     * that stopped before its plan ended. Empty when nothing does.
     */
    public List<String> warnings() {
        List<String> differences = new ArrayList<>();
        Manifest ma = manifest(a);
        Manifest mb = manifest(b);
        if (!Objects.equals(ma.profile(), mb.profile())) {
            differences.add("profile (" + ma.profile() + " vs " + mb.profile() + ")");
        }
        String machineA = machine(ma);
        String machineB = machine(mb);
        if (!machineA.equals(machineB)) {
            differences.add("machine (" + machineA + " vs " + machineB + ")");
        }
        if (!ma.cpuBudgets().equals(mb.cpuBudgets())) {
            differences.add("cpuBudgets (" + ma.cpuBudgets() + " vs " + mb.cpuBudgets() + ")");
        }
        List<String> warnings = new ArrayList<>();
        if (!differences.isEmpty()) {
            warnings.add("A and B differ in " + String.join(", ", differences) + ": their figures differ for that too");
        }
        for (SavedRun run : List.of(a, b)) {
            if (run.partial()) {
                warnings.add(name(run) + " is marked partial: its bench stopped before its plan ended");
            }
        }
        return warnings;
    }

    /** "A" or "B". */
    String name(SavedRun run) {
        return run == a ? "A" : "B";
    }

    private static ComparisonRow row(Capacity ca, Capacity cb, Results a, Results b) {
        Capacity any = ca != null ? ca : cb;
        List<StaircaseRun> runsA = repeats(a, any);
        List<StaircaseRun> runsB = repeats(b, any);
        Figure max = new Figure(ca == null ? null : ca.maxRps(), cb == null ? null : cb.maxRps(),
                capacitySpread(ca, runsA), capacitySpread(cb, runsB));
        Figure p99 = new Figure(ca == null ? null : ca.p99AtMaxMs(), cb == null ? null : cb.p99AtMaxMs(),
                p99Spread(runsA), p99Spread(runsB));
        Double fraction = costFraction(breakdowns(a, any), breakdowns(b, any), ca != null, cb != null);
        Figure cpu = fraction == null ? Figure.ABSENT : new Figure(systemUs(a, any, fraction), systemUs(b, any, fraction),
                systemUsSpread(a, any, fraction), systemUsSpread(b, any, fraction));
        Figure jain = new Figure(lowestJain(runsA), lowestJain(runsB), jainSpread(runsA), jainSpread(runsB));
        String missingWhy = ca == null ? skipped(a, any) : cb == null ? skipped(b, any) : null;
        return new ComparisonRow(any.variant(), any.servers(), any.cost(), ca != null, cb != null, missingWhy, max,
                ca != null && ca.lowerBound(), cb != null && cb.lowerBound(), p99, fraction, cpu, jain);
    }

    /**
     * The maximum's spread in one run: over its repeats, but never below the widest search bracket among them; none
     * for a lower bound, which no failing level bracketed.
     */
    static Spread capacitySpread(Capacity capacity, List<StaircaseRun> repeats) {
        if (capacity == null || capacity.lowerBound() || repeats.isEmpty()) {
            return null;
        }
        double bracket = 0;
        for (StaircaseRun run : repeats) {
            Optional<Double> gap = searchBracket(run);
            if (gap.isEmpty()) {
                return null;
            }
            bracket = Math.max(bracket, gap.get());
        }
        Spread overRepeats = overRepeats(repeats.stream().map(r -> r.maxSustainableRps() == null ? 0.0
                : r.maxSustainableRps()).toList());
        return overRepeats != null && overRepeats.share() > bracket ? overRepeats
                : new Spread(bracket, Spread.SEARCH_BRACKET);
    }

    /**
     * How precisely one staircase located its maximum: the gap from it to the lowest rate that failed above it,
     * relative to the maximum. Levels the generator, not the system, failed and enforcement checks do not count;
     * empty when no level passed or none failed above (a lower bound).
     */
    public static Optional<Double> searchBracket(StaircaseRun run) {
        Double max = run.maxSustainableRps();
        if (max == null || max <= 0) {
            return Optional.empty();
        }
        return run.levels().stream()
                .filter(l -> !l.passed() && !Verdict.GENERATOR_BOUND.equals(l.verdict()) && !Level.CHECK.equals(l.kind()))
                .map(Level::rate).filter(rate -> rate > max).min(Comparator.naturalOrder())
                .map(failing -> (failing - max) / max);
    }

    private static Spread p99Spread(List<StaircaseRun> repeats) {
        return overRepeats(repeats.stream().flatMap(r -> Summaries.highestPassing(r).stream())
                .map(l -> l.primary().p99Ms()).toList());
    }

    private static Double lowestJain(List<StaircaseRun> repeats) {
        return jains(repeats).stream().min(Comparator.naturalOrder()).orElse(null);
    }

    private static Spread jainSpread(List<StaircaseRun> repeats) {
        return overRepeats(jains(repeats));
    }

    /** One server's requests are all its own: its Jain index is 1 by definition and says nothing about a balancer. */
    private static List<Double> jains(List<StaircaseRun> repeats) {
        return repeats.stream().filter(r -> r.servers() >= 2 && r.balance() != null).map(r -> r.balance().jain()).toList();
    }

    /**
     * The fixed rate at which the two runs' costs compare, as a share of each one's baseline capacity: half, the
     * report's, when both have it; else, as the answers quote RI2 (measured at 10 and 25 %), the highest share below
     * half both have; else the highest both have. A row in one run only: that run's own shares.
     */
    static Double costFraction(List<CostBreakdown> a, List<CostBreakdown> b, boolean inA, boolean inB) {
        Set<Double> shared = new TreeSet<>();
        a.forEach(c -> shared.add(c.fraction()));
        if (inA && inB) {
            shared.retainAll(b.stream().map(CostBreakdown::fraction).toList());
        } else if (inB) {
            b.forEach(c -> shared.add(c.fraction()));
        }
        if (shared.contains(HALF)) {
            return HALF;
        }
        return shared.stream().filter(f -> f < HALF).max(Comparator.naturalOrder())
                .orElse(shared.stream().max(Comparator.naturalOrder()).orElse(null));
    }

    private static Double systemUs(Results results, Capacity row, double fraction) {
        return breakdowns(results, row).stream().filter(c -> c.fraction() == fraction).findFirst()
                .map(c -> c.serversUs() + c.infrastructureUs()).orElse(null);
    }

    /** Over repeats of each one's servers and infrastructure together, at that fixed rate. */
    private static Spread systemUsSpread(Results results, Capacity row, double fraction) {
        Map<Integer, Double> byRepeat = new LinkedHashMap<>();
        for (Cost c : results.costs()) {
            if (sameRow(c.variant(), c.servers(), c.cost(), row) && Level.FIXED.equals(c.kind())
                    && c.fraction() != null && c.fraction() == fraction && ofTheSystem(c.role())) {
                byRepeat.merge(c.repeat(), c.cpuUsPerRequest(), Double::sum);
            }
        }
        return overRepeats(List.copyOf(byRepeat.values()));
    }

    private static boolean ofTheSystem(String role) {
        return Arrays.stream(Component.values())
                .anyMatch(c -> c.id().equals(role) && (c.isServer() || c.isInfrastructure()));
    }

    /** (max − min) / median over two repeats or more; none from one. */
    private static Spread overRepeats(List<Double> values) {
        return values.size() < 2 ? null : new Spread(Metrics.spread(values), Spread.REPEATS);
    }

    private static List<StaircaseRun> repeats(Results results, Capacity row) {
        return results.runs().stream().filter(r -> sameRow(r.variant(), r.servers(), r.cost(), row)).toList();
    }

    private static List<CostBreakdown> breakdowns(Results results, Capacity row) {
        return results.costBreakdowns().stream().filter(c -> sameRow(c.variant(), c.servers(), c.cost(), row)).toList();
    }

    private static String skipped(Results results, Capacity row) {
        return results.skipped().stream().filter(s -> s.variant().equals(row.variant()) && s.servers() == row.servers())
                .map(Skipped::reason).findFirst().orElse(null);
    }

    private static boolean sameRow(String variant, int servers, int cost, Capacity row) {
        return variant.equals(row.variant()) && servers == row.servers() && cost == row.cost();
    }

    private static Manifest manifest(SavedRun run) {
        Manifest m = run.results().manifest();
        return m != null ? m : new Manifest(null, null, null, null, null, null, null, null, null, null, null, null, null, false);
    }

    private static String machine(Manifest m) {
        return m.machine().getOrDefault("cpus", "?") + " × " + m.machine().getOrDefault("cpuModel", "?");
    }

    private static Map<String, Capacity> byKey(List<Capacity> capacities) {
        Map<String, Capacity> byKey = new LinkedHashMap<>();
        capacities.forEach(c -> byKey.put(key(c), c));
        return byKey;
    }

    private static String key(Capacity c) {
        return c.variant() + "|" + c.cost() + "|" + c.servers();
    }
}
