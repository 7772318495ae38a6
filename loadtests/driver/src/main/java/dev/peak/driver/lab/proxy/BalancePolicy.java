package dev.peak.driver.lab.proxy;

import dev.peak.driver.variant.Named;

/**
 * How a proxy spreads requests over its upstreams: HAProxy roundrobin/leastconn, nginx (default)/least_conn; and
 * peak-dns's counterpart, which the lab gives it in the PEAK variants.
 */
public enum BalancePolicy implements Named {
    ROUND_ROBIN("round-robin", "round-robin"),
    /** peak-dns has no connections to count: least-loaded reads the servers' in-flight gauges instead. */
    LEAST_CONNECTIONS("least-connections", "least-loaded");

    private final String id;
    private final String peakDnsPolicy;

    BalancePolicy(String id, String peakDnsPolicy) {
        this.id = id;
        this.peakDnsPolicy = peakDnsPolicy;
    }

    /** The name {@code --balance} takes. */
    @Override
    public String id() {
        return id;
    }

    /** The policy peak-dns's static file names for the same intent. */
    public String peakDnsPolicy() {
        return peakDnsPolicy;
    }

    /** The policy {@code --balance id} names; the error lists the valid names. */
    public static BalancePolicy of(String id) {
        return Named.byId(BalancePolicy.class, id, "--balance");
    }

    @Override
    public String toString() {
        return id;
    }
}
