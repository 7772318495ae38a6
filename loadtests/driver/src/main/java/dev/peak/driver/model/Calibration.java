package dev.peak.driver.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.peak.driver.results.Cost;
import dev.peak.driver.results.Level;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.Run;
import dev.peak.driver.variant.Variant;
import dev.peak.model.Architecture;
import dev.peak.model.Role;
import dev.peak.model.capacity.Costs;
import dev.peak.model.capacity.Deployment;

/**
 * One variant's costs and budgets as the lab measured them, which the model and the simulation are calibrated on: the
 * CPU per request of every role near the highest rate that passed (the median over the three highest passing levels
 * and over repeats), at the smallest server count the variant was measured at. Larger counts are left to check the model against.
 *
 * @param servers    the server count the costs come from
 * @param serverCpus one server's CPUs in that run (miniature mode shrinks them)
 * @param proxyCpus  one proxy's, ingress's, sidecar's or peak-dns replica's CPUs in that run
 * @param k          requests per client session
 */
record Calibration(Variant variant, int servers, Costs costs, double serverCpus, double proxyCpus, int k) {

    /**
     * The passing levels a run's costs are taken from, the highest rates first: one 2-second level's CPU per request
     * moves by a fifth between variants whose servers run the same code; the median of three moves less.
     */
    static final int TOP_LEVELS = 3;

    /** The lab's DNS queries per primary request: every session looks each name up once, then makes k requests. */
    double labQueriesPerRequest() {
        return queriesPerRequest(variant, k);
    }

    static double queriesPerRequest(Variant variant, int k) {
        return variant.usesDns() ? (variant.withB() ? 2.0 : 1.0) / k : 0;
    }

    Architecture architecture() {
        return architecture(variant);
    }

    static Architecture architecture(Variant variant) {
        return switch (variant.entry()) {
            case DIRECT -> Architecture.DIRECT;
            case DNS -> Architecture.PEAK;
            case HAPROXY, NGINX -> Architecture.PROXY;
            case MESH -> Architecture.MESH;
        };
    }

    /** The variant as the lab ran it, at n servers with these budgets and the lab's lookups per request. */
    Deployment lab(int n, int dnsReplicas, double serverCpus, double proxyCpus) {
        return new Deployment(architecture(), variant.withB(), n, dnsReplicas, serverCpus, proxyCpus, proxyCpus,
                proxyCpus, labQueriesPerRequest());
    }

    static Optional<Calibration> of(Results results, Variant variant, int cost) {
        List<Run> runs = results.runs().stream()
                .filter(r -> r.variant().equals(variant.id()) && r.cost() == cost && r.maxSustainableRps() != null)
                .toList();
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        int smallest = runs.stream().mapToInt(Run::servers).min().orElseThrow();
        Map<Role, List<Double>> byRole = new EnumMap<>(Role.class);
        Run first = null;
        for (Run run : runs) {
            if (run.servers() != smallest) {
                continue;
            }
            List<Level> highest = run.levels().stream().filter(Level::passed).filter(l -> !Level.CHECK.equals(l.kind()))
                    .sorted(Comparator.comparingDouble(Level::rate).reversed()).limit(TOP_LEVELS).toList();
            if (highest.isEmpty()) {
                continue;
            }
            first = first == null ? run : first;
            for (Level level : highest) {
                for (Cost c : costsAt(results, run, level.index())) {
                    Role.ofLabel(c.role()).ifPresent(role -> byRole.computeIfAbsent(role, r -> new ArrayList<>())
                            .add(c.cpuUsPerRequest()));
                }
            }
        }
        if (first == null || byRole.isEmpty()) {
            return Optional.empty();
        }
        Map<Role, Double> us = new TreeMap<>();
        byRole.forEach((role, values) -> us.put(role, Metrics.median(values)));
        Object k = results.manifest() == null ? null : results.manifest().plan().get("k");
        int requestsPerSession = k instanceof Number number ? number.intValue() : 10;
        return Optional.of(new Calibration(variant, smallest,
                new Costs(us, queriesPerRequest(variant, requestsPerSession)), budget(first, "server"),
                budget(first, "proxy"), requestsPerSession));
    }

    /** Every role's cost in one level of one run. */
    static List<Cost> costsAt(Results results, Run run, int level) {
        return results.costs().stream().filter(c -> c.variant().equals(run.variant()) && c.servers() == run.servers()
                && c.cost() == run.cost() && c.repeat() == run.repeat() && c.level() == level).toList();
    }

    static double budget(Run run, String role) {
        Double cpus = run.budgets().get(role);
        if (cpus == null || !(cpus > 0)) {
            throw new IllegalArgumentException("the run of " + run.variant() + " at " + run.servers()
                    + " server(s) records no " + role + " budget: it predates the model, measure again");
        }
        return cpus;
    }
}
