package dev.peak.driver.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.experiment.ExperimentOptions;
import dev.peak.driver.experiment.LoadGenerator;
import dev.peak.driver.experiment.LocalLoadGenerator;
import dev.peak.driver.experiment.Platform;
import dev.peak.driver.experiment.SystemUnderTest;
import dev.peak.driver.lab.proxy.BalancePolicy;
import dev.peak.driver.variant.Variant;

/**
 * The local lab, the default platform: each variant comes up in its own lab namespace on this machine, every role
 * under its CPU budget on the system's CPUs, the load generator beside it on CPUs of its own.
 */
public final class LocalPlatform implements Platform {

    private final ExperimentOptions options;
    private final CpuPlacement placement;
    /** The proxies' versions, asked once: the manifest is written again after every level. */
    private final Map<String, String> versions = new LinkedHashMap<>();
    private String cpuEnforcement = "not measured";

    /** Fails at once when a variant of {@code options} is missing a tool or a build, before any of them runs. */
    public LocalPlatform(ExperimentOptions options) {
        Artifacts.check(options.variants(), false, options.projectRoot());
        this.options = options;
        this.placement = CpuPlacement.split(CpuPlacement.allowedCpus(), options.budgets().load());
        versions.put("haproxy", firstLine("haproxy", "-v"));
        versions.put("nginx", firstLine("nginx", "-v"));
    }

    @Override
    public Kind kind() {
        return Kind.LOCAL;
    }

    @Override
    public SystemUnderTest start(Variant variant, CpuBudgets budgets, int servers, int dnsReplicas, String label) {
        LabOptions labOptions = new LabOptions(variant, servers, budgets, options.enforcement(), dnsReplicas,
                Duration.ofSeconds(1), BalancePolicy.ROUND_ROBIN, Optional.empty(), Duration.ofSeconds(120),
                options.projectRoot(), options.resultsDir().resolve("labs").resolve(label), Map.of());
        Lab lab = Lab.start(labOptions, new PrintStream(PrintStream.nullOutputStream()));
        cpuEnforcement = lab.cpu().mechanism();
        return lab;
    }

    @Override
    public LoadGenerator loadGenerator() {
        return new LocalLoadGenerator(options.projectRoot(), options.budgets(), true);
    }

    @Override
    public OptionalInt systemCpus() {
        return OptionalInt.of(placement.system().size());
    }

    @Override
    public Setup setup() {
        Map<String, Double> budgets = new LinkedHashMap<>();
        budgets.put("server", options.budgets().server());
        budgets.put("proxy", options.budgets().proxy());
        budgets.put("peakDns", options.budgets().proxy());
        budgets.put("loadGenerator", options.budgets().load());
        List<String> notes = new ArrayList<>();
        notes.add("ri2-mesh is a sidecar emulation (HAProxy sidecars with mutual TLS, the data path of Istio), not Istio itself.");
        notes.add("Open-source nginx has passive health checks only; HAProxy, the sidecars and peak-dns probe actively "
                + "(1 s interval, 2 failures to leave).");
        notes.add("CPU placement: " + placement.describe() + ". On loopback a sender's CPU also pays the kernel's "
                + "delivery of what it sends, so each hop's kernel cost is split between its two ends.");
        if (placement.shared()) {
            notes.add("This machine has too few CPUs to give the load generator CPUs of its own: it competes with the "
                    + "system it measures.");
        }
        return new Setup(cpuEnforcement, budgets, versions, notes);
    }

    @Override
    public void close() {
        // every lab stops when its variant is done
    }

    private static String firstLine(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
}
