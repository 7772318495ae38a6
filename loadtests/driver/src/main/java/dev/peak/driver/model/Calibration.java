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
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.variant.Variant;
import dev.peak.model.Architecture;
import dev.peak.model.Role;
import dev.peak.model.capacity.Costs;
import dev.peak.model.capacity.Deployment;

/**
 * One variant's costs and budgets as the lab measured them, which the model and the simulation are calibrated on:
 * each role's CPU per request where it was busiest, the median over its three passing levels of highest utilisation
 * (its CPU over its instances' budgets), at any server count. An event loop's cost per request falls as it saturates
 * (HAProxy's halved from 1,000 req/s to the 5,500 it carried, throttled, at 3 servers): the cost at saturation is
 * what sets a role's capacity, and a proxy only saturates at 2 servers or more. Calibrating at one server alone
 * would halve the proxies' ceilings, in PEAK's favour.
 *
 * @param servers    the smallest server count measured, whose budgets the calibration keeps
 * @param serverCpus one server's CPUs in that run (miniature mode shrinks them)
 * @param proxyCpus  one proxy's, ingress's, sidecar's or peak-dns replica's CPUs in that run
 * @param k          requests per client session
 */
record Calibration(Variant variant, int servers, Costs costs, double serverCpus, double proxyCpus, int k) {

    /** Levels per role the cost is the median of: one 2-second level's CPU per request moves by a fifth. */
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
        List<StaircaseRun> runs = results.runs().stream()
                .filter(r -> r.variant().equals(variant.id()) && r.cost() == cost && r.maxSustainableRps() != null)
                .toList();
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        // each role's passing levels, as (its utilisation, its CPU per request)
        Map<Role, List<double[]>> byRole = new EnumMap<>(Role.class);
        for (StaircaseRun run : runs) {
            for (Level level : run.levels()) {
                if (!level.passed() || Level.CHECK.equals(level.kind())) {
                    continue;
                }
                for (Cost c : costsAt(results, run, level.index())) {
                    Role.ofLabel(c.role()).ifPresent(role -> {
                        double cpus = c.instances() * budget(run, role.infrastructure() ? "proxy" : "server");
                        double utilisation = c.cpuUsPerRequest() * level.achievedRps() / 1e6 / cpus;
                        byRole.computeIfAbsent(role, r -> new ArrayList<>())
                                .add(new double[] {utilisation, c.cpuUsPerRequest()});
                    });
                }
            }
        }
        if (byRole.isEmpty()) {
            return Optional.empty();
        }
        Map<Role, Double> us = new TreeMap<>();
        byRole.forEach((role, samples) -> us.put(role, Metrics.median(samples.stream()
                .sorted(Comparator.comparingDouble((double[] sample) -> sample[0]).reversed()).limit(TOP_LEVELS)
                .map(sample -> sample[1]).toList())));
        StaircaseRun smallest = runs.stream().min(Comparator.comparingInt(StaircaseRun::servers)).orElseThrow();
        Object k = results.manifest() == null ? null : results.manifest().plan().get("k");
        int requestsPerSession = k instanceof Number number ? number.intValue() : 10;
        return Optional.of(new Calibration(variant, smallest.servers(),
                new Costs(us, queriesPerRequest(variant, requestsPerSession)), budget(smallest, "server"),
                budget(smallest, "proxy"), requestsPerSession));
    }

    /** Every role's cost in one level of one run. */
    static List<Cost> costsAt(Results results, StaircaseRun run, int level) {
        return results.costs().stream().filter(c -> c.variant().equals(run.variant()) && c.servers() == run.servers()
                && c.cost() == run.cost() && c.repeat() == run.repeat() && c.level() == level).toList();
    }

    static double budget(StaircaseRun run, String role) {
        Double cpus = run.budgets().get(role);
        if (cpus == null || !(cpus > 0)) {
            throw new IllegalArgumentException("the run of " + run.variant() + " at " + run.servers()
                    + " server(s) records no " + role + " budget: it predates the model, measure again");
        }
        return cpus;
    }
}
