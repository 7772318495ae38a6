package dev.peak.driver.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import dev.peak.driver.lab.CpuBudgets;
import dev.peak.driver.results.Cost;
import dev.peak.driver.results.EnforcementCheck;
import dev.peak.driver.results.Fault;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.Run;
import dev.peak.driver.results.Skipped;
import dev.peak.driver.variant.Faults;
import dev.peak.driver.variant.Variant;

/**
 * The experiment: for every variant, server count that fits the machine, work cost and repeat, one
 * {@link Staircase}; the baseline first, since every other variant is also measured at fixed fractions of its
 * capacity. Then the fault runs at a fraction of the measured capacity.
 */
public final class Experiment {

    private final ExperimentOptions options;
    private final Platform platform;
    private final Progress progress;
    private final Map<Variant.Group, Double> miniature;
    private final List<Skipped> skipped = new ArrayList<>();
    /** The baseline's maxima by server count and cost, one per repeat. */
    private final Map<String, List<Double>> baselines = new LinkedHashMap<>();

    public Experiment(ExperimentOptions options, Platform platform, PrintStream out) {
        this.options = options;
        this.platform = platform;
        this.miniature = miniature(options, platform.systemCpus());
        this.progress = new Progress(out, planned());
    }

    public Results run() throws IOException, InterruptedException {
        Instant started = Instant.now();
        List<Run> runs = new ArrayList<>();
        List<Cost> costs = new ArrayList<>();
        List<EnforcementCheck> checks = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        Profile profile = options.profile();
        Map<Variant, List<String>> faultPlan = faultPlan();
        for (Variant variant : ordered()) {
            List<Integer> counts = fitting(variant, true);
            List<String> pending = new ArrayList<>(faultPlan.get(variant));
            for (int repeat = 1; repeat <= profile.repeats() && !counts.isEmpty(); repeat++) {
                // one system per variant and repeat, scaled up through the server counts
                try (SystemUnderTest system = platform.start(variant, budgets(variant), counts.get(0), 1,
                        variant.id() + "-rep" + repeat)) {
                    for (int servers : counts) {
                        if (system.servers() != servers) {
                            system.scaleTo(servers);
                        }
                        List<Staircase> staircases = new ArrayList<>();
                        for (int cost : profile.costs()) {
                            Double baseline = baselineFor(baseline(servers, cost), budgets(variant),
                                    budgets(Variant.RI1_DIRECT));
                            staircases.add(new Staircase(options, system, variant, budgets(variant), servers, cost,
                                    repeat, baseline, !staircases.isEmpty(), progress));
                        }
                        List<Run> measured = new ArrayList<>();
                        SharedGenerator generator = new SharedGenerator(platform.loadGenerator(), system,
                                dir("staircases", variant, servers, repeat),
                                staircases.stream().mapToDouble(Staircase::ceiling).max().orElseThrow());
                        try (generator) {
                            for (Staircase staircase : staircases) {
                                measured.add(measure(staircase, generator, variant, servers, costs, checks));
                            }
                        }
                        Path report = generator.gatlingReport();
                        measured.forEach(run -> runs.add(report == null ? run : run.withGatlingReport(
                                options.resultsDir().relativize(report.resolve("index.html")).toString())));
                    }
                    // the first fault after the last repeat reuses this system (warm, and one start fewer)
                    if (repeat == profile.repeats() && !pending.isEmpty() && !pending.get(0).equals(Faults.KILL_DNS_REPLICA)
                            && fits(variant, profile.faultServers(), 1)) {
                        if (system.servers() != profile.faultServers()) {
                            system.scaleTo(profile.faultServers());
                        }
                        String kind = pending.remove(0);
                        faults.add(new FaultRun(options, system, variant, progress).measure(platform.loadGenerator(), kind,
                                faultRate(runs, variant), faultDir(variant, kind)));
                    }
                }
            }
            for (String kind : pending) {
                int replicas = kind.equals(Faults.KILL_DNS_REPLICA) ? 2 : 1;
                if (!fits(variant, profile.faultServers(), replicas)) {
                    skipped.add(new Skipped(variant.id(), profile.faultServers(), "fault " + kind + ": " + tooBig(variant,
                            profile.faultServers(), replicas)));
                    continue;
                }
                try (SystemUnderTest system = platform.start(variant, budgets(variant), profile.faultServers(), replicas,
                        variant.id() + "-" + kind)) {
                    faults.add(new FaultRun(options, system, variant, progress).measure(platform.loadGenerator(), kind,
                            faultRate(runs, variant), faultDir(variant, kind)));
                }
            }
        }
        return Results.of(Manifests.of(options, platform, started, Instant.now(), miniature, runs), runs, costs, checks,
                skipped, faults);
    }

    /** One staircase on {@code generator}: its costs and checks are kept, its run returned (its report comes later). */
    private Run measure(Staircase staircase, SharedGenerator generator, Variant variant, int servers, List<Cost> costs,
                        List<EnforcementCheck> checks) throws IOException, InterruptedException {
        Staircase.Result result = staircase.measure(generator);
        Run run = result.run();
        costs.addAll(result.costs());
        checks.addAll(result.checks());
        if (variant.isBaseline() && options.profile().search() && run.maxSustainableRps() != null) {
            baselines.computeIfAbsent(servers + "|" + run.cost(), k -> new ArrayList<>()).add(run.maxSustainableRps());
        }
        progress.say("%s · %d server%s · cost %d → max %s rps (%s) · %s", variant, servers, servers == 1 ? "" : "s",
                run.cost(), run.maxSustainableRps() == null ? "none"
                        : String.format(Locale.ROOT, "%.0f", run.maxSustainableRps()), run.stop(), progress.eta());
        return run;
    }

    /** The baseline first: the others' fixed rates are fractions of its capacity. */
    private List<Variant> ordered() {
        return options.variants().stream().sorted(Comparator.comparing(v -> !v.isBaseline())).toList();
    }

    /** The budgets of {@code variant}'s system: as given, or shrunk for its group in miniature mode. */
    private CpuBudgets budgets(Variant variant) {
        return options.budgets().scaled(miniature.getOrDefault(variant.group(), 1.0));
    }

    /**
     * Per group, the factor that makes the system of the group's largest server count fit the machine, in miniature
     * mode; the same for every variant of a group, since they are compared with each other.
     */
    static Map<Variant.Group, Double> miniature(ExperimentOptions options, OptionalInt systemCpus) {
        Map<Variant.Group, Double> factors = new EnumMap<>(Variant.Group.class);
        if (!options.miniature() || systemCpus.isEmpty()) {
            return factors;
        }
        int most = options.profile().servers().stream().mapToInt(Integer::intValue).max().orElse(1);
        for (Variant variant : options.variants()) {
            double needed = options.budgets().system(variant, most, 1);
            double factor = Math.min(1.0, systemCpus.getAsInt() / needed);
            factors.merge(variant.group(), factor, Math::min);
        }
        factors.replaceAll((group, factor) -> Math.floor(factor * 1000) / 1000);
        return factors;
    }

    /** The server counts of the profile whose budgets fit; the others are noted as skipped (once) when asked. */
    private List<Integer> fitting(Variant variant, boolean note) {
        List<Integer> counts = new ArrayList<>();
        for (int servers : options.profile().servers()) {
            if (fits(variant, servers, 1)) {
                counts.add(servers);
            } else if (note) {
                skipped.add(new Skipped(variant.id(), servers, tooBig(variant, servers, 1)));
            }
        }
        return counts;
    }

    private boolean fits(Variant variant, int servers, int dnsReplicas) {
        OptionalInt cpus = platform.systemCpus();
        return cpus.isEmpty() || budgets(variant).system(variant, servers, dnsReplicas) <= cpus.getAsInt() + 1e-9;
    }

    private String tooBig(Variant variant, int servers, int dnsReplicas) {
        return String.format(Locale.ROOT, "its budgets add up to %.2f CPUs, more than the %d the system has here: not a "
                        + "measurement (the machine, not the architecture, would set it); --miniature shrinks every budget "
                        + "to fit", budgets(variant).system(variant, servers, dnsReplicas), platform.systemCpus().orElse(0));
    }

    /** The baseline's capacity at this server count and cost (the median over its repeats), if measured. */
    private Double baseline(int servers, int cost) {
        List<Double> maxima = baselines.get(servers + "|" + cost);
        return maxima == null || maxima.isEmpty() ? null : Metrics.median(maxima);
    }

    /**
     * The baseline's capacity as the fixed rates of a variant with {@code budgets} need it: in the miniature mode, a
     * reference implementation whose budgets shrink more than the baseline's gets it scaled by their ratio, so that
     * its fractions stay fractions of what servers of its size sustain (measured: RI2's 25 % of the unshrunk RI1
     * baseline at 4 servers offered the mesh, shrunk to 0.294×, three times its capacity).
     */
    static Double baselineFor(Double baseline, CpuBudgets budgets, CpuBudgets baselines) {
        return baseline == null ? null : baseline * budgets.server() / baselines.server();
    }

    /** Staircases and fault runs planned, for the ETA. */
    private int planned() {
        int staircases = 0;
        for (Variant variant : options.variants()) {
            staircases += fitting(variant, false).size() * options.profile().costs().size() * options.profile().repeats();
        }
        return staircases + faultPlan().values().stream().mapToInt(List::size).sum();
    }

    /**
     * The faults each variant gets: killing a server and killing what balances the clients (the proxy or ingress,
     * or one of two peak-dns replicas). With every variant's faults in the profile, each variant gets each that
     * applies (the baseline, with no balancer, only a server's death). Otherwise RI1 PEAK and its first counterpart
     * get theirs, which is what the fault comparison needs.
     */
    private Map<Variant, List<String>> faultPlan() {
        Map<Variant, List<String>> plan = new LinkedHashMap<>();
        Variant counterpart = Variant.RI1_PEAK.counterparts().stream().filter(options.variants()::contains).findFirst()
                .orElse(null);
        for (Variant variant : ordered()) {
            List<String> kinds = new ArrayList<>();
            boolean chosen = options.profile().everyVariantFaults() || variant == Variant.RI1_PEAK || variant == counterpart;
            if (options.faults() && options.profile().faultServers() > 0 && chosen) {
                kinds.add(Faults.KILL_SERVER);
                variant.balancerFault().ifPresent(kinds::add);
            }
            plan.put(variant, kinds);
        }
        return plan;
    }

    /**
     * A fixed fraction of the capacity measured for this variant at the fault runs' server count and the last cost
     * (the median over repeats); where that count was not measured, the capacity of the largest count below it,
     * unscaled (more servers do not lower it, and a proxy's own budget keeps it from doubling: scaled, RI1 HAProxy's
     * fault ran at three quarters of its proxy's capacity, whose quota then stopped it for the whole warm-up), or else
     * of the smallest above it, scaled down by the server ratio; with nothing measured, the profile's lowest rate.
     */
    private double faultRate(List<Run> runs, Variant variant) {
        Profile profile = options.profile();
        int faultServers = profile.faultServers();
        int cost = profile.costs().get(profile.costs().size() - 1);
        Map<Integer, List<Double>> byServers = new TreeMap<>();
        runs.stream().filter(r -> r.variant().equals(variant.id()) && r.cost() == cost && r.maxSustainableRps() != null)
                .forEach(r -> byServers.computeIfAbsent(r.servers(), n -> new ArrayList<>()).add(r.maxSustainableRps()));
        double capacity;
        if (byServers.containsKey(faultServers)) {
            capacity = Metrics.median(byServers.get(faultServers));
        } else if (!byServers.isEmpty()) {
            int below = byServers.keySet().stream().filter(n -> n < faultServers).max(Integer::compare).orElse(0);
            int nearest = below > 0 ? below : byServers.keySet().stream().min(Integer::compare).orElseThrow();
            capacity = Metrics.median(byServers.get(nearest)) * (below > 0 ? 1 : (double) faultServers / nearest);
        } else {
            double lowest = profile.smokeRates().stream().mapToDouble(Double::doubleValue).max()
                    .orElse(profile.startPerServer() * budgets(variant).server());
            return Math.max(options.k(), Math.round(lowest * faultServers));
        }
        return Math.max(options.k(), Math.round(options.faultFraction() * capacity));
    }

    private Path dir(String kind, Variant variant, int servers, int repeat) {
        return options.resultsDir().resolve(kind).resolve(String.format(Locale.ROOT, "%s-%ds-rep%d", variant, servers,
                repeat));
    }

    private Path faultDir(Variant variant, String kind) {
        return options.resultsDir().resolve("faults").resolve(variant + "-" + kind);
    }
}
