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

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.Skipped;
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;
import dev.peak.driver.variant.Variant;

/**
 * The experiment: for every variant, server count that fits the machine, work cost and repeat, one
 * {@link Staircase}; the baseline first, since every other variant is also measured at fixed fractions of its
 * capacity. Then the fault runs at a fraction of the measured capacity.
 */
public final class Experiment {

    private final ExperimentOptions options;
    private final Platform platform;
    private final ResultsFolder folder;
    private final Progress progress;
    private final Map<Variant.Group, Double> miniature;

    /**
     * @param earlier  what the interrupted run this one resumes had finished, or null for a new run
     * @param out      where progress goes
     * @param terminal whether {@code out} is a terminal (a progress bar) or not (plain lines)
     */
    public Experiment(ExperimentOptions options, Platform platform, Results earlier, PrintStream out, boolean terminal) {
        this.options = options;
        this.platform = platform;
        this.miniature = miniature(options, platform.systemCpus());
        Instant started = earlier == null ? Instant.now() : Instant.parse(earlier.manifest().startedAt());
        List<String> notes = new ArrayList<>();
        if (earlier != null) {
            notes.add("Resumed at " + Instant.now() + " after an interruption: the staircase that was running then, "
                    + "and any step that had failed, were measured again from their start.");
        }
        // a partial run has not finished: no finishing time
        this.folder = new ResultsFolder(options.resultsDir(), earlier, (runs, partial) -> Manifests.of(options, platform,
                started, partial ? null : Instant.now(), miniature, runs, partial, notes));
        this.progress = new Progress(out, planned(), terminal);
    }

    /**
     * Measures what the plan has left (all of it, unless resumed), writing the results folder after every level;
     * a step that fails is recorded with its reason and the rest goes on.
     */
    public Results run() throws InterruptedException {
        try (progress) {
            Profile profile = options.profile();
            Map<Variant, List<PlannedFault>> faultPlan = faultPlan();
            for (Variant variant : ordered()) {
                List<Integer> counts = fitting(variant, true);
                List<PlannedFault> pending = new ArrayList<>(faultPlan.get(variant));
                pending.removeIf(fault -> folder.faultMeasured(variant, fault));
                for (int repeat = 1; repeat <= profile.repeats(); repeat++) {
                    // one system per variant and repeat, scaled up through the server counts
                    SystemUnderTest system = null;
                    try {
                        for (int servers : counts) {
                            system = staircases(system, variant, servers, repeat);
                        }
                        // the first fault after the last repeat reuses this system (warm, and one start fewer)
                        if (system != null && repeat == profile.repeats() && !pending.isEmpty()
                                && !pending.get(0).kind().equals(FaultKind.KILL_DNS_REPLICA)
                                && fits(variant, profile.faultServers(), 1)) {
                            fault(system, variant, pending.remove(0));
                        }
                    } finally {
                        if (system != null) {
                            system.close();
                        }
                    }
                }
                for (PlannedFault fault : pending) {
                    int replicas = fault.kind().equals(FaultKind.KILL_DNS_REPLICA) ? 2 : 1;
                    if (!fits(variant, profile.faultServers(), replicas)) {
                        folder.skipped(new Skipped(variant.id(), profile.faultServers(), "fault " + fault + ": "
                                + tooBig(variant, profile.faultServers(), replicas)));
                        continue;
                    }
                    try (SystemUnderTest system = platform.start(variant, budgets(variant), profile.faultServers(),
                            replicas, variant.id() + "-" + fault.name())) {
                        fault(system, variant, fault);
                    } catch (RuntimeException e) {
                        failed(variant, profile.faultServers(), "fault " + fault, e);
                    }
                }
            }
            return folder.finish();
        }
    }

    /**
     * Writes the report of what was measured so far, the staircase being measured included, one last time; the
     * experiment's thread, if it goes on, writes no more.
     *
     * @return false if the run had already ended
     */
    public boolean interrupt() {
        boolean stopped = folder.interrupt();
        progress.close();
        return stopped;
    }

    /**
     * The staircases of one server count not measured yet, on {@code system} scaled to it (or a system started
     * for it); returns the system for the next count, or null when this count failed and its system was closed.
     */
    private SystemUnderTest staircases(SystemUnderTest system, Variant variant, int servers, int repeat)
            throws InterruptedException {
        List<Integer> costs = options.profile().costs().stream()
                .filter(cost -> !folder.finished(variant.id(), servers, cost, repeat)).toList();
        if (costs.isEmpty()) {
            return system;
        }
        try {
            if (system == null) {
                system = platform.start(variant, budgets(variant), servers, 1, variant.id() + "-rep" + repeat);
            } else if (system.servers() != servers) {
                system.scaleTo(servers);
            }
            List<Staircase> staircases = new ArrayList<>();
            for (int cost : costs) {
                Double baseline = baselineFor(baseline(servers, cost), budgets(variant), budgets(Variant.RI1_DIRECT));
                staircases.add(new Staircase(options, system, variant, budgets(variant), servers, cost, repeat, baseline,
                        !staircases.isEmpty(), progress, folder::measuring));
            }
            SharedGenerator generator = new SharedGenerator(platform.loadGenerator(), system,
                    dir("staircases", variant, servers, repeat),
                    staircases.stream().mapToDouble(Staircase::ceiling).max().orElseThrow());
            List<Staircase.Result> measured = new ArrayList<>();
            try (generator) {
                for (Staircase staircase : staircases) {
                    measured.add(measure(staircase, generator, variant, servers));
                }
            }
            // Gatling writes its report as the generator stops: the runs get its path once it has
            Path report = generator.gatlingReport();
            for (Staircase.Result result : measured) {
                StaircaseRun run = result.run();
                folder.finished(report == null ? run : run.withGatlingReport(
                        options.resultsDir().relativize(report.resolve("index.html")).toString()), result.costs(),
                        result.checks());
            }
            return system;
        } catch (IOException | RuntimeException e) {
            failed(variant, servers, "costs " + costs + ", repeat " + repeat, e);
            if (system != null) {
                system.close();
            }
            return null;
        }
    }

    private void fault(SystemUnderTest system, Variant variant, PlannedFault fault) throws InterruptedException {
        int servers = options.profile().faultServers();
        try {
            if (system.servers() != servers) {
                system.scaleTo(servers);
            }
            folder.fault(new FaultRun(options, system, variant, progress).measure(platform.loadGenerator(), fault,
                    faultRate(folder.runs(), variant), options.resultsDir().resolve("faults").resolve(variant + "-"
                            + fault.name())));
        } catch (IOException | RuntimeException e) {
            failed(variant, servers, "fault " + fault, e);
        }
    }

    /**
     * A step failed: it is recorded with its reason, said, and the run goes on with the rest; unless the run was
     * interrupted, whose teardown makes every step fail: then it ends here.
     */
    private void failed(Variant variant, int servers, String step, Exception e) throws InterruptedException {
        if (folder.interrupted()) {
            throw new InterruptedException("the run was interrupted");
        }
        String reason = Resumption.FAILED + step + "): " + (e.getMessage() == null ? e.toString() : e.getMessage());
        folder.skipped(new Skipped(variant.id(), servers, reason));
        progress.say("%s · %d server%s · %s; going on with the rest", variant, servers, servers == 1 ? "" : "s", reason);
    }

    /** One staircase on {@code generator}, said when it ends (its Gatling report comes later). */
    private Staircase.Result measure(Staircase staircase, SharedGenerator generator, Variant variant, int servers)
            throws IOException, InterruptedException {
        Staircase.Result result = staircase.measure(generator);
        StaircaseRun run = result.run();
        progress.say("%s · %d server%s · cost %d → max %s rps (%s) · %s", variant, servers, servers == 1 ? "" : "s",
                run.cost(), run.maxSustainableRps() == null ? "none"
                        : String.format(Locale.ROOT, "%.0f", run.maxSustainableRps()), run.stop(), progress.eta());
        return result;
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
                folder.skipped(new Skipped(variant.id(), servers, tooBig(variant, servers, 1)));
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
        if (!options.profile().search()) {
            return null;
        }
        List<Double> maxima = folder.runs().stream().filter(r -> Variant.of(r.variant()).isBaseline()
                && r.servers() == servers && r.cost() == cost && r.maxSustainableRps() != null)
                .map(StaircaseRun::maxSustainableRps).toList();
        return maxima.isEmpty() ? null : Metrics.median(maxima);
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

    /** Staircases and fault runs planned and not measured yet, for the ETA. */
    private int planned() {
        int left = 0;
        for (Variant variant : options.variants()) {
            for (int servers : fitting(variant, false)) {
                for (int cost : options.profile().costs()) {
                    for (int repeat = 1; repeat <= options.profile().repeats(); repeat++) {
                        left += folder.finished(variant.id(), servers, cost, repeat) ? 0 : 1;
                    }
                }
            }
            left += (int) faultPlan().get(variant).stream().filter(fault -> !folder.faultMeasured(variant, fault)).count();
        }
        return left;
    }

    /**
     * The faults each variant gets: killing a server and killing what balances the clients (the proxy or ingress,
     * or one of two peak-dns replicas). With every variant's faults in the profile, each variant gets each that
     * applies (the baseline, with no balancer, only a server's death). Otherwise RI1 PEAK and its first counterpart
     * get theirs, which is what the fault comparison needs. A PEAK variant's server is killed twice where the
     * generator can send with peak-client: under Gatling's clients, which keep a dead server's address for the TTL,
     * and under peak-client's, which fail over.
     */
    private Map<Variant, List<PlannedFault>> faultPlan() {
        Map<Variant, List<PlannedFault>> plan = new LinkedHashMap<>();
        Variant counterpart = Variant.RI1_PEAK.counterparts().stream().filter(options.variants()::contains).findFirst()
                .orElse(null);
        for (Variant variant : ordered()) {
            List<PlannedFault> faults = new ArrayList<>();
            boolean chosen = options.profile().everyVariantFaults() || variant == Variant.RI1_PEAK || variant == counterpart;
            if (options.faults() && options.profile().faultServers() > 0 && chosen) {
                faults.add(new PlannedFault(FaultKind.KILL_SERVER, Client.GATLING));
                if (variant.usesDns() && platform.loadGenerator().sends(Client.PEAK_CLIENT)) {
                    faults.add(new PlannedFault(FaultKind.KILL_SERVER, Client.PEAK_CLIENT));
                }
                variant.balancerFault().ifPresent(kind -> faults.add(new PlannedFault(kind, Client.GATLING)));
            }
            plan.put(variant, faults);
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
    private double faultRate(List<StaircaseRun> runs, Variant variant) {
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
}
