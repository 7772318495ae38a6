package dev.peak.driver.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.peak.driver.kubernetes.KubernetesOptions;
import dev.peak.driver.kubernetes.KubernetesPlatform;
import dev.peak.driver.lab.CpuBudgetOptions;
import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.results.ReportWriter;
import dev.peak.driver.results.Results;
import dev.peak.driver.variant.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scale.sh bench}: the scaling experiment and the fault runs on the local lab or a Kubernetes cluster,
 * then the report (make bench).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure every variant: per server count and work cost, one warm generator runs fixed rates and a "
                + "staircase until a level fails; then fault runs; then results/<UTC time>/ with results.json, "
                + "results.csv and index.html."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", defaultValue = "quick",
            description = "smoke (~15 min), quick (~22 min) or full (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--platform", defaultValue = "local",
            description = "local: the lab on this machine; kubernetes: the variants deployed on the cluster of the "
                    + "current kubeconfig context (default: ${DEFAULT-VALUE})")
    String platform;

    @Option(names = "--variants", description = "Comma-separated (default: all; on kubernetes all but ri1-direct)")
    String variants;

    @Option(names = "--k", defaultValue = "10", description = "Requests per client session (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--costs", split = ",",
            description = "Work per request, chained SHA-256 rounds, comma-separated: server CPU per request; 0 measures "
                    + "the infrastructure alone (default: the profile's, quick and full 0,1000)")
    List<Integer> costs;

    @Option(names = "--servers", split = ",", description = "Server counts, comma-separated (default: the profile's)")
    List<Integer> servers;

    @Option(names = "--miniature",
            description = "Shrink every budget of the system, ratios kept, so that the largest server count of the plan "
                    + "fits this machine (per reference implementation); its figures are labelled as such")
    boolean miniature;

    @Option(names = "--error-limit", defaultValue = "0.01", description = "A step fails above this error rate (default: ${DEFAULT-VALUE})")
    double errorLimit;

    @Option(names = "--slo-ms", defaultValue = "100", description = "A step fails when p99 exceeds this (default: ${DEFAULT-VALUE})")
    double sloMs;

    @Option(names = "--no-faults", description = "Skip the fault runs")
    boolean noFaults;

    @Option(names = "--fault-fraction", defaultValue = "0.5", description = "Fault runs' rate, as a fraction of the capacity (default: ${DEFAULT-VALUE})")
    double faultFraction;

    @Mixin
    CpuBudgetOptions cpus;

    @Mixin
    KubernetesOptions kubernetes;

    @Option(names = "--results", description = "Where results/<UTC time>/ goes (default: <project>/results)")
    Path results;

    @Override
    public Integer call() throws Exception {
        Path root = LabCommand.projectRoot();
        Path base = results != null ? results : root.resolve("results");
        Path dir = base.resolve(LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")));
        boolean onKubernetes = switch (platform) {
            case "local" -> false;
            case "kubernetes" -> true;
            default -> throw new IllegalArgumentException("--platform must be local or kubernetes, not " + platform);
        };
        if (!onKubernetes && kubernetes.loadInCluster()) {
            throw new IllegalArgumentException("--load-in-cluster needs --platform kubernetes");
        }
        List<Variant> measuring = variants != null ? Variant.parse(variants)
                : onKubernetes ? KubernetesPlatform.variants() : List.of(Variant.values());
        Profile plan = Profile.of(profile);
        if (costs != null) {
            plan = plan.withCosts(costs);
        }
        if (servers != null) {
            plan = plan.withServers(servers);
        }
        ExperimentOptions options = new ExperimentOptions(plan, measuring, k, errorLimit, sloMs, !noFaults, faultFraction,
                cpus.budgets(), cpus.enforcement(), miniature, root, dir,
                "scale.sh " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        Results measured;
        try (Platform where = onKubernetes ? KubernetesPlatform.connect(kubernetes, options) : new LocalPlatform(options)) {
            Files.createDirectories(dir);
            System.out.printf("Profile %s, variants %s on %s; results in %s%n", options.profile().name(),
                    measuring.stream().map(Variant::id).collect(Collectors.joining(",")), where.name(), dir);
            measured = new Experiment(options, where, System.out).run();
        }
        ReportWriter.write(measured, dir);
        Path latest = base.resolve("latest");
        Path link = base.resolve("latest.tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, base.relativize(dir));
        Files.move(link, latest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println();
        System.out.print(ReportWriter.summaryTable(measured));
        System.out.println();
        System.out.println("Report: " + dir.resolve("index.html") + " (also " + latest.resolve("index.html") + ")");
        return 0;
    }
}
