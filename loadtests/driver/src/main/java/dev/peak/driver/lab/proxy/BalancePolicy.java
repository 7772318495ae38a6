package dev.peak.driver.lab.proxy;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a proxy spreads requests over its upstreams: HAProxy roundrobin/leastconn, nginx (default)/least_conn; and
 * peak-dns's counterpart, which the lab gives it in the PEAK variants.
 */
public enum BalancePolicy {
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
    public String id() {
        return id;
    }

    /** The policy peak-dns's static file names for the same intent. */
    public String peakDnsPolicy() {
        return peakDnsPolicy;
    }

    /** The policy {@code --balance id} names; the error lists the valid names. */
    public static BalancePolicy of(String id) {
        return Arrays.stream(values()).filter(b -> b.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--balance must be one of " + Arrays.stream(values())
                        .map(BalancePolicy::id).collect(Collectors.joining(", ")) + ", not " + id));
    }

    @Override
    public String toString() {
        return id;
    }
}
