package dev.peak.driver.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Condenses the runs into one {@link VariantSummary} per variant: medians over repeats, per server count. */
public final class Summaries {

    private Summaries() {
    }

    /**
     * The summary of each variant, in the report's variant order. A repeat in which no step passed counts as
     * 0 requests/s in the median (it sustained nothing at the lowest rate).
     */
    public static Map<String, VariantSummary> of(List<Run> runs) {
        Map<String, TreeMap<Integer, List<Run>>> byVariant = new TreeMap<>(Variants.BY_ORDER);
        for (Run run : runs) {
            byVariant.computeIfAbsent(run.variant(), v -> new TreeMap<>())
                    .computeIfAbsent(run.servers(), n -> new ArrayList<>()).add(run);
        }
        Map<String, VariantSummary> summary = new LinkedHashMap<>();
        byVariant.forEach((variant, byServers) -> summary.put(variant, summarise(byServers)));
        return summary;
    }

    private static VariantSummary summarise(TreeMap<Integer, List<Run>> byServers) {
        Map<String, Double> maxRps = new LinkedHashMap<>();
        Map<String, Double> maxRate = new LinkedHashMap<>();
        Map<String, Double> p99AtMax = new LinkedHashMap<>();
        Map<String, Double> spread = new LinkedHashMap<>();
        Map<String, String> limit = new LinkedHashMap<>();
        Map<Integer, Double> forEfficiency = new TreeMap<>();
        byServers.forEach((servers, repeats) -> {
            String n = Integer.toString(servers);
            List<Double> maxima = repeats.stream()
                    .map(r -> r.maxSustainableRps() == null ? 0.0 : r.maxSustainableRps()).toList();
            maxRps.put(n, Metrics.median(maxima));
            spread.put(n, Metrics.spread(maxima));
            forEfficiency.put(servers, Metrics.median(maxima));
            maxRate.put(n, Metrics.median(repeats.stream()
                    .map(r -> Metrics.highestPassing(r.steps()).map(Step::rate).orElse(0.0)).toList()));
            List<Double> p99s = repeats.stream().flatMap(r -> Metrics.highestPassing(r.steps()).stream())
                    .map(Step::p99Ms).toList();
            if (!p99s.isEmpty()) {
                p99AtMax.put(n, Metrics.median(p99s));
            }
            limit.put(n, limit(repeats));
        });
        double efficiency = Metrics.scalingEfficiency(forEfficiency);
        List<Double> jains = byServers.values().stream().flatMap(List::stream)
                .filter(r -> r.servers() >= 2 && r.balance() != null).map(r -> r.balance().jain()).toList();
        return new VariantSummary(maxRps, maxRate, Double.isNaN(efficiency) ? null : efficiency, p99AtMax,
                jains.isEmpty() ? null : jains.stream().min(Double::compare).orElseThrow(), spread, limit);
    }

    /** The verdicts of each repeat's first non-passing step above its highest passing one. */
    private static String limit(List<Run> repeats) {
        Set<String> stops = new LinkedHashSet<>();
        for (Run run : repeats) {
            double max = Metrics.highestPassing(run.steps()).map(Step::rate).orElse(Double.NEGATIVE_INFINITY);
            run.steps().stream().filter(s -> !s.passed() && s.rate() > max)
                    .min((a, b) -> Double.compare(a.rate(), b.rate()))
                    .ifPresentOrElse(s -> stops.add(s.verdict()), () -> stops.add("none"));
        }
        return stops.stream().sorted().collect(Collectors.joining(", "));
    }
}
