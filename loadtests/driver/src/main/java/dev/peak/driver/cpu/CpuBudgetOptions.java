package dev.peak.driver.cpu;

import picocli.CommandLine.Option;

/** The CPU budget options of every command that brings a lab up: the same roles, the same defaults. */
public final class CpuBudgetOptions {

    @Option(names = "--cpus-per-server", defaultValue = "0.2", description = "CPU budget of each service instance (default: ${DEFAULT-VALUE})")
    double server;

    @Option(names = "--cpus-per-proxy", defaultValue = "0.2",
            description = "CPU budget of the proxy, of each sidecar and of each peak-dns replica (default: ${DEFAULT-VALUE})")
    double proxy;

    @Option(names = "--cpus-load", defaultValue = "1.0",
            description = "CPU budget of the load generator: it gets this many whole CPUs of its own, the system the others "
                    + "(default: ${DEFAULT-VALUE})")
    double load;

    @Option(names = "--cpu-period-ms", defaultValue = "100",
            description = "CFS period of the quotas, ms: a budget of b CPUs runs b × period per period (default: ${DEFAULT-VALUE})")
    double periodMs;

    @Option(names = "--cpu-burst", defaultValue = "1.0",
            description = "CFS burst, a fraction of the quota a group may save from idle periods and spend later "
                    + "(0 disables it) (default: ${DEFAULT-VALUE})")
    double burst;

    public CpuBudgets budgets() {
        return new CpuBudgets(server, proxy, load);
    }

    public CpuEnforcement enforcement() {
        return new CpuEnforcement(java.time.Duration.ofNanos(Math.round(periodMs * 1_000_000)), burst);
    }
}
