package dev.peak.driver.lab;

/**
 * CPUs per instance of each role. peak-dns gets the proxy's budget: the DNS server and the proxy it
 * replaces must compete on equal terms (DESIGN §6).
 */
public record CpuBudgets(double server, double proxy, double load) {

    /** Sized for a 2-core machine: four servers fit in two cores, the proxy and the generator get one each. */
    public static final CpuBudgets DEFAULT = new CpuBudgets(0.5, 1.0, 1.0);

    public CpuBudgets {
        check("server", server);
        check("proxy", proxy);
        check("load", load);
    }

    public double of(Role role) {
        return switch (role) {
            case SERVER -> server;
            case PROXY, DNS -> proxy;
            case LOAD -> load;
        };
    }

    /** Processors a process of this role may use at once: its budget rounded up (JVM, proxy threads). */
    public int processors(Role role) {
        return (int) Math.ceil(of(role));
    }

    private static void check(String role, double cpus) {
        if (!(cpus >= 0.05 && cpus <= 64)) {
            throw new IllegalArgumentException("the " + role + " CPU budget must be between 0.05 and 64, not " + cpus);
        }
    }
}
