package dev.peak.driver.lab;

import picocli.CommandLine.Option;

/** The CPU budget options of every command that brings a lab up: the same roles, the same defaults. */
public final class CpuBudgetOptions {

    @Option(names = "--cpus-per-server", defaultValue = "0.5", description = "CPU budget of each service instance (default: ${DEFAULT-VALUE})")
    double server;

    @Option(names = "--cpus-per-proxy", defaultValue = "1.0",
            description = "CPU budget of the proxy, of each sidecar and of each peak-dns replica (default: ${DEFAULT-VALUE})")
    double proxy;

    @Option(names = "--cpus-load", defaultValue = "1.0", description = "CPU budget of the load generator (default: ${DEFAULT-VALUE})")
    double load;

    public CpuBudgets budgets() {
        return new CpuBudgets(server, proxy, load);
    }
}
