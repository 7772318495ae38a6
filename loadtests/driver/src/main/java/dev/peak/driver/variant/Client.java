package dev.peak.driver.variant;

/**
 * The HTTP client a run's load is sent with: which one a PEAK figure assumes matters, since with PEAK the client,
 * not a proxy, gets past a dead server.
 */
public enum Client implements Named {
    /**
     * Gatling's: it keeps a DNS answer for its TTL and resends nothing, so a dead server's clients fail until their
     * answer expires. Every staircase, and the proxies' clients, which need no failover of their own.
     */
    GATLING("gatling", "Gatling, no failover"),
    /** peak-client's failover (loadtests/simulations' PeakClientLoad): another server at once, peak-dns asked again. */
    PEAK_CLIENT("peak-client", "peak-client, failover");

    private final String id;
    private final String label;

    Client(String id, String label) {
        this.id = id;
        this.label = label;
    }

    @Override
    public String id() {
        return id;
    }

    /** How the report names it. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return id;
    }
}
