package dev.peak.driver.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.peak.driver.model.ModelResults.BalancePoint;
import dev.peak.driver.model.ModelResults.Calibrated;
import dev.peak.driver.model.ModelResults.CurvePoint;
import dev.peak.driver.model.ModelResults.UslRow;
import dev.peak.driver.model.ModelResults.ValidationRow;
import dev.peak.driver.results.Manifest;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.variant.Variant;

/**
 * The answer to RQ3 (how does PEAK scale against a proxy and a mesh?), written from model.json's figures: what was
 * measured and what was modelled, how well the two agree where both exist, and what the model says at scale.
 */
final class Rq3Answer {

    private Rq3Answer() {
    }

    static List<String> of(ModelResults m, Manifest manifest) {
        List<String> paragraphs = new ArrayList<>();
        TreeSet<Integer> measuredN = m.curves().stream().filter(p -> p.source().equals(CurvePoint.MEASURED))
                .map(CurvePoint::servers).collect(Collectors.toCollection(TreeSet::new));
        String miniature = manifest == null || manifest.miniature().isEmpty() ? ""
                : " in miniature mode (budgets × " + manifest.miniature() + ")";
        String budgets = m.calibration().stream()
                .collect(Collectors.groupingBy(c -> String.format(Locale.ROOT, "%s CPU per server, %s per proxy, "
                                + "ingress, sidecar or peak-dns replica", num(c.serverCpus()), num(c.proxyCpus())),
                        java.util.LinkedHashMap::new, Collectors.mapping(c -> label(c.variant()), Collectors.toList())))
                .entrySet().stream().map(e -> String.join(", ", e.getValue()) + ": " + e.getKey())
                .collect(Collectors.joining("; "));
        paragraphs.add(String.format(Locale.ROOT, "RQ3 — How does PEAK scale compared with a proxy and a mesh? Measured "
                        + "in the lab at N = %s%s, cost %d; modelled (bottleneck model) and simulated (discrete-event, "
                        + "%s of the model's capacity offered) at N = %s, with the lab's costs per request and the "
                        + "budgets it granted each instance (%s), and one proxy or ingress of %s at every N.",
                join(measuredN), miniature, m.settings().cost(), percent(m.settings().loadFraction()),
                join(new TreeSet<>(m.settings().servers())), budgets, m.settings().proxyCpus() == null
                        ? "the lab's budget" : num(m.settings().proxyCpus()) + " CPU"));
        paragraphs.add(validation(m));
        paragraphs.add(atScale(m));
        paragraphs.add(usl(m));
        balance(m).ifPresent(paragraphs::add);
        windows(m).ifPresent(paragraphs::add);
        return paragraphs;
    }

    private static String validation(ModelResults m) {
        if (m.validation().isEmpty()) {
            return "Validation: the results hold no maximum to check the model against.";
        }
        List<Double> model = m.validation().stream().map(v -> Math.abs(v.bracketError())).toList();
        List<Double> sim = m.validation().stream().filter(v -> v.simRelError() != null)
                .map(v -> Math.abs(v.simRelError())).toList();
        ValidationRow worst = m.validation().stream().max(Comparator.comparingDouble(v -> Math.abs(v.bracketError())))
                .orElseThrow();
        long within = m.validation().stream().filter(v -> Math.abs(v.bracketError()) <= 0.15).count();
        List<Double> jainGaps = m.validation().stream().filter(v -> v.measuredJain() != null && v.modelJain() != null
                && v.servers() > 1).map(v -> Math.abs(v.measuredJain() - v.modelJain())).toList();
        String faults = m.faultValidation().stream().filter(f -> f.modelWindowS() != null)
                .map(f -> String.format(Locale.ROOT, "%s %s: lab %s s, simulation %s s", label(f.variant()), f.fault().id(),
                        num(f.measuredWindowS()), num(f.modelWindowS())))
                .collect(Collectors.joining("; "));
        long lowerBounds = m.validation().stream().filter(ValidationRow::lowerBound).count();
        return String.format(Locale.ROOT, "Where both exist (%d points), the model's maximum is within 15 %% of the lab's "
                        + "for %d, counting from the lab's search bracket (its maximum lies between the highest rate "
                        + "that passed and the lowest that failed above it); its median error is %s and its worst %s "
                        + "(%s at %d server(s)); the simulation's median error to the lab's maximum is %s.%s%s%s",
                m.validation().size(), within, percent(Metrics.median(model)),
                percent(worst.bracketError()), label(worst.variant()), worst.servers(), sim.isEmpty() ? "n/a"
                        : percent(Metrics.median(sim)),
                jainGaps.isEmpty() ? "" : String.format(Locale.ROOT, " Jain's index differs by %s at most.",
                        num(jainGaps.stream().mapToDouble(Double::doubleValue).max().orElse(0))),
                faults.isEmpty() ? "" : " Error windows after a kill: " + faults + ".",
                lowerBounds == 0 ? "" : String.format(Locale.ROOT, " %d of the lab's maxima are only lower bounds (the "
                        + "generator or the plan ended their search), so the model's errors there are not its own.",
                        lowerBounds));
    }

    private static String atScale(ModelResults m) {
        int largest = new TreeSet<>(m.settings().servers()).last();
        List<String> parts = new ArrayList<>();
        for (Variant v : Variant.values()) {
            Optional<CurvePoint> model = point(m, v, largest, CurvePoint.MODEL);
            Optional<CurvePoint> sim = point(m, v, largest, CurvePoint.SIMULATION);
            if (model.isEmpty()) {
                continue;
            }
            CurvePoint p = model.get();
            parts.add(String.format(Locale.ROOT, "%s %s req/s (bound by %s; simulated %s), %s of its CPU outside the "
                            + "servers%s%s", label(v.id()), big(p.maxRps()), p.bottleneck(),
                    sim.map(s -> big(s.maxRps()) + " req/s, p99 " + num(s.p99Ms()) + " ms").orElse("—"),
                    percent(p.infraCpuShare()), ceiling(m, v), p.dnsQps() == null ? ""
                            : String.format(Locale.ROOT, ", peak-dns answering %s queries/s on %,d replica%s of %s CPU",
                            big(p.dnsQps()), p.dnsReplicas(), p.dnsReplicas() == 1 ? "" : "s",
                            num(calibrated(m, v).map(Calibrated::proxyCpus).orElse(Double.NaN)))));
        }
        return String.format(Locale.ROOT, "At %,d servers: %s.", largest, String.join("; ", parts));
    }

    /** From which N a variant stops growing, when it does. */
    private static String ceiling(ModelResults m, Variant v) {
        List<CurvePoint> model = m.curves().stream().filter(p -> p.variant().equals(v.id())
                && p.source().equals(CurvePoint.MODEL)).sorted(Comparator.comparingInt(CurvePoint::servers)).toList();
        return model.stream().filter(p -> p.bottleneck() != null && !p.bottleneck().startsWith("service")).findFirst()
                .map(p -> ceiling(m, v, p.bottleneck())).orElse("");
    }

    /**
     * Where one proxy (or ingress) of P CPUs stops keeping up: each of its CPUs keeps up with c_service / (c_role · b)
     * servers of b CPUs, c_service being the busier service's CPU per request.
     */
    private static String ceiling(ModelResults m, Variant v, String role) {
        return calibrated(m, v).map(c -> {
            double roleUs = c.usPerRequest().getOrDefault(role, 0.0);
            double serviceUs = Math.max(c.usPerRequest().getOrDefault("service-a", 0.0),
                    c.usPerRequest().getOrDefault("service-b", 0.0));
            double b = c.serverCpus();
            double p = m.settings().proxyCpus() == null ? c.proxyCpus() : m.settings().proxyCpus();
            if (roleUs <= 0 || serviceUs <= 0 || !role.equals("proxy") && !role.equals("ingress")) {
                return ", bound by its " + role;
            }
            double perCpu = serviceUs / (roleUs * b);
            int largest = new TreeSet<>(m.settings().servers()).last();
            return String.format(Locale.ROOT, ", capped by its %s from N = %,d on (each CPU of it keeps up with %s "
                            + "servers of %s CPU; P = %s CPUs would keep up with %,d)", role,
                    (long) Math.floor(p * perCpu) + 1, num(perCpu), num(b),
                    num(largest / perCpu), largest);
        }).orElse("");
    }

    private static String usl(ModelResults m) {
        List<String> parts = new ArrayList<>();
        List<String> unfitted = m.usl().stream().filter(row -> row.sigma() == null).map(row -> label(row.variant()))
                .toList();
        for (UslRow row : m.usl()) {
            if (row.sigma() == null) {
                continue;
            }
            parts.add(String.format(Locale.ROOT, "%s σ = %s [%s, %s], κ = %s [%s, %s]%s", label(row.variant()),
                    sci(row.sigma()), sci(row.sigmaCi().get(0)), sci(row.sigmaCi().get(1)), sci(row.kappa()),
                    sci(row.kappaCi().get(0)), sci(row.kappaCi().get(1)),
                    Boolean.TRUE.equals(row.kappaIndistinguishableFromZero())
                            ? " (κ cannot be told from 0: no peak can be predicted)"
                            : row.peakServers() == null ? "" : ", throughput peaks at N ≈ " + big(row.peakServers())));
        }
        if (!unfitted.isEmpty()) {
            parts.add("no fit for " + String.join(", ", unfitted) + ": "
                    + m.usl().stream().filter(row -> row.sigma() == null).findFirst().orElseThrow().note());
        }
        return "Universal Scalability Law on the lab's maxima (95 % intervals): " + String.join("; ", parts) + ".";
    }

    private static Optional<String> balance(ModelResults m) {
        if (m.balance().isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (String policy : m.balance().stream().map(BalancePoint::policy).distinct().toList()) {
            BalancePoint worst = m.balance().stream().filter(b -> b.policy().equals(policy))
                    .min(Comparator.comparingDouble(BalancePoint::jain)).orElseThrow();
            parts.add(String.format(Locale.ROOT, "%s down to %s (%d clients, TTL %s s: %s of the capacity usable)",
                    policy, jain(worst.jain()), worst.clients(), num(worst.ttlS()), percent(worst.capacityShare())));
        }
        BalancePoint many = m.balance().stream().filter(b -> b.clients() == AtScale.SWEEP_CLIENTS.get(
                AtScale.SWEEP_CLIENTS.size() - 1)).min(Comparator.comparingDouble(BalancePoint::jain)).orElseThrow();
        return Optional.of(String.format(Locale.ROOT, "DNS caching and balance (%d servers): with %,d clients every "
                        + "policy keeps Jain ≥ %s; with few clients and long TTLs it bites: %s.",
                m.balance().get(0).servers(), many.clients(), jain(many.jain()), String.join("; ", parts)));
    }

    private static Optional<String> windows(ModelResults m) {
        if (m.errorWindows().isEmpty()) {
            return Optional.empty();
        }
        String parts = m.errorWindows().stream()
                .filter(w -> w.healthIntervalS() == 1)
                .map(w -> String.format(Locale.ROOT, "%s%s %s s", label(w.variant()),
                        Variant.of(w.variant()).usesDns() ? (w.javaCache() ? " with Java's 30 s cache"
                                : " at TTL " + num(w.ttlS()) + " s") : "", num(w.windowS())))
                .collect(Collectors.joining(", "));
        boolean bounded = m.errorWindows().stream().allMatch(w -> w.windowS() <= w.boundS() + 1);
        return Optional.of("Error window after a server kill, health checks every 1 s, fall " + m.settings().fall()
                + ": " + parts + ". " + (bounded ? "Every window stays within the TTL (or cache) plus fall × interval."
                : "Some windows exceed the TTL plus fall × interval: see the table."));
    }

    private static Optional<Calibrated> calibrated(ModelResults m, Variant v) {
        return m.calibration().stream().filter(c -> c.variant().equals(v.id())).findFirst();
    }

    private static Optional<CurvePoint> point(ModelResults m, Variant v, int servers, String source) {
        return m.curves().stream().filter(p -> p.variant().equals(v.id()) && p.servers() == servers
                && p.source().equals(source) && p.maxRps() != null).findFirst();
    }

    private static String label(String variant) {
        return Variant.find(variant).map(v -> v.label(false)).orElse(variant);
    }

    private static String join(TreeSet<Integer> counts) {
        return counts.isEmpty() ? "none" : counts.stream().map(n -> String.format(Locale.ROOT, "%,d", n))
                .collect(Collectors.joining(", "));
    }

    static String percent(Double share) {
        return share == null || !Double.isFinite(share) ? "n/a"
                : String.format(Locale.ROOT, "%.1f %%", 100 * share).replace('-', '−');
    }

    /** Jain's index rounded down, so that "≥" stays true. */
    private static String jain(double index) {
        return String.format(Locale.ROOT, "%.3f", Math.floor(index * 1000) / 1000);
    }

    static String num(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f",
                value);
    }

    private static String big(Double value) {
        return value == null || !Double.isFinite(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String sci(Double value) {
        return value == null || !Double.isFinite(value) ? "?" : String.format(Locale.ROOT, "%.3g", value);
    }
}
