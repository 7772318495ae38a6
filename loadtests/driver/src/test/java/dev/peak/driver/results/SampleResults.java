package dev.peak.driver.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A small hand-made experiment: every variant at 1 and 2 servers, 2 repeats, one fault run of each kind (and a
 * kill-server for each RI1 balancer). The numbers are invented but shaped like a real run, including a
 * generator-bound staircase and a proxy that does not come back.
 */
final class SampleResults {

    static final double SLO_MS = 25;
    static final double ERROR_LIMIT = 0.01;
    static final List<Integer> SERVERS = List.of(1, 2);
    static final int REPEATS = 2;
    private static final int NEVER = -1;

    private SampleResults() {
    }

    static Results create() {
        Random random = new Random(42);
        List<Run> runs = new ArrayList<>();
        for (String variant : Variants.ORDER) {
            for (int servers : SERVERS) {
                for (int repeat = 1; repeat <= REPEATS; repeat++) {
                    runs.add(run(variant, servers, repeat, random));
                }
            }
        }
        List<Fault> faults = List.of(
                fault(Variants.RI1_PEAK, Fault.KILL_SERVER, 400, 3, random),
                fault(Variants.RI1_HAPROXY, Fault.KILL_SERVER, 400, 1, random),
                fault(Variants.RI1_NGINX, Fault.KILL_SERVER, 400, 2, random),
                fault(Variants.RI1_HAPROXY, Fault.KILL_PROXY, 400, NEVER, random),
                fault(Variants.RI1_PEAK, Fault.KILL_DNS_REPLICA, 400, 1, random));
        return Results.of(manifest(), runs, faults);
    }

    static Manifest manifest() {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("platform", "local");
        plan.put("servers", List.of(1, 2));
        plan.put("repeats", REPEATS);
        plan.put("stepSeconds", 20);
        plan.put("sloMs", SLO_MS);
        plan.put("errorLimit", ERROR_LIMIT);
        return new Manifest("sample", "loadtests/scale.sh bench --profile sample", "0123456789abcdef0123456789abcdef01234567",
                "2025-05-01T10:00:00Z", "2025-05-01T11:42:00Z",
                Map.of("java", "17.0.15", "gatling", "3.14.9", "haproxy", "2.6.12", "nginx", "1.22.1"),
                Map.of("cpus", "2", "cpuModel", "Intel Xeon (sample)", "memory", "4 GiB", "kernel", "6.1.0"),
                Map.of("server", 0.5, "proxy", 1.0, "load", 1.0), "cgroup v1 CPU quota",
                "open model, Poisson arrivals, one connection per session", plan,
                List.of("Sample data written by the tests: not a measurement."));
    }

    /** Capacity in sessions/s of one server, and the cap of a single proxy in front of them. */
    private static double capacity(String variant, int servers) {
        double perServer = switch (variant) {
            case Variants.RI1_DIRECT -> 900;
            case Variants.RI1_PEAK -> 860;
            case Variants.RI1_HAPROXY -> 800;
            case Variants.RI1_NGINX -> 780;
            case Variants.RI2_PEAK -> 300;
            default -> 210;
        };
        double proxyCap = variant.equals(Variants.RI1_HAPROXY) ? 1450 : variant.equals(Variants.RI1_NGINX) ? 1380 : 1e9;
        return Math.min(perServer * servers, proxyCap);
    }

    private static Run run(String variant, int servers, int repeat, Random random) {
        double capacity = capacity(variant, servers) * (0.97 + 0.06 * random.nextDouble());
        int perSession = variant.equals(Variants.RI2_PEAK) ? 2 : 1;
        double stepSize = Variants.isRi2(variant) ? 50 : 100;
        // RI1 PEAK at 2 servers outruns the generator's one CPU: its staircase ends generator-bound
        double generatorLimit = variant.equals(Variants.RI1_PEAK) && servers == 2 ? 1500 : 1e9;
        List<Step> steps = new ArrayList<>();
        for (double rate = stepSize; ; rate += stepSize) {
            double load = rate / capacity;
            double generatorCpu = Math.min(1.0, rate * perSession / 1700.0);
            boolean generatorBound = rate > generatorLimit;
            double p50 = 1.2 + 2 * load * load + (Variants.isRi2(variant) ? 3 : 0);
            double p99 = load < 0.95 ? 4 + 12 * load * load + (Variants.isRi2(variant) ? 6 : 0) : 40 + 30 * load;
            double errorRate = load > 1.08 ? 0.03 : 0;
            long total = Math.round(rate * perSession * 20);
            long ko = Math.round(total * errorRate);
            double achieved = Math.min(rate, capacity) * perSession * (0.995 + 0.004 * random.nextDouble());
            String verdict = Metrics.verdict(errorRate, ERROR_LIMIT, p99, SLO_MS, generatorBound);
            steps.add(new Step(rate, achieved, total - ko, ko, p50, p50 * 2.1, p99, p99 * 2.5,
                    verdict.equals(Step.PASS), verdict, generatorBound ? 0.99 : generatorCpu,
                    String.format(Locale.ROOT, "gatling/%s-n%d-r%d-%.0f/index.html", variant, servers, repeat, rate)));
            if (!verdict.equals(Step.PASS)) {
                break;
            }
        }
        Step max = Metrics.highestPassing(steps).orElseThrow();
        Map<String, Long> perInstance = new LinkedHashMap<>();
        long served = steps.stream().mapToLong(Step::ok).sum() / perSession;
        double skew = variant.equals(Variants.RI1_PEAK) ? 0.04 : variant.equals(Variants.RI1_NGINX) ? 0.01 : 0.02;
        for (int i = 1; i <= servers; i++) {
            double share = 1.0 / servers + (servers > 1 ? (i == 1 ? skew : -skew) : 0);
            perInstance.put("a-" + i, Math.round(served * share));
        }
        if (Variants.isRi2(variant)) {
            for (int i = 1; i <= servers; i++) {
                perInstance.put("b-" + i, Math.round(served * (1.0 / servers + (servers > 1 ? (i == 1 ? -0.01 : 0.01) : 0))));
            }
        }
        return new Run(variant, servers, repeat, steps, max.achievedRps(), Balance.of(perInstance),
                calls(variant, max));
    }

    private static Map<String, Percentiles> calls(String variant, Step max) {
        Map<String, Percentiles> calls = new LinkedHashMap<>();
        long count = max.ok();
        switch (variant) {
            case Variants.RI2_PEAK -> {
                calls.put("session", new Percentiles(count / 2, 6.8, 14.0, 19.5, 48.0));
                calls.put("token", new Percentiles(count / 2, 2.9, 6.1, 8.4, 22.0));
                calls.put("b", new Percentiles(count / 2, 3.6, 7.4, 10.2, 25.0));
            }
            case Variants.RI2_MESH -> {
                calls.put("session", new Percentiles(count, 9.4, 17.2, 23.1, 61.0));
                calls.put("chain", new Percentiles(count, 9.4, 17.2, 23.1, 61.0));
            }
            default -> {
                calls.put("session", new Percentiles(count, max.p50Ms(), max.p95Ms(), max.p99Ms(), max.maxMs()));
                calls.put("work", new Percentiles(count, max.p50Ms(), max.p95Ms(), max.p99Ms(), max.maxMs()));
            }
        }
        return calls;
    }

    /**
     * 30 s at {@code rate}, the fault in second 10: {@code dip} seconds of errors, then back to the baseline,
     * or never back with {@link #NEVER} (the proxy died).
     */
    private static Fault fault(String variant, String kind, double rate, int dip, Random random) {
        List<Second> timeline = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            long noise = Math.round(random.nextGaussian() * 4);
            long ok;
            long ko;
            if (t == 0) {
                ok = Math.round(rate * 0.6);
                ko = 0;
            } else if (t < 10) {
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
        return Fault.of(variant, kind, 2, rate, 10, timeline);
    }
}
