package dev.peak.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.peak.driver.cpu.CpuBudgetOptions;
import dev.peak.driver.experiment.Experiment;
import dev.peak.driver.experiment.ExperimentOptions;
import dev.peak.driver.experiment.Manifests;
import dev.peak.driver.experiment.Platform;
import dev.peak.driver.experiment.Profile;
import dev.peak.driver.experiment.Resumption;
import dev.peak.driver.kubernetes.KubernetesOptions;
import dev.peak.driver.kubernetes.KubernetesPlatform;
import dev.peak.driver.lab.LabCommand;
import dev.peak.driver.lab.LocalPlatform;
import dev.peak.driver.lab.OptionConverters;
import dev.peak.driver.model.ModelCommand;
import dev.peak.driver.results.ReportWriter;
import dev.peak.driver.results.Results;
import dev.peak.driver.variant.Variant;

import picocli.CommandLine;
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

    @Option(names = "--profile", defaultValue = "quick", converter = OptionConverters.ProfileName.class,
            description = "smoke (~15 min), quick (~22 min) or full (default: ${DEFAULT-VALUE})")
    Profile profile;

    @Option(names = "--platform", defaultValue = "local", converter = OptionConverters.PlatformName.class,
            description = "local: the lab on this machine; kubernetes: the variants deployed on the cluster of the "
                    + "current kubeconfig context (default: ${DEFAULT-VALUE})")
    Platform.Kind platform;

    @Option(names = "--variants", split = ",", converter = OptionConverters.VariantName.class,
            description = "Comma-separated (default: all; on kubernetes all but ri1-direct)")
    List<Variant> variants;

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

    @Option(names = "--no-model", description = "Skip the model at scale the bench runs on its results at the end "
            + "(scale.sh model runs it later)")
    boolean noModel;

    @Option(names = "--fault-fraction", defaultValue = "0.5", description = "Fault runs' rate, as a fraction of the capacity (default: ${DEFAULT-VALUE})")
    double faultFraction;

    @Mixin
    CpuBudgetOptions cpus;

    @Mixin
    KubernetesOptions kubernetes;

    @Option(names = "--results", description = "Where results/<UTC time>/ goes (default: <project>/results)")
    Path results;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run whose results folder is DIR, with its own options (give no "
                    + "others); refused if this checkout, machine or plan differs from the run's")
    Path resume;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            return resume();
        }
        Path root = LabCommand.projectRoot();
        Path base = results != null ? results : root.resolve("results");
        Path dir = base.resolve(LabCommand.utcStamp());
        return run(dir, null);
    }

    /** Measures the plan into {@code dir}; {@code earlier}: what the run being resumed had finished, or null. */
    private int run(Path dir, Results earlier) throws Exception {
        Path root = LabCommand.projectRoot();
        boolean onKubernetes = platform == Platform.Kind.KUBERNETES;
        if (!onKubernetes && kubernetes.loadInCluster()) {
            throw new IllegalArgumentException("--load-in-cluster needs --platform kubernetes");
        }
        List<Variant> measuring = variants != null ? variants.stream().distinct().toList()
                : onKubernetes ? KubernetesPlatform.variants() : List.of(Variant.values());
        Profile plan = profile;
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
            if (earlier != null) {
                Resumption.check(earlier.manifest(), Manifests.of(options, where, Instant.now(), Instant.now(), Map.of(),
                        List.of(), true, List.of()), dir);
            }
            Files.createDirectories(dir);
            link(dir);
            System.out.printf("%s %s, variants %s on %s; results in %s%n", earlier == null ? "Profile" : "Resuming profile",
                    options.profile().name(), measuring.stream().map(Variant::id).collect(Collectors.joining(",")),
                    where.kind(), dir);
            Experiment experiment = new Experiment(options, where, earlier, System.out, System.console() != null);
            // Ctrl-C and SIGTERM stop the JVM: the report of what was measured is written first, with how to resume
            Thread onStop = new Thread(() -> {
                if (experiment.interrupt()) {
                    System.out.printf("%nInterrupted. The report of what was measured: %s%nResume with: make bench "
                            + "RESUME=%s (or loadtests/scale.sh bench --resume %s)%n", dir.resolve("index.html"), dir, dir);
                    System.out.flush();
                }
            }, "bench-interrupted");
            Runtime.getRuntime().addShutdownHook(onStop);
            try {
                measured = experiment.run();
            } catch (InterruptedException e) {
                // stopped: the shutdown hook has written the report and said how to resume
                return 130;
            }
            Runtime.getRuntime().removeShutdownHook(onStop);
        }
        System.out.println();
        System.out.print(ReportWriter.summaryTable(measured));
        System.out.println();
        if (!noModel) {
            atScale(dir, measured);
        }
        System.out.println("Report: " + dir.resolve("index.html") + " (also " + dir.resolveSibling("latest").resolve("index.html")
                + ")");
        return measured.skipped().stream().anyMatch(Resumption::failed) ? 4 : 0;
    }

    /** The model at scale, with fast settings; a run it cannot calibrate on (no maximum: smoke) keeps its report. */
    private static void atScale(Path dir, Results measured) throws IOException {
        try {
            ModelCommand.runFast(dir, measured, System.out);
        } catch (IllegalArgumentException e) {
            System.out.println("No model at scale: " + e.getMessage());
        }
        System.out.println();
    }

    /**
     * Continues the run in {@link #resume} with the options it was started with, read from its manifest's command
     * line, into the same folder.
     */
    private int resume() throws Exception {
        if (spec.commandLine().getParseResult().matchedOptions().size() > 1) {
            throw new IllegalArgumentException("--resume continues a run with the options it was started with: give no "
                    + "others");
        }
        Path dir = resume.toAbsolutePath().normalize();
        Results earlier = Resumption.read(dir);
        BenchCommand original = new BenchCommand();
        CommandLine line = new CommandLine(original);
        line.parseArgs(Resumption.arguments(earlier.manifest()).toArray(String[]::new));
        original.spec = line.getCommandSpec();
        return original.run(dir, earlier);
    }

    /** results/latest: the newest run, from its start (its report fills in as it goes). */
    private static void link(Path dir) throws IOException {
        Path base = dir.getParent();
        Path latest = base.resolve("latest");
        Path link = base.resolve("latest.tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, base.relativize(dir));
        Files.move(link, latest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
