package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.peak.driver.cpu.CpuBudgetOptions;
import dev.peak.driver.lab.Lab;
import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.lab.LabOptions;
import dev.peak.driver.lab.OptionConverters;
import dev.peak.driver.lab.proxy.BalancePolicy;
import dev.peak.driver.results.Metrics;
import dev.peak.driver.results.Overload;
import dev.peak.driver.variant.Variant;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;
import dev.peak.measurement.Tick;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scale.sh overload}: what a server does past its limit. One variant comes up in the lab; a warm generator
 * offers half its capacity, then {@code --factor} times its capacity for {@code --overload-s} seconds at a fixed
 * rate (an open model: clients keep arriving whatever the answers), then half again. Every second is its own level,
 * so that each request counts in the second it was sent: how many were answered, shed (503 at once) or lost to
 * timeouts, the p99 of the answered ones, and how long after the overload the server answers normally again.
 */
@Command(name = "overload", mixinStandardHelpOptions = true,
        description = {"Offer a server a multiple of its capacity for a while, then its normal load: requests answered, "
                + "shed and timed out, the p99 of those answered, and the time to answer normally again.",
                "Writes overload.json in --results and prints the figures."})
public final class OverloadCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The measured seconds at the base rate before the overload, the reference for "normal". */
    private static final int BASELINE_S = 10;

    @Option(names = "--variant", defaultValue = "ri1-direct", converter = OptionConverters.VariantName.class,
            description = "The variant (default: ${DEFAULT-VALUE}: clients straight to the servers)")
    Variant variant;

    @Option(names = "--servers", defaultValue = "1", description = "Instances of each service (default: ${DEFAULT-VALUE})")
    int servers;

    @Mixin
    CpuBudgetOptions cpus;

    @Option(names = "--capacity", required = true,
            description = "The servers' capacity in primary requests/s at this cost and budget, e.g. a bench's maximum")
    double capacity;

    @Option(names = "--factor", defaultValue = "3", description = "The overload, a multiple of --capacity (default: ${DEFAULT-VALUE})")
    double factor;

    @Option(names = "--overload-s", defaultValue = "15", description = "How long the overload lasts, s (default: ${DEFAULT-VALUE})")
    int overloadS;

    @Option(names = "--after-s", defaultValue = "30", description = "Seconds measured after it (default: ${DEFAULT-VALUE})")
    int afterS;

    @Option(names = "--base-fraction", defaultValue = "0.5",
            description = "The load before and after, a fraction of --capacity (default: ${DEFAULT-VALUE})")
    double baseFraction;

    @Option(names = "--warm-up-s", defaultValue = "20", description = "Warm-up at the base rate, s (default: ${DEFAULT-VALUE})")
    int warmUpS;

    @Option(names = "--cost", defaultValue = "100", description = "Work cost per request (default: ${DEFAULT-VALUE})")
    int cost;

    @Option(names = "--k", defaultValue = "10", description = "Requests per client session (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--max-in-flight",
            description = "The services' peak.http.max-in-flight: 0 sheds nothing (default: the services' own setting)")
    Integer maxInFlight;

    @Option(names = "--max-event-loop-delay",
            description = "The services' peak.http.max-event-loop-delay, e.g. 20ms: 0 sheds nothing (default: the services' own setting)")
    String maxEventLoopDelay;

    @Option(names = "--results", description = "Where overload.json goes (default: <project>/results/overload/<UTC time>)")
    Path results;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!(capacity > 0) || !(factor > 1) || overloadS < 1 || afterS < 2 || !(baseFraction > 0 && baseFraction < 1)
                || warmUpS < 1 || k < 1 || (maxInFlight != null && maxInFlight < 0)) {
            throw new IllegalArgumentException("--capacity must be above 0, --factor above 1, --base-fraction between 0 "
                    + "and 1, --overload-s and --warm-up-s at least 1, --after-s at least 2, --max-in-flight 0 or more");
        }
        // the lab's own lookups go through peak-dns and must follow it, as in scale.sh lab
        Security.setProperty("networkaddress.cache.ttl", "0");
        Path root = LabCommand.projectRoot();
        Path dir = results != null ? results : root.resolve("results/overload").resolve(LabCommand.utcStamp());
        Files.createDirectories(dir);
        double baseRate = baseFraction * capacity;
        double overloadRate = factor * capacity;
        Map<String, String> shedding = new TreeMap<>();
        if (maxInFlight != null) {
            shedding.put("peak.http.max-in-flight", Integer.toString(maxInFlight));
        }
        if (maxEventLoopDelay != null) {
            shedding.put("peak.http.max-event-loop-delay", maxEventLoopDelay);
        }
        LabOptions options = new LabOptions(variant, servers, cpus.budgets(), cpus.enforcement(), 1, Duration.ofSeconds(1),
                BalancePolicy.ROUND_ROBIN, Optional.empty(), Duration.ofSeconds(120), root, dir.resolve("lab"), shedding);
        List<LevelCommand> warmUp = List.of(new LevelCommand(0, baseRate, 0, warmUpS * 1000L));
        List<LevelCommand> baseline = seconds(1, BASELINE_S, baseRate);
        List<LevelCommand> overload = seconds(1000, overloadS, overloadRate);
        List<LevelCommand> after = seconds(2000, afterS, baseRate);
        List<LevelCommand> plan = new ArrayList<>(warmUp);
        plan.addAll(baseline);
        plan.addAll(overload);
        plan.addAll(after);
        System.err.printf(Locale.ROOT, "overload · %s · %d server(s) at %.2f CPU · %.0f/s, then %.0f/s for %d s, then %.0f/s "
                        + "for %d s · shedding %s · results in %s%n", variant, servers, cpus.budgets().server(),
                baseRate, overloadRate, overloadS, baseRate, afterS, shedding.isEmpty() ? "as configured" : shedding, dir);
        try (Lab lab = Lab.start(options, System.err)) {
            LoadGenerator.Workload workload = new LoadGenerator.Workload(variant, k, cost, overloadRate,
                    LoadGenerator.REQUEST_TIMEOUT);
            List<LevelMeasurement> measured = new ArrayList<>();
            try (LoadGenerator.RunningLoad run = new LocalLoadGenerator(root, cpus.budgets(), false)
                    .start(lab, workload, dir.resolve("generator"))) {
                new LevelMeter(lab, run, live()).run(plan).forEach(m -> measured.add(m.measurement()));
            }
            int from = warmUp.size();
            Overload result = Overload.of(variant.id(), servers, cpus.budgets().server(), cost, k, capacity, baseRate,
                    overloadRate, shedding, variant.primaryCall(),
                    measured.subList(from, from + baseline.size()),
                    measured.subList(from + baseline.size(), from + baseline.size() + overload.size()),
                    measured.subList(from + baseline.size() + overload.size(), measured.size()));
            JSON.writeValue(dir.resolve("overload.json").toFile(), result);
            System.out.print(summary(result));
            System.err.println("Results: " + dir.resolve("overload.json"));
            return 0;
        }
    }

    /** One level per second, numbered from {@code first}. */
    private static List<LevelCommand> seconds(int first, int count, double rate) {
        List<LevelCommand> levels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            levels.add(new LevelCommand(first + i, rate, 0, 1000));
        }
        return levels;
    }

    /** Each second as it ends, on standard error: the run lasts about a minute. */
    private static LoadGenerator.Listener live() {
        return new LoadGenerator.Listener() {
            @Override
            public void tick(Tick tick) {
                String phase = tick.level() < 1 ? "warm-up" : tick.level() < 1000 ? "baseline"
                        : tick.level() < 2000 ? "OVERLOAD" : "after";
                System.err.printf(Locale.ROOT, "  %-8s offered %6.0f/s · ended: ok %6d · shed %6d · failed %6d%n", phase,
                        tick.rate(), tick.ok(), tick.shed(), tick.ko() - tick.shed());
            }
        };
    }

    static String summary(Overload r) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%s · %d server(s) at %.2f CPU · cost %d · k %d · capacity %.0f/s · shedding %s%n", r.variant(),
                r.servers(), r.cpusPerServer(), r.cost(), r.k(), r.capacity(),
                r.shedding().isEmpty() ? "as configured" : r.shedding()));
        text.append(String.format(Locale.ROOT, "%-22s %8s %8s %8s %9s %10s %10s%n", "phase", "sent", "ok", "shed",
                "timed out", "goodput/s", "p99 ok ms"));
        for (var row : List.of(Map.entry(String.format(Locale.ROOT, "before, %.0f/s", r.baseRate()), r.baseline()),
                Map.entry(String.format(Locale.ROOT, "overload, %.0f/s", r.overloadRate()), r.overload()))) {
            Overload.Phase p = row.getValue();
            text.append(String.format(Locale.ROOT, "%-22s %8d %8d %8d %9d %10.0f %10.1f%n", row.getKey(), p.sent(), p.ok(),
                    p.shed(), p.timedOut(), p.goodput(), p.accepted().p99Ms()));
        }
        text.append("seconds after the overload (requests by the second they were sent):\n");
        for (Overload.OverloadSecond s : r.timeline()) {
            if (s.t() >= r.overloadS()) {
                text.append(String.format(Locale.ROOT, "  +%2d s  ok %6d  shed %6d  timed out %6d  p99 %8.1f ms%n",
                        s.t() - r.overloadS(), s.ok(), s.shed(), s.timedOut(), s.p99Ms()));
            }
        }
        text.append(r.recoveryS() == Metrics.NOT_RECOVERED ? "not answering normally again within the run\n"
                : String.format(Locale.ROOT, "answering normally again %.0f s after the overload%n", r.recoveryS()));
        return text.toString();
    }
}
