package dev.peak.driver.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

import dev.peak.driver.model.ModelResults.BalancePoint;
import dev.peak.driver.model.ModelResults.Calibrated;
import dev.peak.driver.model.ModelResults.CurvePoint;
import dev.peak.driver.model.ModelResults.DnsLoad;
import dev.peak.driver.model.ModelResults.ErrorWindowPoint;
import dev.peak.driver.model.ModelResults.FaultCheck;
import dev.peak.driver.model.ModelResults.Settings;
import dev.peak.driver.model.ModelResults.Timing;
import dev.peak.driver.model.ModelResults.UslRow;
import dev.peak.driver.model.ModelResults.ValidationRow;
import dev.peak.driver.results.Capacity;
import dev.peak.driver.results.Comparison;
import dev.peak.driver.results.Cost;
import dev.peak.driver.results.FaultResult;
import dev.peak.driver.results.Level;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.variant.Client;
import dev.peak.driver.variant.FaultKind;
import dev.peak.driver.variant.HealthChecks;
import dev.peak.driver.variant.Variant;
import dev.peak.model.Role;
import dev.peak.model.capacity.CapacityModel;
import dev.peak.model.capacity.Deployment;
import dev.peak.model.simulation.Policy;
import dev.peak.model.simulation.Scenario;
import dev.peak.model.simulation.Simulation;
import dev.peak.model.simulation.SimulationResult;
import dev.peak.model.usl.UslFit;

/**
 * Carries one results folder beyond the lab: calibrates the model and the simulation on its costs, checks them against
 * its maxima, balance and faults, and answers what the lab cannot measure (N up to 10,000, TTLs, policies, health
 * intervals). Everything the report's "At scale" section shows comes from here.
 *
 * <p>Just over 400 lines: one method per question the section answers, each short, sharing one calibration.
 */
final class AtScale {

    /** Server count of the sweeps: enough for imbalance to show, few enough to simulate many long TTLs quickly. */
    static final int SWEEP_SERVERS = 20;
    static final List<Double> SWEEP_TTLS = List.of(1.0, 5.0, 30.0);
    static final List<Integer> SWEEP_CLIENTS = List.of(10, 100, 1_000, 10_000);
    static final List<Double> SWEEP_INTERVALS = List.of(1.0, 2.0, 5.0);
    /** Clients of the error-window sweep, each keeping its answer for the TTL. */
    static final int WINDOW_CLIENTS = 1_000;
    static final double KILL_AT_S = 5;
    static final List<Double> DNS_RATES = List.of(1e4, 1e5, 1e6, 1e7);
    static final List<Integer> REQUESTS_PER_TTL = List.of(1, 10, 100, 1_000);
    /** Every server of a simulated curve answers at least this many requests, so that Jain measures balance, not noise. */
    static final int REQUESTS_PER_SERVER = 200;

    private final Results results;
    private final String from;
    private final ModelOptions options;
    private final Consumer<String> progress;
    private final List<Timing> timings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    AtScale(Results results, String from, ModelOptions options, Consumer<String> progress) {
        this.results = results;
        this.from = from;
        this.options = options;
        this.progress = progress;
    }

    ModelResults compute() {
        int cost = options.cost().orElseGet(() -> results.capacities().stream().mapToInt(Capacity::cost).max()
                .orElseThrow(() -> new IllegalArgumentException(from + " has no maximum throughput to calibrate on: "
                        + "run make bench with the search (quick or full profile)")));
        List<Calibration> calibrations = new ArrayList<>();
        for (Variant v : Variant.values()) {
            Optional<Calibration> c = Calibration.of(results, v, cost);
            c.ifPresent(calibrations::add);
            if (c.isEmpty() && results.runs().stream().anyMatch(r -> r.variant().equals(v.id()))) {
                notes.add(v.id() + " passed no level at cost " + cost + ": it is not modelled.");
            }
        }
        if (calibrations.isEmpty()) {
            throw new IllegalArgumentException(from + " has no variant with a passing level at cost " + cost
                    + ": nothing to calibrate on");
        }
        Calibration reference = calibrations.get(0);
        Settings settings = new Settings(from, cost, options.servers(), options.sessions(),
                options.proxyCpus().orElse(null), options.loadFraction(), reference.k(), Scenario.LAB_TTL_S,
                HealthChecks.INTERVAL.toMillis() / 1000.0, HealthChecks.FALL, HealthChecks.RISE, Instant.now().toString());

        List<Calibrated> calibrated = calibrations.stream().map(c -> new Calibrated(c.variant().id(), c.servers(),
                roles(c), finite(c.costs().dnsUsPerQuery() > 0 ? c.costs().dnsUsPerQuery() : Double.NaN),
                c.labQueriesPerRequest(), c.serverCpus(), c.proxyCpus())).toList();
        List<ValidationRow> validation = new ArrayList<>();
        List<CurvePoint> curves = new ArrayList<>();
        List<UslRow> usl = new ArrayList<>();
        for (Calibration c : calibrations) {
            curves.addAll(measured(c.variant(), cost));
            validation.addAll(validate(c, cost));
            usl.add(usl(c.variant(), cost));
        }
        for (Calibration c : calibrations) {
            curves.addAll(curve(c, options.proxyCpus().orElse(c.proxyCpus())));
        }
        List<FaultCheck> faults = faults(calibrations);
        Optional<Calibration> peak = calibrations.stream().filter(c -> c.variant() == Variant.RI1_PEAK).findFirst()
                .or(() -> calibrations.stream().filter(c -> c.variant().usesDns()).findFirst());
        List<BalancePoint> balance = options.sweeps() ? peak.map(this::balance).orElse(List.of()) : List.of();
        List<ErrorWindowPoint> windows = options.sweeps() ? errorWindows(calibrations) : List.of();
        List<DnsLoad> dnsLoad = peak.map(AtScale::dnsLoad).orElse(List.of());
        if (peak.isEmpty()) {
            notes.add("No PEAK variant was measured at cost " + cost + ": no DNS sweeps.");
        }
        ModelResults partial = new ModelResults(settings, calibrated, curves, usl, validation, faults, balance, windows,
                dnsLoad, timings, List.of(), notes);
        return new ModelResults(settings, calibrated, curves, usl, validation, faults, balance, windows, dnsLoad,
                timings, Rq3Answer.of(partial, results.manifest()), notes);
    }

    private static Map<String, Double> roles(Calibration c) {
        Map<String, Double> byRole = new LinkedHashMap<>();
        c.costs().usPerRequest().forEach((role, us) -> byRole.put(role.label(), us));
        return byRole;
    }

    // ---- the lab ----------------------------------------------------------------------------------------------------

    /** The lab's points: maximum, and p99 and infrastructure share at the level nearest the simulations' load. */
    private List<CurvePoint> measured(Variant variant, int cost) {
        List<CurvePoint> points = new ArrayList<>();
        for (Capacity capacity : capacities(variant, cost)) {
            List<Double> p99s = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            for (StaircaseRun run : runs(variant, cost, capacity.servers())) {
                nearest(run, options.loadFraction() * run.maxSustainableRps()).ifPresent(level -> {
                    p99s.add(level.primary().p99Ms());
                    infraShare(Calibration.costsAt(results, run, level.index())).ifPresent(shares::add);
                });
            }
            points.add(new CurvePoint(variant.id(), capacity.servers(), capacity.maxRps(),
                    shares.isEmpty() ? null : Metrics.median(shares), p99s.isEmpty() ? null : Metrics.median(p99s),
                    CurvePoint.MEASURED, null, measuredJain(variant, cost, capacity.servers()), null, null));
        }
        return points;
    }

    private List<Capacity> capacities(Variant variant, int cost) {
        return results.capacities().stream().filter(c -> c.variant().equals(variant.id()) && c.cost() == cost)
                .sorted(Comparator.comparingInt(Capacity::servers)).toList();
    }

    private List<StaircaseRun> runs(Variant variant, int cost, int servers) {
        return results.runs().stream().filter(r -> r.variant().equals(variant.id()) && r.cost() == cost
                && r.servers() == servers && r.maxSustainableRps() != null).toList();
    }

    private static Optional<Level> nearest(StaircaseRun run, double rate) {
        return run.levels().stream().filter(Level::passed).filter(l -> !Level.CHECK.equals(l.kind()))
                .min(Comparator.comparingDouble(l -> Math.abs(l.rate() - rate)));
    }

    private static Optional<Double> infraShare(List<Cost> costs) {
        double infra = 0;
        double servers = 0;
        for (Cost c : costs) {
            Optional<Role> role = Role.ofLabel(c.role());
            if (role.isPresent()) {
                if (role.get().infrastructure()) {
                    infra += c.cpuUsPerRequest();
                } else {
                    servers += c.cpuUsPerRequest();
                }
            }
        }
        return infra + servers > 0 ? Optional.of(infra / (infra + servers)) : Optional.empty();
    }

    private Double measuredJain(Variant variant, int cost, int servers) {
        List<Double> jains = runs(variant, cost, servers).stream().filter(r -> r.balance() != null)
                .map(r -> r.balance().jain()).toList();
        return jains.isEmpty() ? null : Metrics.median(jains);
    }

    // ---- validation -------------------------------------------------------------------------------------------------

    /** The model and the simulation at the lab's configuration, at every server count the lab measured. */
    private List<ValidationRow> validate(Calibration c, int cost) {
        List<ValidationRow> rows = new ArrayList<>();
        for (Capacity capacity : capacities(c.variant(), cost)) {
            List<StaircaseRun> runs = runs(c.variant(), cost, capacity.servers());
            if (runs.isEmpty()) {
                continue;
            }
            StaircaseRun run = runs.get(0);
            Deployment lab = c.lab(capacity.servers(), 1, Calibration.budget(run, "server"),
                    Calibration.budget(run, "proxy"));
            double modelRps = CapacityModel.of(c.costs(), lab).maxRps();
            progress.accept("validating " + c.variant().id() + " at " + capacity.servers() + " server(s) against the lab");
            SimulationResult sim = simulate(c, labScenario(c, lab, options.loadFraction() * modelRps,
                    sessions(capacity.servers(), c.k())));
            List<Double> failing = runs.stream().flatMap(r -> Comparison.searchBracket(r).stream()
                    .map(gap -> r.maxSustainableRps() * (1 + gap))).toList();
            Double failed = failing.size() == runs.size() ? Metrics.median(failing) : null;
            rows.add(new ValidationRow(c.variant().id(), capacity.servers(), capacity.maxRps(), failed, modelRps,
                    (modelRps - capacity.maxRps()) / capacity.maxRps(),
                    bracketError(modelRps, capacity.maxRps(), failed), finite(sim.maxRps()),
                    finite((sim.maxRps() - capacity.maxRps()) / capacity.maxRps()),
                    measuredJain(c.variant(), cost, capacity.servers()), finite(sim.jain()), capacity.lowerBound()));
        }
        return rows;
    }

    /** 0 when the model lies between the lab's maximum and the rate that failed above it, else its distance to them. */
    static double bracketError(double model, double passed, Double failed) {
        if (model < passed) {
            return (model - passed) / passed;
        }
        return failed != null && model > failed ? (model - failed) / failed : 0;
    }

    /** The lab's fault runs, simulated: the same variant, servers, rate and fault, at the same moment. */
    private List<FaultCheck> faults(List<Calibration> calibrations) {
        List<FaultCheck> checks = new ArrayList<>();
        Object seconds = results.manifest() == null ? null : results.manifest().plan().get("faultSeconds");
        double duration = seconds instanceof Number number ? number.doubleValue() : 10;
        for (FaultResult fault : results.faults()) {
            Optional<Calibration> c = calibrations.stream().filter(cal -> cal.variant().id().equals(fault.variant()))
                    .findFirst();
            boolean modelled = fault.fault().equals(FaultKind.KILL_SERVER) || fault.fault().equals(FaultKind.KILL_DNS_REPLICA);
            if (c.isEmpty() || !modelled || fault.client() != Client.GATLING) {
                checks.add(new FaultCheck(fault.variant(), fault.fault(), fault.servers(), fault.rate(),
                        fault.errorWindowS(), null, fault.errors(), null, c.isEmpty() ? "not calibrated at this cost"
                        : !modelled ? "not simulated: the lab never restarts a killed proxy, so its window is the rest of the run"
                        : "not simulated: the model's clients keep an answer for its TTL, without peak-client's failover"));
                continue;
            }
            Calibration cal = c.get();
            Deployment lab = cal.lab(fault.servers(), cal.variant().usesDns() ? 2 : 1, cal.serverCpus(), cal.proxyCpus());
            // the lab kills the last server of the serving service, or the first replica
            dev.peak.model.simulation.Fault injected = fault.fault().equals(FaultKind.KILL_SERVER)
                    ? new dev.peak.model.simulation.Fault(dev.peak.model.simulation.Fault.Kind.KILL_SERVER,
                    0.4 * duration, fault.servers() - 1)
                    : new dev.peak.model.simulation.Fault(dev.peak.model.simulation.Fault.Kind.KILL_DNS_REPLICA,
                    0.4 * duration, 0);
            long sessions = Math.max(1, Math.round(fault.rate() / cal.k() * duration));
            progress.accept("simulating " + fault.fault() + " of " + fault.variant());
            SimulationResult sim = simulate(cal, labScenario(cal, lab, fault.rate(), sessions)
                    .withFaults(List.of(injected)));
            checks.add(new FaultCheck(fault.variant(), fault.fault(), fault.servers(), fault.rate(), fault.errorWindowS(),
                    sim.errorWindowS(), fault.errors(), sim.errorsAfterFault(), null));
        }
        return checks;
    }

    private UslRow usl(Variant variant, int cost) {
        List<StaircaseRun> failed = results.runs().stream().filter(r -> r.variant().equals(variant.id()) && r.cost() == cost
                && r.stop() == StaircaseRun.Stop.FAILED && r.maxSustainableRps() != null).toList();
        long counts = failed.stream().mapToInt(StaircaseRun::servers).distinct().count();
        if (failed.size() < 3 || counts < 2) {
            return new UslRow(variant.id(), failed.size(), null, null, null, List.of(), List.of(), null, null, null,
                    "needs maxima the system set (not the generator or the plan) at 2 or more server counts, 3 or "
                            + "more in all; has " + failed.size() + " at " + counts);
        }
        int[] servers = failed.stream().mapToInt(StaircaseRun::servers).toArray();
        double[] maxima = failed.stream().mapToDouble(StaircaseRun::maxSustainableRps).toArray();
        UslFit fit = UslFit.fit(servers, maxima);
        return new UslRow(variant.id(), fit.points(), fit.lambda(), fit.sigma(), fit.kappa(),
                interval(fit.sigmaLow(), fit.sigmaHigh()), interval(fit.kappaLow(), fit.kappaHigh()),
                finite(fit.peakServers()), finite(fit.rSquared()), fit.kappaIndistinguishableFromZero(),
                fit.degreesOfFreedom() < 2 ? "one degree of freedom: the intervals are wide; repeats narrow them" : null);
    }

    // ---- beyond the lab ---------------------------------------------------------------------------------------------

    /** The model and the simulation at every server count asked for: the lab's instances, more of them. */
    private List<CurvePoint> curve(Calibration c, double proxyCpus) {
        List<CurvePoint> points = new ArrayList<>();
        for (int n : options.servers()) {
            Deployment d = new Deployment(c.architecture(), c.variant().withB(), n, 0, c.serverCpus(), c.proxyCpus(),
                    c.proxyCpus(), proxyCpus, c.labQueriesPerRequest());
            var capacity = CapacityModel.of(c.costs(), d);
            boolean dns = c.variant().usesDns();
            points.add(new CurvePoint(c.variant().id(), n, capacity.maxRps(), capacity.infraCpuShare(), null,
                    CurvePoint.MODEL, capacity.bottleneck().label(), null, dns ? capacity.dnsQps() : null,
                    dns ? capacity.dnsReplicasNeeded() : null));
            Deployment simulated = new Deployment(d.architecture(), d.withB(), n, Math.max(1, capacity.dnsReplicasNeeded()),
                    d.serverCpus(), d.sidecarCpus(), d.dnsCpus(), d.proxyCpus(), d.dnsQueriesPerRequest());
            progress.accept("simulating " + c.variant().id() + " at " + n + " server(s)");
            SimulationResult sim = simulate(c, labScenario(c, simulated, options.loadFraction() * capacity.maxRps(),
                    sessions(n, c.k())));
            points.add(new CurvePoint(c.variant().id(), n, finite(sim.maxRps()), capacity.infraCpuShare(),
                    finite(sim.p99Ms()), CurvePoint.SIMULATION, sim.busiest(), finite(sim.jain()),
                    dns ? sim.dnsQps() : null, dns ? simulated.dnsReplicas() : null));
        }
        return points;
    }

    /** Jain's index against TTL × clients for every policy: where DNS caching unbalances the servers. */
    private List<BalancePoint> balance(Calibration c) {
        List<BalancePoint> points = new ArrayList<>();
        // the servers' capacity, with the replicas that the lab's lookups per request need at it: caching clients
        // ask less, so DNS never binds and the sweep measures the servers' balance
        var model = CapacityModel.of(c.costs(), c.lab(SWEEP_SERVERS, 0, c.serverCpus(), c.proxyCpus()));
        Deployment d = c.lab(SWEEP_SERVERS, model.dnsReplicasNeeded(), c.serverCpus(), c.proxyCpus());
        double capacity = model.maxRps();
        double offered = options.loadFraction() * capacity;
        for (Policy policy : Policy.values()) {
            progress.accept("balance of " + policyName(policy) + " against TTL and clients");
            for (double ttl : SWEEP_TTLS) {
                for (int clients : SWEEP_CLIENTS) {
                    // long enough for every client to take several answers
                    long sessions = Math.max(20_000, Math.min(200_000, Math.round(offered / c.k() * 4 * ttl)));
                    SimulationResult sim = simulate(c, labScenario(c, d, offered, sessions)
                            .withClients(clients, ttl, false).withPolicy(policy));
                    points.add(new BalancePoint(policyName(policy), ttl, clients, SWEEP_SERVERS, sim.jain(),
                            finite(sim.maxMinShare()), sim.maxRps() / capacity));
                }
            }
        }
        return points;
    }

    /** The error window after a server kill against TTL and health interval, for PEAK, the proxy and the mesh. */
    private List<ErrorWindowPoint> errorWindows(List<Calibration> calibrations) {
        List<ErrorWindowPoint> points = new ArrayList<>();
        for (Calibration c : calibrations) {
            if (c.variant() != Variant.RI1_PEAK && c.variant() != Variant.RI1_HAPROXY && c.variant() != Variant.RI2_MESH) {
                continue;
            }
            progress.accept("error windows of " + c.variant().id() + " against TTL and health interval");
            Deployment d = c.lab(10, c.variant().usesDns() ? 2 : 1, c.serverCpus(), c.proxyCpus());
            double offered = options.loadFraction() * CapacityModel.of(c.costs(), d).maxRps();
            List<double[]> cases = new ArrayList<>();
            for (double interval : SWEEP_INTERVALS) {
                for (double ttl : c.variant().usesDns() ? SWEEP_TTLS : List.of(Scenario.LAB_TTL_S)) {
                    cases.add(new double[] {ttl, interval, 0});
                }
            }
            if (c.variant().usesDns()) {
                cases.add(new double[] {Scenario.LAB_TTL_S, 1, 1});
            }
            for (double[] k : cases) {
                boolean java = k[2] == 1;
                double ttl = k[0];
                double interval = k[1];
                double cache = java ? Scenario.JAVA_CACHE_S : ttl;
                double bound = cache + HealthChecks.FALL * interval;
                long sessions = Math.round(offered / c.k() * (KILL_AT_S + bound + 10));
                SimulationResult sim = simulate(c, labScenario(c, d, offered, sessions)
                        .withClients(WINDOW_CLIENTS, ttl, java).withHealth(interval, HealthChecks.FALL, HealthChecks.RISE)
                        .withFaults(List.of(new dev.peak.model.simulation.Fault(
                                dev.peak.model.simulation.Fault.Kind.KILL_SERVER, KILL_AT_S, 0))));
                points.add(new ErrorWindowPoint(c.variant().id(), ttl, java, interval, sim.errorWindowS(),
                        sim.errorsAfterFault(), c.variant().usesDns() ? bound : HealthChecks.FALL * interval));
            }
        }
        return points;
    }

    /** Queries per second and replicas of one CPU, for request rates and requests per client within one TTL. */
    static List<DnsLoad> dnsLoad(Calibration c) {
        List<DnsLoad> rows = new ArrayList<>();
        double usPerQuery = c.costs().dnsUsPerQuery();
        double names = c.variant().withB() ? 2 : 1;
        for (double rate : DNS_RATES) {
            for (int perTtl : REQUESTS_PER_TTL) {
                double qps = rate * names / perTtl;
                rows.add(new DnsLoad(rate, perTtl, qps, (int) Math.max(1, Math.ceil(qps * usPerQuery / 1e6 - 1e-9))));
            }
        }
        return rows;
    }

    // ---- simulations ------------------------------------------------------------------------------------------------

    private Scenario labScenario(Calibration c, Deployment d, double offeredRps, long sessions) {
        return Scenario.lab(d, c.costs(), offeredRps, sessions).withServiceCv(Scenario.SERVICE_CV, c.k(),
                Scenario.LAB_HOP_DELAY_US);
    }

    private long sessions(int servers, int k) {
        return Math.max(options.sessions(), (long) REQUESTS_PER_SERVER * servers / k);
    }

    private SimulationResult simulate(Calibration c, Scenario scenario) {
        SimulationResult r = Simulation.run(scenario);
        int servers = scenario.deployment().servers();
        if (servers == new TreeSet<>(options.servers()).last()) {
            timings.add(new Timing(c.variant().id(), servers, scenario.sessions(), r.requests(), r.events(), r.wallS()));
        }
        return r;
    }

    static String policyName(Policy policy) {
        return policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static List<Double> interval(double low, double high) {
        List<Double> interval = new ArrayList<>();
        interval.add(finite(low));
        interval.add(finite(high));
        return interval;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
