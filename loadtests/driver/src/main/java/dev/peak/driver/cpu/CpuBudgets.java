package dev.peak.driver.cpu;

import dev.peak.driver.variant.BudgetClass;
import dev.peak.driver.variant.Variant;

/**
 * CPUs per instance of each role. peak-dns gets the proxy's budget: the DNS server and the proxy it
 * replaces must compete on equal terms.
 */
public record CpuBudgets(double server, double proxy, double load) {

    /**
     * Sized for a 2-core machine, where the load generator has one CPU and the system the other: one server of
     * every variant fits in it, the mesh's five instances included, and four RI1 servers with their proxy.
     */
    public static final CpuBudgets DEFAULT = new CpuBudgets(0.2, 0.2, 1.0);

    public CpuBudgets {
        check("server", server);
        check("proxy", proxy);
        check("load", load);
    }

    public double of(BudgetClass role) {
        return switch (role) {
            case SERVER -> server;
            case PROXY, DNS -> proxy;
            case LOAD -> load;
        };
    }

    /** What the system of {@code variant} at {@code servers} servers is granted in all: the CPUs it needs at once. */
    public double system(Variant variant, int servers, int dnsReplicas) {
        int instances = servers * (variant.withB() ? 2 : 1);
        double infrastructure = switch (variant.entry()) {
            case DIRECT -> 0;
            case DNS -> dnsReplicas * proxy;
            case HAPROXY, NGINX -> proxy;
            // the ingress, and a sidecar beside every instance
            case MESH -> proxy + instances * proxy;
        };
        return instances * server + infrastructure;
    }

    /** Every budget of the system times {@code factor}, the ratios kept; the generator's stays (it is not the system). */
    public CpuBudgets scaled(double factor) {
        return new CpuBudgets(server * factor, proxy * factor, load);
    }

    /** Processors a process of this role may use at once: its budget rounded up (JVM, proxy threads). */
    public int processors(BudgetClass role) {
        return (int) Math.ceil(of(role));
    }

    private static void check(String role, double cpus) {
        if (!(cpus >= 0.02 && cpus <= 64)) {
            throw new IllegalArgumentException("the " + role + " CPU budget must be between 0.02 and 64, not " + cpus);
        }
    }
}
