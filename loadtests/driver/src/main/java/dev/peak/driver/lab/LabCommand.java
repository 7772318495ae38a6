package dev.peak.driver.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import dev.peak.driver.lab.proxy.Balance;
import dev.peak.driver.variant.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scale.sh lab --variant V --servers N [-- CMD ARGS...]}: brings one variant up, says where everything runs,
 * runs CMD inside the lab (or waits for Ctrl-C), then tears it all down. Everything the lab says goes to standard
 * error, so that standard output is CMD's, byte for byte, for whatever reads it ({@code | jq}).
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Bring one variant up in the local lab namespace, run CMD inside it (or wait for Ctrl-C), "
                + "tear everything down. The lab writes to standard error; standard output is CMD's.",
                "CMD sees PEAK_ENTRY, PEAK_DNS, PEAK_DNS_SERVERS, PEAK_ZONE, PEAK_INSTANCES (name=address ...), "
                        + "PEAK_ENTRY_B (ri2-peak), PEAK_VARIANT, PEAK_SERVERS, PEAK_LAB_DIR."})
public final class LabCommand implements Callable<Integer> {

    @Option(names = "--variant", required = true, converter = VariantConverter.class,
            description = "ri1-direct (servers only), ri1-peak, ri1-haproxy, ri1-nginx, ri2-peak or ri2-mesh")
    Variant variant;

    @Option(names = "--servers", defaultValue = "2", description = "Instances of each service (default: ${DEFAULT-VALUE})")
    int servers;

    @Mixin
    CpuBudgetOptions cpus;

    @Option(names = "--dns-replicas", defaultValue = "1", description = "peak-dns replicas, 1 or 2 (default: ${DEFAULT-VALUE})")
    int dnsReplicas;

    @Option(names = "--dns-ttl", defaultValue = "1", description = "TTL of peak-dns's answers in seconds (default: ${DEFAULT-VALUE})")
    int dnsTtl;

    @Option(names = "--balance", defaultValue = "round-robin",
            description = "round-robin or least-connections (peak-dns: least-loaded) (default: ${DEFAULT-VALUE})")
    String balance;

    @Option(names = "--delay", description = "Optional delay per packet on lo (tc netem), e.g. 200us: each hop costs two")
    String delay;

    @Option(names = "--ready-timeout", defaultValue = "120", description = "Seconds to wait for everything to be ready (default: ${DEFAULT-VALUE})")
    int readyTimeout;

    @Option(names = "--work-dir", description = "Configs, keys and logs (default: loadtests/target/lab/<UTC time>-<variant>)")
    Path workDir;

    @Parameters(paramLabel = "CMD", description = "Command to run inside the lab (after --)")
    List<String> command;

    @Override
    public Integer call() throws IOException, InterruptedException {
        // The lab's own lookups go through peak-dns and must follow it, not a 30 s JVM cache
        Security.setProperty("networkaddress.cache.ttl", "0");
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
        Path root = projectRoot();
        LabOptions options = new LabOptions(variant, servers, cpus.budgets(), cpus.enforcement(),
                dnsReplicas, Duration.ofSeconds(dnsTtl), balance(balance),
                Optional.ofNullable(delay).map(LabNamespace::parseDelay), Duration.ofSeconds(readyTimeout), root,
                workDir != null ? workDir : root.resolve("loadtests/target/lab").resolve(
                        LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                                + "-" + variant.id()));
        try (Lab lab = Lab.start(options, System.err)) {
            System.err.print(lab.table());
            System.err.println("Logs and configs: " + options.workDir());
            lab.environment().forEach((k, v) -> System.err.println(k + "=" + v));
            if (command == null || command.isEmpty()) {
                System.err.println("The lab is up. Ctrl-C tears it down.");
                new CountDownLatch(1).await();
                return 0;
            }
            ProcessBuilder builder = new ProcessBuilder(lab.asLoad(command)).inheritIO();
            builder.environment().putAll(lab.environment());
            Process process = builder.start();
            try {
                return process.waitFor();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** The checkout the lab runs from: scale.sh says where; else the working directory. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("peak.project.root", ".")).toAbsolutePath().normalize();
    }

    static Balance balance(String name) {
        return switch (name) {
            case "round-robin" -> Balance.ROUND_ROBIN;
            case "least-connections" -> Balance.LEAST_CONNECTIONS;
            default -> throw new IllegalArgumentException("--balance must be round-robin or least-connections, not " + name);
        };
    }

    static final class VariantConverter implements picocli.CommandLine.ITypeConverter<Variant> {
        @Override
        public Variant convert(String value) {
            return Variant.of(value);
        }
    }
}
