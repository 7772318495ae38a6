package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.peak.driver.results.Manifest;
import dev.peak.driver.results.StaircaseRun;
import dev.peak.driver.results.Verdict;
import dev.peak.driver.variant.Variant;

/** What a reader needs to rerun the experiment: commit, versions, machine, budgets, client model, plan. */
public final class Manifests {

    private Manifests() {
    }

    /** The commit of each checkout, read once: the code a run measures is the one it started with. */
    private static final Map<Path, String> COMMITS = new ConcurrentHashMap<>();

    /**
     * @param finished when the run ended; null while it has not (partial)
     * @param partial  whether the run is still going or was interrupted
     * @param notes   notes of the run itself (a resumption), before those of the platform
     */
    public static Manifest of(ExperimentOptions o, Platform platform, Instant started, Instant finished,
                       Map<Variant.Group, Double> miniature, List<StaircaseRun> runs, boolean partial, List<String> notes) {
        Platform.Setup setup = platform.setup();
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        versions.putAll(setup.versions());
        versions.put("gatling", jarVersion(o.projectRoot().resolve("loadtests/simulations/target/lib"), "gatling-core-"));
        versions.put("quarkus", jarVersion(o.projectRoot().resolve("service-a/target/quarkus-app/lib/main"), "io.quarkus.quarkus-core-"));
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpuModel", cpuModel());
        machine.put("memoryGiB", memoryGiB());
        Profile p = o.profile();
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("platform", platform.kind().id());
        plan.put("variants", o.variants().stream().map(Variant::id).toList());
        plan.put("servers", p.servers());
        plan.put("costs", p.costs());
        plan.put("repeats", p.repeats());
        plan.put("warmUpSeconds", p.warmUp().toSeconds());
        plan.put("warmUpRequestsPerServer", WarmUp.REQUESTS_PER_SERVER);
        plan.put("warmUpTailSeconds", List.of(WarmUp.TAIL_S, WarmUp.MAX_TAIL_S));
        plan.put("settleSeconds", p.settle().toMillis() / 1000.0);
        plan.put("levelSeconds", p.window().toSeconds());
        Map<String, List<Double>> fractions = new LinkedHashMap<>();
        p.fixedFractions().forEach((group, list) -> fractions.put(group.name(), list));
        plan.put("fixedFractions", fractions);
        plan.put("search", p.search());
        plan.put("startRpsPerServer", p.startPerServer());
        plan.put("growth", p.growth());
        plan.put("maxLevels", p.maxLevels());
        plan.put("refineSteps", p.refineSteps());
        plan.put("k", o.k());
        plan.put("errorLimit", o.errorLimit());
        plan.put("sloMs", o.sloMs());
        plan.put("quotaStopShare", Staircase.EXHAUSTED_SHARE);
        plan.put("faultServers", p.faultServers());
        plan.put("faultSeconds", p.faultDuration().toSeconds());
        plan.put("faultFraction", o.faultFraction());
        notes = new ArrayList<>(notes);
        notes.addAll(setup.notes());
        long generatorBound = runs.stream().flatMap(r -> r.levels().stream())
                .filter(l -> Verdict.GENERATOR_BOUND.equals(l.verdict())).count();
        if (generatorBound > 0) {
            notes.add(generatorBound + " level(s) were generator-bound: the load generator, not the system, reached its "
                    + "limit there; those staircases end at a lower bound of the capacity.");
        }
        Map<String, Double> factors = new LinkedHashMap<>();
        miniature.forEach((group, factor) -> factors.put(group.name(), factor));
        if (!factors.isEmpty()) {
            notes.add("Miniature mode: every budget of the system was multiplied by " + factors + " (per reference "
                    + "implementation, ratios between roles kept) so that the largest server count fits this machine; "
                    + "its throughputs are those of small servers, and only their ratios and scaling carry over.");
        }
        return new Manifest(p.name(), o.commandLine(), COMMITS.computeIfAbsent(o.projectRoot(), Manifests::gitCommit),
                started.toString(), finished == null ? null : finished.toString(), versions, machine,
                setup.cpuBudgets(), setup.cpuEnforcement(), factors, o.clientModel(), plan, notes, partial);
    }

    private static String gitCommit(Path root) {
        try {
            return Commands.run("git", "-C", root.toString(), "rev-parse", "HEAD").strip()
                    + (Commands.run("git", "-C", root.toString(), "status", "--porcelain").isBlank() ? "" : " (with local changes)");
        } catch (CommandException e) {
            return "unknown (not a git checkout)";
        }
    }

    private static String jarVersion(Path lib, String prefix) {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.map(j -> j.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".jar"))
                    .map(n -> n.substring(prefix.length(), n.length() - 4)).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memoryGiB() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> String.format("%.1f", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
