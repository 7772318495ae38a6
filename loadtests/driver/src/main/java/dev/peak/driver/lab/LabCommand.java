package dev.peak.driver.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import dev.peak.driver.cpu.CpuBudgetOptions;
import dev.peak.driver.lab.proxy.BalancePolicy;
import dev.peak.driver.variant.BudgetClass;
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
                        + "PEAK_ENTRY_B (ri2-peak), PEAK_VARIANT, PEAK_SERVERS, PEAK_LOAD_CPUS, PEAK_LAB_DIR."})
public final class LabCommand implements Callable<Integer> {

    @Option(names = "--variant", required = true, converter = OptionConverters.VariantName.class,
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

    @Option(names = "--balance", defaultValue = "round-robin", converter = OptionConverters.BalanceName.class,
            description = "round-robin or least-connections (peak-dns: least-loaded) (default: ${DEFAULT-VALUE})")
    BalancePolicy balance;

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
                dnsReplicas, Duration.ofSeconds(dnsTtl), balance,
                Optional.ofNullable(delay).map(LabNamespace::parseDelay), Duration.ofSeconds(readyTimeout), root,
                workDir != null ? workDir : root.resolve("loadtests/target/lab").resolve(
                        utcStamp()
                                + "-" + variant.id()), Map.of());
        try (Lab lab = Lab.start(options, System.err)) {
            System.err.print(table(lab));
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

    /** The start-up table: what runs where, with which CPU budget, enforced how. */
    private static String table(Lab lab) {
        StringBuilder table = new StringBuilder(String.format("%-14s %-7s %-22s %-6s %-5s %-36s %s%n",
                "INSTANCE", "ROLE", "ADDRESS", "PORT", "CPUS", "ENFORCED", "PID"));
        for (Instance i : lab.instances()) {
            table.append(String.format("%-14s %-7s %-22s %-6d %-5.2f %-36s %d%n", i.name(),
                    i.role().name().toLowerCase(Locale.ROOT), i.address(), i.port(), i.cpus(), i.enforcement(), i.pid()));
        }
        double load = lab.options().budgets().load();
        table.append(String.format("%-14s %-7s %-22s %-6s %-5.2f %-36s%n", "load", "load", "(any)", "", load,
                lab.cpu().describe(BudgetClass.LOAD, load)));
        table.append("CPU budgets: ").append(lab.cpu().mechanism()).append('\n');
        double system = lab.options().budgets().system(lab.options().variant(), lab.servers(), lab.options().dnsReplicas());
        table.append(String.format(Locale.ROOT, "The system's budgets add up to %.2f CPUs on %d CPU(s) of its own%s%n", system,
                lab.cpu().placement().system().size(), system > lab.cpu().placement().system().size() + 1e-9
                        ? ": more than it has, so some budgets cannot be granted at once" : ""));
        lab.options().delay().ifPresent(d -> table.append("Delay: ").append(d.toNanos() / 1000)
                .append(" us per packet on lo (tc netem)\n"));
        return table.toString();
    }

    /** The checkout the lab runs from: scale.sh says where; else the working directory. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("peak.project.root", ".")).toAbsolutePath().normalize();
    }

    /** The UTC time now as the name of a run's folder: 20261207T183143Z, which sorts by time. */
    public static String utcStamp() {
        return LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    }
}
