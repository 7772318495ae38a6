package dev.peak.driver.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.peak.driver.lab.Lab;
import dev.peak.driver.lab.LabOptions;
import dev.peak.driver.lab.proxy.Balance;

/**
 * The local lab (DESIGN §4), the default platform: each variant comes up in its own lab namespace on this
 * machine, every role under its CPU budget, the load generator beside it.
 */
final class LocalPlatform implements Platform {

    private final ExperimentOptions options;
    private String cpuEnforcement = "not measured";

    LocalPlatform(ExperimentOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public SystemUnderTest start(BenchVariant variant, int servers, int dnsReplicas, String label) {
        LabOptions labOptions = new LabOptions(variant.lab(), servers, options.budgets(), dnsReplicas,
                Duration.ofSeconds(1), Balance.ROUND_ROBIN, Optional.empty(), Duration.ofSeconds(120),
                options.projectRoot(), options.resultsDir().resolve("labs").resolve(label));
        Lab lab = Lab.start(labOptions, new PrintStream(PrintStream.nullOutputStream()));
        cpuEnforcement = lab.cpu().mechanism();
        return lab;
    }

    @Override
    public LoadGenerator loadGenerator() {
        return new LocalLoadGenerator(options.projectRoot(), options.budgets());
    }

    @Override
    public Setup setup() {
        Map<String, Double> budgets = new LinkedHashMap<>();
        budgets.put("server", options.budgets().server());
        budgets.put("proxy", options.budgets().proxy());
        budgets.put("peakDns", options.budgets().proxy());
        budgets.put("loadGenerator", options.budgets().load());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("haproxy", firstLine("haproxy", "-v"));
        versions.put("nginx", firstLine("nginx", "-v"));
        List<String> notes = new ArrayList<>();
        notes.add("ri2-mesh is a sidecar emulation (HAProxy sidecars with mutual TLS, the data path of Istio), not Istio itself.");
        notes.add("Open-source nginx has passive health checks only; HAProxy, the sidecars and peak-dns probe actively "
                + "(1 s interval, 2 failures to leave).");
        int cpus = Runtime.getRuntime().availableProcessors();
        int most = options.profile().servers().stream().mapToInt(Integer::intValue).max().orElse(1);
        double ri1 = most * options.budgets().server() + options.budgets().proxy() + options.budgets().load();
        double mesh = 2 * most * (options.budgets().server() + options.budgets().proxy()) + options.budgets().proxy()
                + options.budgets().load();
        if (ri1 > cpus) {
            notes.add(String.format(Locale.ROOT, "At %d servers the CPU budgets add up to %.1f CPUs for RI1 (servers, proxy "
                    + "or peak-dns, load generator) and %.1f for the mesh, on a machine with %d: the budgets are ceilings "
                    + "the machine cannot grant all at once, so there an added server adds less than its budget and "
                    + "every variant's scaling is bent the same way.", most, ri1, mesh, cpus));
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
