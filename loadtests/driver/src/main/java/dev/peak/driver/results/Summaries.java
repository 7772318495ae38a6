package dev.peak.driver.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.peak.driver.variant.Component;
import dev.peak.driver.variant.Variant;

/** The figures derived from the runs, computed once here: capacities, scaling and latency added over the baseline. */
public final class Summaries {

    /** The latency entry of a transaction: what the client waits for per primary call. */
    static final String TRANSACTION = "transaction";

    private Summaries() {
    }

    /** Variants in the suite's order, unknown ones (a newer suite's) after them by name. */
    static final Comparator<String> VARIANT_ORDER = Comparator
            .comparingInt((String v) -> Variant.find(v).map(Enum::ordinal).orElse(Integer.MAX_VALUE))
            .thenComparing(Comparator.naturalOrder());

    /**
     * The maximum sustainable throughput per variant, cost and server count: the median over repeats. A repeat in
     * which no level passed counts as 0 (it sustained nothing at the lowest rate).
     */
    public static List<Capacity> capacities(List<StaircaseRun> runs) {
        Map<String, List<StaircaseRun>> groups = new TreeMap<>();
        for (StaircaseRun run : sorted(runs)) {
            groups.computeIfAbsent(key(run), k -> new ArrayList<>()).add(run);
        }
        List<Capacity> capacities = new ArrayList<>();
        for (List<StaircaseRun> repeats : groups.values()) {
            StaircaseRun first = repeats.get(0);
            List<Double> maxima = repeats.stream().map(r -> r.maxSustainableRps() == null ? 0.0 : r.maxSustainableRps())
                    .toList();
            List<Double> p99s = repeats.stream().flatMap(r -> highestPassing(r).stream()).map(l -> l.primary().p99Ms())
                    .toList();
            Set<String> stops = repeats.stream().map(r -> r.stop().id()).collect(Collectors.toCollection(LinkedHashSet::new));
            capacities.add(new Capacity(first.variant(), first.servers(), first.cost(), Metrics.median(maxima),
                    Metrics.spread(maxima), repeats.size(), repeats.stream().anyMatch(StaircaseRun::lowerBound),
                    String.join(", ", stops), p99s.isEmpty() ? null : Metrics.median(p99s)));
        }
        capacities.sort(Comparator.comparing(Capacity::variant, VARIANT_ORDER).thenComparingInt(Capacity::cost)
                .thenComparingInt(Capacity::servers));
        return capacities;
    }

    /** Scaling efficiency per variant and cost, where it was measured at two server counts or more. */
    public static List<Scaling> scaling(List<StaircaseRun> runs) {
        Map<String, Map<Integer, Capacity>> byVariantCost = new LinkedHashMap<>();
        for (Capacity c : capacities(runs)) {
            byVariantCost.computeIfAbsent(c.variant() + " " + c.cost(), k -> new TreeMap<>()).put(c.servers(), c);
        }
        List<Scaling> scaling = new ArrayList<>();
        byVariantCost.forEach((key, byServers) -> {
            TreeMap<Integer, Capacity> sorted = new TreeMap<>(byServers);
            if (sorted.size() < 2) {
                return;
            }
            Map<Integer, Double> maxima = new TreeMap<>();
            sorted.forEach((n, c) -> maxima.put(n, c.maxRps()));
            double efficiency = Metrics.scalingEfficiency(maxima);
            if (Double.isNaN(efficiency)) {
                return;
            }
            Capacity from = sorted.firstEntry().getValue();
            Capacity to = sorted.lastEntry().getValue();
            scaling.add(new Scaling(from.variant(), from.cost(), from.servers(), to.servers(), to.maxRps() / from.maxRps(),
                    efficiency, to.lowerBound()));
        });
        return scaling;
    }

    /**
     * Every variant's transaction latency at the fixed rates (median over repeats of each percentile), against the
     * baseline's at the same server count, cost and fraction.
     */
    public static List<LatencyAdded> latencyAdded(List<StaircaseRun> runs) {
        Map<String, List<Level>> byPoint = new TreeMap<>();
        Map<String, StaircaseRun> runOf = new LinkedHashMap<>();
        for (StaircaseRun run : sorted(runs)) {
            for (Level level : run.levels()) {
                if (Level.FIXED.equals(level.kind()) && level.fraction() != null) {
                    String key = run.servers() + "|" + run.cost() + "|" + level.fraction() + "|" + run.variant();
                    byPoint.computeIfAbsent(key, k -> new ArrayList<>()).add(level);
                    runOf.putIfAbsent(key, run);
                }
            }
        }
        List<LatencyAdded> rows = new ArrayList<>();
        byPoint.forEach((key, levels) -> {
            StaircaseRun run = runOf.get(key);
            Percentiles p = median(levels);
            Optional<Percentiles> base = Variant.find(run.variant()).filter(Variant::isBaseline).isPresent() ? Optional.of(p)
                    : Optional.ofNullable(byPoint.get(run.servers() + "|" + run.cost() + "|" + levels.get(0).fraction() + "|"
                    + Variant.RI1_DIRECT.id())).map(Summaries::median);
            Level level = levels.get(0);
            rows.add(new LatencyAdded(run.servers(), run.cost(), level.fraction(), level.rate(), run.variant(),
                    levels.stream().allMatch(Level::passed), p.p50Ms(), p.p90Ms(), p.p99Ms(),
                    base.map(b -> round(p.p50Ms() - b.p50Ms())).orElse(null),
                    base.map(b -> round(p.p90Ms() - b.p90Ms())).orElse(null),
                    base.map(b -> round(p.p99Ms() - b.p99Ms())).orElse(null)));
        });
        rows.sort(Comparator.comparingInt(LatencyAdded::cost).thenComparingInt(LatencyAdded::servers)
                .thenComparingDouble(LatencyAdded::fraction).thenComparing(LatencyAdded::variant, VARIANT_ORDER));
        return rows;
    }

    /**
     * The cost of a request by component at each fixed rate: per variant, server count, cost and fraction, each
     * component's median over repeats.
     */
    public static List<CostBreakdown> costBreakdowns(List<Cost> costs) {
        Map<String, Map<String, List<Double>>> byPoint = new TreeMap<>();
        Map<String, Cost> first = new LinkedHashMap<>();
        for (Cost c : costs) {
            if (!Level.FIXED.equals(c.kind()) || c.fraction() == null) {
                continue;
            }
            String key = String.format("%03d|%04d|%06d|%.3f", Variant.find(c.variant()).map(Enum::ordinal).orElse(999),
                    c.servers(), c.cost(), c.fraction()) + "|" + c.variant();
            byPoint.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(c.role(), r -> new ArrayList<>())
                    .add(c.cpuUsPerRequest());
            first.putIfAbsent(key, c);
        }
        List<CostBreakdown> rows = new ArrayList<>();
        byPoint.forEach((key, roles) -> {
            Cost c = first.get(key);
            Map<String, Double> byRole = new LinkedHashMap<>();
            roles.forEach((role, values) -> byRole.put(role, Metrics.median(values)));
            double servers = sum(byRole, Component.SERVICE_A, Component.SERVICE_B);
            double infrastructure = sum(byRole, Component.PROXY, Component.INGRESS, Component.SIDECAR, Component.PEAK_DNS);
            double generator = sum(byRole, Component.GENERATOR);
            rows.add(new CostBreakdown(c.variant(), c.servers(), c.cost(), c.fraction(), c.offeredRps(), byRole,
                    round(servers), round(infrastructure), round(generator), servers > 0 ? round(infrastructure / servers) : 0));
        });
        rows.sort(Comparator.comparingInt(CostBreakdown::cost).thenComparingInt(CostBreakdown::servers)
                .thenComparingDouble(CostBreakdown::fraction).thenComparing(CostBreakdown::variant, VARIANT_ORDER));
        return rows;
    }

    private static double sum(Map<String, Double> byRole, Component... components) {
        double total = 0;
        for (Component component : components) {
            total += byRole.getOrDefault(component.id(), 0.0);
        }
        return total;
    }

    /** The passing level with the highest offered rate, if any passed (checks under another enforcement left out). */
    public static Optional<Level> highestPassing(StaircaseRun run) {
        return highestPassingOf(run.levels());
    }

    static Optional<Level> highestPassingOf(List<Level> levels) {
        return levels.stream().filter(Level::passed).filter(l -> !Level.CHECK.equals(l.kind()))
                .max(Comparator.comparingDouble(Level::rate));
    }

    /** The transaction latency of repeats of one level: each percentile's median. */
    private static Percentiles median(List<Level> levels) {
        List<Percentiles> p = levels.stream().map(l -> l.calls().getOrDefault(TRANSACTION, l.primary())).toList();
        return new Percentiles(Math.round(Metrics.median(p.stream().map(x -> (double) x.count()).toList())),
                Metrics.median(p.stream().map(Percentiles::p50Ms).toList()),
                Metrics.median(p.stream().map(Percentiles::p90Ms).toList()),
                Metrics.median(p.stream().map(Percentiles::p95Ms).toList()),
                Metrics.median(p.stream().map(Percentiles::p99Ms).toList()),
                Metrics.median(p.stream().map(Percentiles::maxMs).toList()));
    }

    private static List<StaircaseRun> sorted(List<StaircaseRun> runs) {
        return runs.stream().sorted(Comparator.comparing(StaircaseRun::variant, VARIANT_ORDER).thenComparingInt(StaircaseRun::cost)
                .thenComparingInt(StaircaseRun::servers).thenComparingInt(StaircaseRun::repeat)).toList();
    }

    private static String key(StaircaseRun run) {
        return String.format("%03d|%06d|%04d|%s", Variant.find(run.variant()).map(Enum::ordinal).orElse(999), run.cost(),
                run.servers(), run.variant());
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
