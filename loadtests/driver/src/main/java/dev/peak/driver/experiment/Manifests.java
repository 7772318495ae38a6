package dev.peak.driver.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import dev.peak.driver.lab.Commands;
import dev.peak.driver.lab.LabException;
import dev.peak.driver.results.Manifest;
import dev.peak.driver.results.Run;

/** What a reader needs to rerun the experiment: commit, versions, machine, budgets, client model, plan. */
final class Manifests {

    private Manifests() {
    }

    static Manifest of(ExperimentOptions o, String cpuEnforcement, Instant started, Instant finished, List<Run> runs) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        versions.put("haproxy", firstLine("haproxy", "-v"));
        versions.put("nginx", firstLine("nginx", "-v"));
        versions.put("gatling", jarVersion(o.projectRoot().resolve("loadtests/simulations/target/lib"), "gatling-core-"));
        versions.put("quarkus", jarVersion(o.projectRoot().resolve("service-a/target/quarkus-app/lib/main"), "io.quarkus.quarkus-core-"));
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpuModel", cpuModel());
        machine.put("memoryGiB", memoryGiB());
        Map<String, Double> budgets = new LinkedHashMap<>();
        budgets.put("server", o.budgets().server());
        budgets.put("proxy", o.budgets().proxy());
        budgets.put("peakDns", o.budgets().proxy());
        budgets.put("loadGenerator", o.budgets().load());
        Profile p = o.profile();
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("variants", o.variants().stream().map(BenchVariant::id).toList());
        plan.put("servers", p.servers());
        plan.put("repeats", p.repeats());
        plan.put("stepSeconds", p.stepDuration().toSeconds());
        plan.put("startRpsPerServer", p.start());
        plan.put("incrementRpsPerServer", p.increment());
        plan.put("maxSteps", p.maxSteps());
        plan.put("confirmFailures", p.confirm());
        plan.put("refine", p.refine());
        plan.put("k", o.k());
        plan.put("cost", o.cost());
        plan.put("errorLimit", o.errorLimit());
        plan.put("sloMs", o.sloMs());
        plan.put("faultServers", p.faultServers());
        plan.put("faultSeconds", p.faultDuration().toSeconds());
        plan.put("faultFraction", o.faultFraction());
        List<String> notes = new ArrayList<>();
        notes.add("ri2-mesh is a sidecar emulation (HAProxy sidecars with mutual TLS, the data path of Istio), not Istio itself.");
        notes.add("Open-source nginx has passive health checks only; HAProxy, the sidecars and peak-dns probe actively "
                + "(1 s interval, 2 failures to leave).");
        int cpus = Runtime.getRuntime().availableProcessors();
        int most = p.servers().stream().mapToInt(Integer::intValue).max().orElse(1);
        double ri1 = most * o.budgets().server() + o.budgets().proxy() + o.budgets().load();
        double mesh = 2 * most * (o.budgets().server() + o.budgets().proxy()) + o.budgets().proxy() + o.budgets().load();
        if (ri1 > cpus) {
            notes.add(String.format(Locale.ROOT, "At %d servers the CPU budgets add up to %.1f CPUs for RI1 (servers, proxy "
                    + "or peak-dns, load generator) and %.1f for the mesh, on a machine with %d: the budgets are ceilings "
                    + "the machine cannot grant all at once, so there an added server adds less than its budget and "
                    + "every variant's scaling is bent the same way.", most, ri1, mesh, cpus));
        }
        long generatorBound = runs.stream().flatMap(r -> r.steps().stream())
                .filter(s -> "generator-bound".equals(s.verdict())).count();
        if (generatorBound > 0) {
            notes.add(generatorBound + " step(s) were generator-bound: the load generator, not the system, reached its "
                    + "limit there; those staircases end at a lower bound of the capacity.");
        }
        return new Manifest(p.name(), o.commandLine(), gitCommit(o.projectRoot()), started.toString(), finished.toString(),
                versions, machine, budgets, cpuEnforcement, o.clientModel(), plan, notes);
    }

    private static String gitCommit(Path root) {
        try {
            return Commands.run("git", "-C", root.toString(), "rev-parse", "HEAD").strip()
                    + (Commands.run("git", "-C", root.toString(), "status", "--porcelain").isBlank() ? "" : " (with local changes)");
        } catch (LabException e) {
            return "unknown (not a git checkout)";
        }
    }

    private static String firstLine(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Process process = builder.start();
            String text = new String(process.getInputStream().readAllBytes()).strip();
            process.waitFor();
            return text.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
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
