package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.peak.driver.cpu.CpuBudgetOptions;
import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.lab.Instance;
import dev.peak.driver.lab.Lab;
import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.lab.LabOptions;
import dev.peak.driver.lab.OptionConverters;
import dev.peak.driver.lab.proxy.BalancePolicy;
import dev.peak.driver.results.Capacity;
import dev.peak.driver.results.ReportWriter;
import dev.peak.driver.results.SavedRun;
import dev.peak.driver.soak.Footprint;
import dev.peak.driver.soak.GcLog;
import dev.peak.driver.soak.Soak;
import dev.peak.driver.variant.Variant;
import dev.peak.measurement.LevelCommand;
import dev.peak.measurement.LevelMeasurement;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scale.sh soak}: each variant in the lab at a fixed share of its measured capacity for a long while (30
 * minutes by default), with every instance's resident memory, heap after GC and open descriptors, and the requests'
 * p99 and errors, sampled each minute. It fails when the last five minutes have grown past a stated bound over the
 * first five ({@link Soak}). soak.json is rewritten after every sample, so an interrupted soak keeps what it measured.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run variants at a fixed share of their measured capacity for a long while; sample every instance's "
                + "RSS, heap after GC, open file descriptors, and the p99 and errors, each interval; fail on growth.",
                "Writes soak.json in --results after every sample; exit code 1 when a check fails."})
public final class SoakCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The bench's default SLO: the warm-up's steps keep up when their median is within half of it. */
    private static final double SLO_MS = 100;

    @Option(names = "--variants", split = ",", defaultValue = "ri2-peak,ri2-mesh",
            converter = OptionConverters.VariantName.class, description = "Variants, one after the other (default: ${DEFAULT-VALUE})")
    List<Variant> variants;

    @Option(names = "--servers", defaultValue = "1", description = "Instances of each service (default: ${DEFAULT-VALUE})")
    int servers;

    @Mixin
    CpuBudgetOptions cpus;

    @Option(names = "--cost", defaultValue = "1000", description = "Work cost per request (default: ${DEFAULT-VALUE})")
    int cost;

    @Option(names = "--k", defaultValue = "10", description = "Requests per client session (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--fraction", defaultValue = "0.7", description = "The load, a fraction of each variant's capacity (default: ${DEFAULT-VALUE})")
    double fraction;

    @Option(names = "--minutes", defaultValue = "30", description = "How long each variant runs after its warm-up (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--interval-s", defaultValue = "60", description = "Seconds between samples (default: ${DEFAULT-VALUE})")
    int intervalS;

    @Option(names = "--window", defaultValue = "5",
            description = "Samples at the start and at the end that the checks compare (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--warm-up-s", defaultValue = "60",
            description = "At most this long, the bench's warm-up (budgets lifted), before its settling tail at the soak's "
                    + "rate; neither is sampled (default: ${DEFAULT-VALUE})")
    int warmUpS;

    @Option(names = "--from", defaultValue = "results/latest",
            description = "The bench results folder whose capacities the load is a fraction of (default: ${DEFAULT-VALUE})")
    Path from;

    @Option(names = "--capacity", description = "A variant's capacity in primary requests/s, instead of --from's: ri2-peak=1200")
    Map<String, Double> capacities = new HashMap<>();

    @Option(names = "--results", description = "Where soak.json goes (default: <project>/results/soak/<UTC time>)")
    Path results;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int planned = (int) Math.round(minutes * 60 / intervalS);
        if (servers < 1 || k < 1 || !(fraction > 0 && fraction <= 1) || intervalS < 1 || window < 1 || warmUpS < 1
                || planned < 2 * window) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--servers and --k must be at least 1, "
                    + "--fraction in (0, 1], and --minutes long enough for 2 × --window samples of --interval-s (%d "
                    + "samples of %d s fit in %.1f minutes)", planned, intervalS, minutes));
        }
        Path root = LabCommand.projectRoot();
        Map<Variant, Double> capacity = new LinkedHashMap<>();
        Map<Variant, String> source = new LinkedHashMap<>();
        for (Variant v : variants) {
            Double given = capacities.get(v.id());
            capacity.put(v, given != null ? given : measured(root.resolve(from), v));
            source.put(v, given != null ? "--capacity" : root.resolve(from).toRealPath().toString());
        }
        // the lab's own lookups go through peak-dns and must follow it, as in scale.sh lab
        Security.setProperty("networkaddress.cache.ttl", "0");
        Path dir = results != null ? results : root.resolve("results/soak").resolve(LabCommand.utcStamp());
        Files.createDirectories(dir);
        System.err.printf(Locale.ROOT, "soak · %s · %.0f %% of capacity · %d × %d s each after a %d-s warm-up · results in %s%n",
                variants.stream().map(Variant::id).collect(Collectors.joining(", ")), fraction * 100, planned, intervalS,
                warmUpS, dir);
        List<Soak> done = new ArrayList<>();
        for (Variant v : variants) {
            Soak.Settings settings = new Soak.Settings(v.id(), v.primaryCall(), servers, cpus.budgets().server(), cost, k,
                    capacity.get(v), source.get(v), fraction * capacity.get(v), intervalS, window, planned);
            done.add(soak(root, dir, v, settings, done));
        }
        System.out.print(summary(done));
        System.err.println("Results: " + dir.resolve("soak.json"));
        return done.stream().allMatch(s -> Boolean.TRUE.equals(s.passed())) ? 0 : 1;
    }

    /** One variant's soak; soak.json holds {@code before} and this one's samples so far after every sample. */
    private Soak soak(Path root, Path dir, Variant variant, Soak.Settings settings, List<Soak> before)
            throws IOException, InterruptedException {
        LabOptions options = new LabOptions(variant, servers, cpus.budgets(), cpus.enforcement(), 1, Duration.ofSeconds(1),
                BalancePolicy.ROUND_ROBIN, Optional.empty(), Duration.ofSeconds(120), root,
                dir.resolve(variant.id()).resolve("lab"), Map.of());
        try (Lab lab = Lab.start(options, System.err)) {
            LoadGenerator.Workload workload = new LoadGenerator.Workload(variant, k, cost, settings.rate(),
                    LoadGenerator.REQUEST_TIMEOUT);
            try (LoadGenerator.RunningLoad run = new LocalLoadGenerator(root, cpus.budgets(), false)
                    .start(lab, workload, dir.resolve(variant.id()).resolve("generator"))) {
                System.err.printf(Locale.ROOT, "%s · warm-up: budgets lifted for at most %d s, then %.0f/s until settled%n",
                        variant.id(), warmUpS, settings.rate());
                WarmUp.Done warm = new WarmUp(lab, new LevelMeter(lab, run, LoadGenerator.Listener.NOBODY),
                        variant.primaryCall(), SLO_MS, 0, WarmUp.MAX_TAIL_S).run(settings.rate(), settings.rate(),
                        WarmUp.REQUESTS_PER_SERVER * servers, Duration.ofSeconds(warmUpS), true, cpus.enforcement());
                if (!warm.outcome().settled()) {
                    System.err.printf(Locale.ROOT, "%s · not settled after the warm-up (%s stopped by its quota %.0f %% "
                            + "of the last step): the first samples may show it%n", variant.id(),
                            warm.outcome().mostThrottled(), 100 * warm.outcome().throttledShare());
                }
                Sampler sampler = new Sampler(lab.instances());
                List<LevelMeasurement> measured = new ArrayList<>();
                List<Map<String, Footprint>> footprints = new ArrayList<>();
                Soak soak = Soak.of(settings, measured, footprints);
                for (int n = 1; n <= settings.planned(); n++) {
                    measured.add(run.levels(List.of(new LevelCommand(warm.nextIndex() + n, settings.rate(), 0,
                                    intervalS * 1000L)),
                            LoadGenerator.Listener.NOBODY).get(0));
                    footprints.add(sampler.sample());
                    soak = Soak.of(settings, measured, footprints);
                    List<Soak> all = new ArrayList<>(before);
                    all.add(soak);
                    ReportWriter.writeAtomically(dir.resolve("soak.json"), JSON.writeValueAsBytes(all));
                    System.err.println(progress(soak));
                }
                return soak;
            }
        }
    }

    /** The capacity a bench measured for {@code variant} at this soak's servers, cost and CPU budgets. */
    double measured(Path folder, Variant variant) throws IOException {
        SavedRun run = SavedRun.read(folder);
        CpuBudgets budgets = cpus.budgets();
        Map<String, Double> theirs = run.results().manifest().cpuBudgets();
        if (!theirs.isEmpty() && (theirs.getOrDefault("server", budgets.server()) != budgets.server()
                || theirs.getOrDefault("proxy", budgets.proxy()) != budgets.proxy())) {
            throw new IllegalArgumentException(folder + " measured at " + theirs.get("server") + " CPU per server and "
                    + theirs.get("proxy") + " per proxy: give the same --cpus-per-server and --cpus-per-proxy, or --capacity "
                    + variant.id() + "=<requests/s>");
        }
        return run.results().capacities().stream()
                .filter(c -> c.variant().equals(variant.id()) && c.servers() == servers && c.cost() == cost)
                .mapToDouble(Capacity::maxRps).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(folder + " has no capacity for " + variant.id() + " at "
                        + servers + " server(s) and cost " + cost + " (it has: " + run.results().capacities().stream()
                        .map(c -> c.variant() + "/" + c.servers() + "/" + c.cost()).collect(Collectors.joining(", "))
                        + "): run make bench with them, or give --capacity " + variant.id() + "=<requests/s>"));
    }

    /**
     * Every instance's footprint. A JVM's heap is what a full collection leaves, forced with jcmd on every lab JVM at
     * once and read from its GC log: the soak samples between two intervals, when no load is offered, so that no
     * request waits for the collection (measured: forced under load, B's 389-ms pause at a fifth of a CPU had 25
     * requests shed behind it).
     */
    private static final class Sampler {
        private static final Duration LOG_WAIT = Duration.ofSeconds(5);
        private final List<Instance> instances;
        private final Map<String, GcLog> gcLogs = new HashMap<>();
        private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

        Sampler(List<Instance> instances) {
            this.instances = instances;
            for (Instance i : instances) {
                Path gc = i.log().resolveSibling(i.name() + ".gc.log");
                if (Files.exists(gc)) {
                    gcLogs.put(i.name(), new GcLog(gc));
                }
            }
            if (!gcLogs.isEmpty() && !Files.isExecutable(jcmd)) {
                throw new IllegalStateException("the soak collects the lab's JVMs with jcmd, which " + jcmd.getParent()
                        + " lacks: run it with a JDK (apt-get install openjdk-17-jdk-headless)");
            }
        }

        Map<String, Footprint> sample() throws IOException, InterruptedException {
            Map<String, Long> heaps = collect();
            Map<String, Footprint> now = new LinkedHashMap<>();
            for (Instance i : instances) {
                List<ProcessHandle> tree = new ArrayList<>();
                tree.add(i.process());
                i.process().descendants().forEach(tree::add);
                now.put(i.name(), Footprint.of(tree, heaps.get(i.name())));
            }
            return now;
        }

        /** Each live JVM's heap after a full collection forced now; absent where its log did not show one in time. */
        private Map<String, Long> collect() throws IOException, InterruptedException {
            for (GcLog log : gcLogs.values()) {
                log.heapAfterFullGc(); // skips what was logged before: only the collection forced now counts
            }
            List<Process> running = new ArrayList<>();
            for (Instance i : instances) {
                if (gcLogs.containsKey(i.name()) && i.alive()) {
                    running.add(new ProcessBuilder(jcmd.toString(), Long.toString(i.pid()), "GC.run")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
            }
            for (Process p : running) {
                if (!p.waitFor(LOG_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            Map<String, Long> heaps = new HashMap<>();
            long deadline = System.nanoTime() + LOG_WAIT.toNanos();
            while (heaps.size() < gcLogs.size() && System.nanoTime() < deadline) {
                for (Map.Entry<String, GcLog> log : gcLogs.entrySet()) {
                    if (!heaps.containsKey(log.getKey())) {
                        OptionalLong heap = log.getValue().heapAfterFullGc();
                        if (heap.isPresent()) {
                            heaps.put(log.getKey(), heap.getAsLong());
                        }
                    }
                }
                Thread.sleep(50);
            }
            return heaps;
        }
    }

    private static String progress(Soak soak) {
        Soak.Sample s = soak.samples().get(soak.samples().size() - 1);
        String instances = s.instances().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f%s MiB %d fds",
                e.getKey(), e.getValue().rssBytes() / 1048576.0, e.getValue().heapAfterGcBytes() == null ? ""
                        : String.format(Locale.ROOT, " (heap %.0f)", e.getValue().heapAfterGcBytes() / 1048576.0),
                e.getValue().fds())).collect(Collectors.joining(" · "));
        return String.format(Locale.ROOT, "%s %3d/%d · sent %d · failed %d · p99 %.1f ms · %s", soak.variant(), s.n(),
                soak.planned(), s.sent(), s.failed(), s.p99Ms(), instances);
    }

    /** The checks of every variant: first window against last, the limit, and the verdict. */
    static String summary(List<Soak> soaks) {
        StringBuilder text = new StringBuilder();
        for (Soak soak : soaks) {
            text.append(String.format(Locale.ROOT, "%n%s · %d server(s) at %.2f CPU · cost %d · %.0f/s (%.0f %% of %.0f) · "
                            + "first %d against last %d samples of %d s%n", soak.variant(), soak.servers(),
                    soak.cpusPerServer(), soak.cost(), soak.rate(), 100 * soak.rate() / soak.capacity(), soak.capacity(),
                    soak.window(), soak.window(), soak.intervalS()));
            text.append(String.format(Locale.ROOT, "  %-18s %-12s %10s %10s %10s  %s%n", "figure", "instance", "first",
                    "last", "limit", "verdict"));
            for (Soak.Check c : soak.checks()) {
                text.append(String.format(Locale.ROOT, "  %-18s %-12s %10.4g %10.4g %10.4g  %s%n", c.what(), c.instance(),
                        c.first(), c.last(), c.limit(), c.passed() ? "ok" : "GREW"));
            }
            text.append(soak.passed() == null ? "  interrupted: " + soak.samples().size() + " of " + soak.planned()
                    + " samples\n" : soak.passed() ? "  passed\n" : "  FAILED\n");
        }
        return text.toString();
    }
}
