package dev.peak.driver.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.peak.driver.variant.FaultKind;
import dev.peak.driver.variant.Variant;

/**
 * A small hand-made experiment: every variant at 1 and 2 servers (the mesh at 1 only: at 2 its budgets did not
 * fit), costs 0 and 1000, 2 repeats, fixed levels at fractions of the baseline's capacity, costs by component, one
 * fault run of each kind. The numbers are invented but shaped like a real run, including a generator-bound
 * staircase, a throttled level and a proxy that does not come back.
 */
public final class SampleResults {

    static final double SLO_MS = 100;
    static final double ERROR_LIMIT = 0.01;
    static final List<Integer> SERVERS = List.of(1, 2);
    static final List<Integer> COSTS = List.of(0, 1000);
    static final int REPEATS = 2;
    static final List<Double> FRACTIONS = List.of(0.25, 0.5, 0.75);
    static final int SMOKE_COST = 100;
    static final List<Double> SMOKE_RATES = List.of(50.0, 100.0);
    private static final int NEVER = -1;

    private SampleResults() {
    }

    public static Results create() {
        Random random = new Random(42);
        List<StaircaseRun> runs = new ArrayList<>();
        List<Cost> costs = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            for (int servers : SERVERS) {
                if (variant == Variant.RI2_MESH && servers == 2) {
                    continue;
                }
                for (int cost : COSTS) {
                    for (int repeat = 1; repeat <= REPEATS; repeat++) {
                        runs.add(run(variant, servers, cost, repeat, random, costs));
                    }
                }
            }
        }
        List<EnforcementCheck> checks = List.of(
                new EnforcementCheck(1, 1000, 450, "100.0 ms period, no burst", 0.35, 1.4, 21.5, 0.27, true),
                new EnforcementCheck(1, 1000, 450, "100.0 ms period, burst 1.0× quota", 0.29, 0.97, 3.8, 0.02, true));
        List<Skipped> skipped = List.of(new Skipped("ri2-mesh", 2, "its budgets add up to 1.80 CPUs, more than the 1 the "
                + "system has here"));
        return Results.of(manifest(), runs, costs, checks, skipped, faults(random));
    }

    /**
     * The smoke profile's shape: every variant at one server and cost 100, two low rates that are no share of any
     * capacity, no search (every staircase ends at the plan's last level), no enforcement check, the four faults.
     */
    static Results smoke() {
        Random random = new Random(7);
        List<StaircaseRun> runs = new ArrayList<>();
        List<Cost> costs = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            double capacity = capacity(variant, 1, SMOKE_COST);
            List<Level> levels = new ArrayList<>();
            for (double rate : SMOKE_RATES) {
                levels.add(level(variant, 1, SMOKE_COST, 1, levels.size() + 1, Level.FIXED, null, rate, capacity, 1e9,
                        random, costs));
            }
            Level last = levels.get(levels.size() - 1);
            runs.add(new StaircaseRun(variant.id(), 1, SMOKE_COST, 1, Map.of("server", 0.2, "proxy", 0.2), levels, last.rate(),
                    StaircaseRun.Stop.PLAN_END, null, last.calls(), null, null));
        }
        Manifest m = manifest();
        Map<String, Object> plan = new LinkedHashMap<>(m.plan());
        plan.put("servers", List.of(1));
        plan.put("costs", List.of(SMOKE_COST));
        plan.put("repeats", 1);
        plan.put("search", false);
        plan.put("fixedFractions", Map.of());
        Manifest smoke = new Manifest("smoke", "loadtests/scale.sh bench --profile smoke", m.gitCommit(), m.startedAt(),
                m.finishedAt(), m.versions(), m.machine(), m.cpuBudgets(), m.cpuEnforcement(), m.miniature(),
                m.clientModel(), plan, m.notes(), false);
        return Results.of(smoke, runs, costs, List.of(), List.of(), faults(random));
    }

    static Manifest manifest() {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("platform", "local");
        plan.put("servers", SERVERS);
        plan.put("costs", COSTS);
        plan.put("repeats", REPEATS);
        plan.put("levelSeconds", 4);
        plan.put("sloMs", SLO_MS);
        plan.put("errorLimit", ERROR_LIMIT);
        return new Manifest("sample", "loadtests/scale.sh bench --profile sample", "0123456789abcdef0123456789abcdef01234567",
                "2025-05-01T10:00:00Z", "2025-05-01T11:42:00Z",
                Map.of("java", "17.0.15", "gatling", "3.14.9", "haproxy", "2.6.12", "nginx", "1.22.1"),
                Map.of("cpus", "2", "cpuModel", "AMD EPYC (sample)", "memoryGiB", "24.0"),
                Map.of("server", 0.2, "proxy", 0.2, "peakDns", 0.2, "loadGenerator", 1.0),
                "cgroup v1 CFS quota (100.0 ms period, burst 1.0× quota), system on CPU 0, load generator on CPU 1",
                Map.of(), "open model, Poisson arrivals, one connection per session", plan,
                List.of("Sample data written by the tests: not a measurement."), false);
    }

    /** Capacity of one server, and the cap of a single proxy in front of them. */
    private static double capacity(Variant variant, int servers, int cost) {
        double perServer = (cost == 0 ? 4000 : 1000) * switch (variant) {
            case RI1_DIRECT -> 1.0;
            case RI1_PEAK -> 0.97;
            case RI1_HAPROXY -> 0.9;
            case RI1_NGINX -> 0.88;
            case RI2_PEAK -> 0.8;
            case RI2_MESH -> 0.3;
        };
        double proxyCap = variant == Variant.RI1_HAPROXY ? 6000 : variant == Variant.RI1_NGINX ? 5500 : 1e9;
        return Math.min(perServer * servers, proxyCap);
    }

    private static StaircaseRun run(Variant variant, int servers, int cost, int repeat, Random random, List<Cost> costs) {
        double capacity = capacity(variant, servers, cost) * (0.97 + 0.06 * random.nextDouble());
        double baseline = capacity(Variant.RI1_DIRECT, servers, cost);
        // RI1 PEAK at 2 servers and cost 0 outruns the generator: its staircase ends generator-bound
        double generatorLimit = variant == Variant.RI1_PEAK && servers == 2 && cost == 0 ? 7000 : 1e9;
        List<Level> levels = new ArrayList<>();
        int index = 1;
        for (double fraction : FRACTIONS) {
            levels.add(level(variant, servers, cost, repeat, index++, Level.FIXED, fraction, Math.round(fraction * baseline),
                    capacity, generatorLimit, random, costs));
        }
        StaircaseRun.Stop stop = StaircaseRun.Stop.FAILED;
        for (double rate = Math.round(0.75 * baseline * 1.3); ; rate = Math.round(rate * 1.3)) {
            Level level = level(variant, servers, cost, repeat, index++, "climb", null, rate, capacity, generatorLimit,
                    random, costs);
            levels.add(level);
            if (!level.passed()) {
                stop = level.verdict() == Verdict.GENERATOR_BOUND ? StaircaseRun.Stop.GENERATOR_BOUND : StaircaseRun.Stop.FAILED;
                break;
            }
        }
        Level max = Summaries.highestPassingOf(levels).orElse(null);
        Map<String, Long> perInstance = new LinkedHashMap<>();
        long served = levels.stream().filter(Level::passed).mapToLong(Level::ok).sum();
        double skew = variant == Variant.RI1_PEAK ? 0.04 : variant == Variant.RI1_NGINX ? 0.01 : 0.02;
        for (int i = 1; i <= servers; i++) {
            perInstance.put(variant.servedBy() + i, Math.round(served * (1.0 / servers + (servers > 1 ? (i == 1 ? skew : -skew) : 0))));
        }
        return new StaircaseRun(variant.id(), servers, cost, repeat, Map.of("server", 0.2, "proxy", 0.2), levels,
                max == null ? null : max.rate(), stop, BalanceIndex.of(perInstance), max == null ? Map.of() : max.calls(),
                String.format(Locale.ROOT, "staircases/%s-%ds-cost%d-rep%d/gatling/run/index.html", variant, servers, cost,
                        repeat), new WarmUpOutcome(6, true, 210, null, 0));
    }

    private static Level level(Variant variant, int servers, int cost, int repeat, int index, String kind, Double fraction,
                               double rate, double capacity, double generatorLimit, Random random, List<Cost> costs) {
        double load = rate / capacity;
        double hops = switch (variant.entry()) {
            case DIRECT -> 0;
            case DNS -> 0.05;
            case HAPROXY, NGINX -> 0.25;
            case MESH -> 1.5;
        };
        double p50 = 0.3 + hops + 0.5 * load * load;
        double p99 = load < 0.95 ? 2 + 4 * hops + 10 * load * load : 60 + 80 * load;
        double errorRate = load > 1.08 ? 0.03 : 0;
        long total = Math.round(rate * 4);
        long ko = Math.round(total * errorRate);
        boolean generatorBound = rate > generatorLimit;
        Verdict verdict = Metrics.verdict(errorRate, 0, ERROR_LIMIT, p99, SLO_MS, generatorBound, false, false);
        Percentiles primary = new Percentiles(total - ko, p50, p50 * 2, p50 * 2.5, p99, p99 * 2);
        Map<String, Percentiles> calls = new LinkedHashMap<>();
        calls.put(variant.primaryCall(), primary);
        calls.put("transaction", variant == Variant.RI2_PEAK
                ? new Percentiles(total - ko, p50 + 0.2, p50 * 2 + 0.3, p50 * 2.5 + 0.4, p99 + 0.8, p99 * 2) : primary);
        boolean throttled = load > 0.7 && random.nextBoolean();
        double achieved = Math.min(rate, capacity) * (0.99 + 0.02 * random.nextDouble());
        Level level = new Level(index, kind, fraction, rate, achieved, total - ko, ko, 0, Math.round(rate / 10 * 4), primary,
                verdict, Verdict.PASS.equals(verdict), generatorBound ? 0.95 : Math.min(0.9, rate * 90e-6), throttled ? 0.03 : 0,
                throttled ? variant.servedBy() + "1" : null, throttled ? List.of(Level.THROTTLED) : List.of(), calls,
                Map.of(variant.servedBy() + "1", total - ko));
        double server = (cost == 0 ? 60 : 130) * (variant.withB() ? 1.6 : 1);
        Map<String, Double> roles = new LinkedHashMap<>();
        roles.put("service-a", variant.withB() ? server * 0.4 + (variant == Variant.RI2_MESH ? 90 : 0) : server);
        if (variant.withB()) {
            roles.put("service-b", server * 0.6);
        }
        switch (variant.entry()) {
            case DNS -> roles.put("peak-dns", 0.6);
            case HAPROXY, NGINX -> roles.put("proxy", variant == Variant.RI1_HAPROXY ? 24.0 : 28.0);
            case MESH -> {
                roles.put("ingress", 40.0);
                roles.put("sidecar", 110.0);
            }
            case DIRECT -> { }
        }
        roles.put("generator", 95.0);
        roles.forEach((role, us) -> costs.add(new Cost(variant.id(), servers, cost, repeat, index, kind, fraction, rate,
                achieved, role, role.equals("sidecar") ? 2 * servers : role.startsWith("service") ? servers : 1,
                us * (0.95 + 0.1 * random.nextDouble()), throttled && role.startsWith("service") ? 3 : 0, throttled ? 12 : 0)));
        return level;
    }

    private static List<FaultResult> faults(Random random) {
        return List.of(
                fault("ri1-peak", FaultKind.KILL_SERVER, 400, 3, random),
                fault("ri1-haproxy", FaultKind.KILL_SERVER, 400, 1, random),
                fault("ri1-haproxy", FaultKind.KILL_PROXY, 400, NEVER, random),
                fault("ri1-peak", FaultKind.KILL_DNS_REPLICA, 400, 1, random));
    }

    /**
     * 30 s at {@code rate}, the fault in second 10: {@code dip} seconds of errors, then back to the baseline,
     * or never back with {@link #NEVER} (the proxy died).
     */
    private static FaultResult fault(String variant, FaultKind kind, double rate, int dip, Random random) {
        List<Second> timeline = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            long noise = Math.round(random.nextGaussian() * 4);
            long ok;
            long ko;
            if (t < 10) {
                ok = Math.round(rate) + noise;
                ko = 0;
            } else if (dip == NEVER) {
                ok = 0;
                ko = Math.round(rate);
            } else if (t < 10 + dip) {
                ko = Math.round(rate * (0.5 - 0.15 * (t - 10)));
                ok = Math.round(rate) - ko;
            } else {
                ok = Math.round(rate) + noise;
                ko = 0;
            }
            timeline.add(new Second(t, ok, ko));
        }
        return FaultResult.of(variant, kind, 2, 1000, rate, 10, timeline);
    }
}
