package dev.peak.driver.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.peak.driver.results.Balance;
import dev.peak.driver.results.Fault;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Percentiles;
import dev.peak.driver.results.Results;
import dev.peak.driver.results.Run;
import dev.peak.driver.results.Second;
import dev.peak.driver.results.Step;

/**
 * The scaling experiment (DESIGN §3): for every variant and server count, a staircase of constant
 * arrival rates until a step fails (error rate over the limit or p99 over the SLO); the last passing
 * step is the maximum sustainable throughput. Then fault runs at a fraction of that capacity. A step
 * the load generator could not drive is marked generator-bound and ends the staircase without
 * counting as the system's failure.
 */
public final class Experiment {

    /** Below this share of its CPU budget the generator is not the bottleneck. */
    private static final double GENERATOR_SATURATED = 0.9;

    private final ExperimentOptions options;
    private final Platform platform;
    private final PrintStream out;
    private final StepRunner runner;
    private final long startedNanos = System.nanoTime();
    private final int plannedSteps;
    private int stepsDone;

    public Experiment(ExperimentOptions options, Platform platform, PrintStream out) {
        this.options = options;
        this.platform = platform;
        this.out = out;
        this.runner = new StepRunner(platform.loadGenerator(), options.k(), options.cost());
        Profile p = options.profile();
        this.plannedSteps = options.variants().size() * p.repeats() * p.servers().size() * (p.maxSteps() + (p.confirm() ? 1 : 0) + (p.refine() ? 1 : 0));
    }

    public Results run() throws IOException, InterruptedException {
        Instant started = Instant.now();
        List<Run> runs = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        Profile profile = options.profile();
        Map<BenchVariant, List<String>> faultPlan = faultPlan();
        for (BenchVariant variant : options.variants()) {
            List<String> pending = new ArrayList<>(faultPlan.get(variant));
            for (int repeat = 1; repeat <= profile.repeats(); repeat++) {
                // one system (a lab, or the deployed variant) per variant and repeat, scaled up through the server counts
                try (SystemUnderTest system = start(variant, profile.servers().get(0), 1, variant.id() + "-rep" + repeat)) {
                    for (int servers : profile.servers()) {
                        if (system.servers() != servers) {
                            system.scaleTo(servers);
                        }
                        runs.add(staircase(system, variant, servers, repeat));
                    }
                    // the first fault after the last repeat reuses this system (warm, and one start fewer)
                    if (repeat == profile.repeats() && !pending.isEmpty() && !pending.get(0).equals(Fault.KILL_DNS_REPLICA)) {
                        if (system.servers() != profile.faultServers()) {
                            system.scaleTo(profile.faultServers());
                        }
                        faults.add(faultRun(system, variant, faultRate(runs, variant), pending.remove(0)));
                    }
                }
            }
            for (String kind : pending) {
                try (SystemUnderTest system = start(variant, profile.faultServers(), kind.equals(Fault.KILL_DNS_REPLICA) ? 2 : 1,
                        variant.id() + "-" + kind)) {
                    faults.add(faultRun(system, variant, faultRate(runs, variant), kind));
                }
            }
        }
        return Results.of(Manifests.of(options, platform, started, Instant.now(), runs), runs, faults);
    }

    /**
     * The faults each variant gets: killing a server (every variant) and killing its load balancer (the
     * proxy or ingress, or one of two peak-dns replicas; ri1-direct has none). With a profile that is
     * not exhaustive, each kind runs once, on the first variant it applies to.
     */
    private Map<BenchVariant, List<String>> faultPlan() {
        Map<BenchVariant, List<String>> plan = new LinkedHashMap<>();
        Set<String> planned = new HashSet<>();
        for (BenchVariant variant : options.variants()) {
            List<String> kinds = new ArrayList<>();
            if (options.faults() && options.profile().faultServers() > 0) {
                for (String kind : variant == BenchVariant.RI1_DIRECT ? List.of(Fault.KILL_SERVER)
                        : List.of(Fault.KILL_SERVER, variant.balancerFault())) {
                    if (options.profile().everyVariantFaults() || planned.add(kind)) {
                        kinds.add(kind);
                    }
                }
            }
            plan.put(variant, kinds);
        }
        return plan;
    }

    // ---- the staircase ----------------------------------------------------------------------------

    private Run staircase(SystemUnderTest system, BenchVariant variant, int servers, int repeat) throws IOException, InterruptedException {
        Profile profile = options.profile();
        List<Step> steps = new ArrayList<>();
        Map<String, Long> perInstance = new TreeMap<>();
        Measured lastPass = null;
        Step firstFail = null;
        double rate = profile.start() * servers;
        // Fresh servers run interpreted code for their first seconds: a step nobody counts warms them
        if (!profile.warmUp().isZero()) {
            out.printf("%s  %s · %d server%s · warm-up at %.0f rps for %d s ...%n", progress(), variant, servers,
                    servers == 1 ? "" : "s", rate, profile.warmUp().toSeconds());
            runner.warmUp(system, variant, rate, profile.warmUp(), options.resultsDir().resolve("steps").resolve(
                    String.format(Locale.ROOT, "%s-%ds-rep%d-warmup", variant, servers, repeat)));
        }
        for (int i = 0; i < profile.maxSteps() && firstFail == null; i++, rate += profile.increment() * servers) {
            Measured m = step(system, variant, servers, repeat, rate, steps.size() + 1);
            steps.add(m.step());
            if (profile.confirm() && failedBySystem(m.step())) {
                // one short step on a shared 2-core machine can fail on a hiccup: a failure counts once it repeats
                out.printf("%s  %s · %d server%s · confirming the failure at %.0f rps%n", progress(), variant, servers,
                        servers == 1 ? "" : "s", rate);
                m = step(system, variant, servers, repeat, rate, steps.size() + 1);
                steps.add(m.step());
            }
            if (m.step().passed()) {
                lastPass = m;
                addBalanced(perInstance, variant, m.result());
            } else {
                firstFail = m.step();
            }
        }
        if (profile.refine() && lastPass != null && firstFail != null && failedBySystem(firstFail)) {
            Measured m = step(system, variant, servers, repeat, (lastPass.step().rate() + firstFail.rate()) / 2,
                    steps.size() + 1);
            steps.add(m.step());
            if (m.step().passed()) {
                lastPass = m;
                addBalanced(perInstance, variant, m.result());
            }
        }
        Map<String, Percentiles> calls = new LinkedHashMap<>();
        if (lastPass != null) {
            lastPass.result().latency().forEach((kind, latency) -> calls.put(kind, latency.percentiles()));
        }
        // The offered rate, not the achieved one: a fresh generator falls behind in its first second and
        // catches up inside the measured window, so achieved rates of short steps overshoot (see the steps)
        return new Run(variant.id(), servers, repeat, steps, lastPass == null ? null : lastPass.step().rate(),
                Balance.of(perInstance), calls);
    }

    private record Measured(Step step, SimulationResult result) {
    }

    private static boolean failedBySystem(Step step) {
        return !step.passed() && !Step.GENERATOR_BOUND.equals(step.verdict());
    }

    private Measured step(SystemUnderTest system, BenchVariant variant, int servers, int repeat, double rate, int index)
            throws IOException, InterruptedException {
        Duration duration = options.profile().stepDuration();
        String label = String.format(Locale.ROOT, "%s · %d server%s · rep %d · step %d · %.0f rps", variant, servers,
                servers == 1 ? "" : "s", repeat, index, rate);
        out.printf("%s  %s for %d s (+%d s settling) ...%n", progress(), label, duration.toSeconds(),
                options.profile().settle().toSeconds());
        Path dir = options.resultsDir().resolve("steps").resolve(
                String.format(Locale.ROOT, "%s-%ds-rep%d-step%02d", variant, servers, repeat, index));
        StepRunner.Outcome outcome = runner.run(system, variant, rate, options.profile().settle(), duration, dir, Optional.empty());
        stepsDone++;
        Step step = toStep(variant, rate, outcome);
        out.printf("%s  %s → achieved %.0f rps · OK %d KO %d · p99 %.1f ms · generator CPU %.2f · %s%n", progress(),
                label, step.achievedRps(), step.ok(), step.ko(), step.p99Ms(), step.generatorCpu(), step.verdict());
        return new Measured(step, outcome.result());
    }

    Step toStep(BenchVariant variant, double rate, StepRunner.Outcome outcome) {
        SimulationResult r = outcome.result();
        SimulationResult.Latency primary = r.call(variant.primaryCall());
        long ok = r.requests().ok();
        long ko = r.requests().ko();
        double errorRate = ok + ko == 0 ? 1.0 : (double) ko / (ok + ko);
        // RI2-PEAK also sends one token call per session; the offered rate counts B's calls only
        double primaryShare = variant == BenchVariant.RI2_PEAK ? options.k() / (options.k() + 1.0) : 1.0;
        // completions inside the measured window only: not the settling seconds, not the tail after it
        long settleS = options.profile().settle().toSeconds();
        long durationS = options.profile().stepDuration().toSeconds();
        long okInWindow = r.perSecond().stream().filter(s -> s.t() >= settleS && s.t() < settleS + durationS)
                .mapToLong(Second::ok).sum();
        double achieved = okInWindow * primaryShare / durationS;
        // Sessions arrive as a Poisson process: fewer than 3 standard deviations under the expected count,
        // with the system answering well, means the generator could not start them
        double expectedSessions = rate / options.k() * options.profile().stepDuration().toSeconds();
        boolean shortOfSessions = r.sessions().total() < expectedSessions - 3 * Math.sqrt(expectedSessions);
        boolean generatorBound = outcome.generatorCpu() >= GENERATOR_SATURATED * options.budgets().load()
                || (shortOfSessions && errorRate <= options.errorLimit() && primary.p99Ms() <= options.sloMs());
        String verdict = Metrics.verdict(errorRate, options.errorLimit(), primary.p99Ms(), options.sloMs(), generatorBound);
        String report = outcome.gatlingReport() == null ? null
                : options.resultsDir().relativize(outcome.gatlingReport().resolve("index.html")).toString();
        return new Step(rate, round(achieved), ok, ko, primary.p50Ms(), primary.p95Ms(), primary.p99Ms(), primary.maxMs(),
                "pass".equals(verdict), verdict, round(outcome.generatorCpu()), report);
    }

    /** Balance is judged among the instances of the service every call of the session reaches: A in RI1, B in RI2. */
    private static void addBalanced(Map<String, Long> perInstance, BenchVariant variant, SimulationResult result) {
        String service = variant.lab().withB() ? "b-" : "a-";
        result.perInstance().forEach((name, count) -> {
            if (name.startsWith(service)) {
                perInstance.merge(name, count, Long::sum);
            }
        });
    }

    // ---- fault runs -------------------------------------------------------------------------------

    /** A fixed fraction of the capacity measured for this variant and server count (its median over repeats). */
    private double faultRate(List<Run> runs, BenchVariant variant) {
        int servers = options.profile().faultServers();
        List<Double> capacities = runs.stream()
                .filter(r -> r.variant().equals(variant.id()) && r.servers() == servers && r.maxSustainableRps() != null)
                .map(Run::maxSustainableRps).toList();
        double capacity = capacities.isEmpty() ? options.profile().start() * servers : Metrics.median(capacities);
        return Math.max(options.k(), Math.round(options.faultFraction() * capacity));
    }

    private Fault faultRun(SystemUnderTest system, BenchVariant variant, double rate, String kind)
            throws IOException, InterruptedException {
        int servers = system.servers();
        Duration duration = options.profile().faultDuration();
        Duration at = duration.multipliedBy(2).dividedBy(5);
        out.printf("%s  fault %s · %s · %d servers · %.0f rps for %d s, fault at %d s ...%n", progress(), kind, variant,
                servers, rate, duration.toSeconds(), at.toSeconds());
        Runnable action = switch (kind) {
            case Fault.KILL_SERVER -> () -> system.kill((variant.lab().withB() ? "b-" : "a-") + servers);
            case Fault.KILL_PROXY -> system::killProxy;
            case Fault.KILL_DNS_REPLICA -> () -> system.killDnsReplica(1);
            default -> throw new IllegalArgumentException(kind);
        };
        Path dir = options.resultsDir().resolve("faults").resolve(variant + "-" + kind);
        StepRunner.Outcome outcome = runner.run(system, variant, rate, Duration.ZERO, duration, dir,
                Optional.of(new StepRunner.Fault(at, action)));
        SimulationResult r = outcome.result();
        int faultSecond = (int) Math.max(0, (outcome.faultEpochMs() - r.startEpochMs()) / 1000);
        // only the seconds of injection: after it, the last sessions trickle out and nothing is offered
        Fault fault = Fault.of(variant.id(), kind, servers, rate, faultSecond,
                r.perSecond().stream().filter(s -> s.t() < duration.toSeconds()).toList());
        out.printf("%s  fault %s · %s → requests %d · errors %d · error window %.1f s · recovery %s%n", progress(),
                kind, variant, fault.requests(), fault.errors(), fault.errorWindowS(),
                fault.recoveryS() < 0 ? "none within the run" : String.format(Locale.ROOT, "%.1f s", fault.recoveryS()));
        return fault;
    }

    // ---- the platform and the console -------------------------------------------------------------

    private SystemUnderTest start(BenchVariant variant, int servers, int dnsReplicas, String label) {
        out.printf("%s  starting %s (%s) with %d server%s ...%n", progress(), variant.lab(), platform.name(), servers,
                servers == 1 ? "" : "s");
        return platform.start(variant, servers, dnsReplicas, label);
    }

    private String progress() {
        long elapsed = (System.nanoTime() - startedNanos) / 1_000_000_000;
        String eta = stepsDone == 0 ? "" : String.format(Locale.ROOT, " · ETA ≤ %s",
                minutes(elapsed * Math.max(0, plannedSteps - stepsDone) / stepsDone));
        return String.format(Locale.ROOT, "[%s%s]", minutes(elapsed), eta);
    }

    private static String minutes(long seconds) {
        return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
