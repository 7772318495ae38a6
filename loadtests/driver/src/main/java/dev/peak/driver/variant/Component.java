package dev.peak.driver.variant;

import java.util.Arrays;

/**
 * What an instance is, as the cost of a request is split in the results: the servers' own work, what the
 * balancing infrastructure around them costs, and the client.
 */
public enum Component {
    SERVICE_A("service-a", Role.SERVER),
    SERVICE_B("service-b", Role.SERVER),
    /** The RI1 reverse proxy, HAProxy or nginx. */
    PROXY("proxy", Role.PROXY),
    /** The mesh's ingress gateway. */
    INGRESS("ingress", Role.PROXY),
    /** A mesh sidecar, A's or B's. */
    SIDECAR("sidecar", Role.PROXY),
    PEAK_DNS("peak-dns", Role.DNS),
    /** The load generator: the client side, not the system. */
    GENERATOR("generator", Role.LOAD);

    private final String id;
    private final Role role;

    Component(String id, Role role) {
        this.id = id;
        this.role = role;
    }

    /** Its name in results.json's costs. */
    public String id() {
        return id;
    }

    public Role role() {
        return role;
    }

    /** The servers' own work, against which the infrastructure tax is counted. */
    public boolean isServer() {
        return role == Role.SERVER;
    }

    /** Balancing infrastructure: proxies, ingress, sidecars, peak-dns. Not the servers, not the client. */
    public boolean isInfrastructure() {
        return role == Role.PROXY || role == Role.DNS;
    }

    public static Component of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown component " + id));
    }
}
