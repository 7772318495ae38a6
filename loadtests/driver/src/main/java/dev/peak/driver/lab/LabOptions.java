package dev.peak.driver.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.peak.driver.cpu.CpuBudgets;
import dev.peak.driver.cpu.CpuEnforcement;
import dev.peak.driver.lab.proxy.BalancePolicy;
import dev.peak.driver.variant.Variant;

/**
 * How to bring a lab up.
 *
 * @param servers     instances of each service (A, and B in RI2)
 * @param enforcement how the fractional budgets are enforced (CFS period and burst)
 * @param dnsReplicas peak-dns replicas in the PEAK variants (1 or 2)
 * @param dnsTtl      TTL of peak-dns's answers: how long a client may keep using a server it was given
 * @param balance     the proxies' policy; peak-dns uses the matching one (round-robin or least-loaded)
 * @param delay       optional per-packet delay on lo, so that each hop costs what it costs on a network
 * @param projectRoot where the service, peak-dns and driver builds are
 * @param workDir     configs, keys and every instance's log
 * @param serviceProperties system properties every service instance gets besides the lab's own, e.g. the
 *                    {@code peak.http.max-in-flight} an overload run sets
 */
public record LabOptions(Variant variant, int servers, CpuBudgets budgets, CpuEnforcement enforcement, int dnsReplicas,
                         Duration dnsTtl,
                         BalancePolicy balance, Optional<Duration> delay, Duration readyTimeout, Path projectRoot,
                         Path workDir, Map<String, String> serviceProperties) {

    public static final int MAX_SERVERS = 64;

    public LabOptions {
        if (servers < 1 || servers > MAX_SERVERS) {
            throw new IllegalArgumentException("--servers must be between 1 and " + MAX_SERVERS + ", not " + servers);
        }
        if (dnsReplicas < 1 || dnsReplicas > 2) {
            throw new IllegalArgumentException("--dns-replicas must be 1 or 2, not " + dnsReplicas);
        }
        if (dnsTtl.isNegative() || dnsTtl.toSeconds() > 3600) {
            throw new IllegalArgumentException("--dns-ttl must be between 0 and 3600 s");
        }
        serviceProperties = Map.copyOf(serviceProperties);
    }
}
