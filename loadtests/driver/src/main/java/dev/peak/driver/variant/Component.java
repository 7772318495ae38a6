package dev.peak.driver.variant;

import java.util.Arrays;

/**
 * What an instance is, as the cost of a request is split in the results: the servers' own work, what the
 * balancing infrastructure around them costs, and the client.
 */
public enum Component {
    SERVICE_A("service-a", BudgetClass.SERVER),
    SERVICE_B("service-b", BudgetClass.SERVER),
    /** The RI1 reverse proxy, HAProxy or nginx. */
    PROXY("proxy", BudgetClass.PROXY),
    /** The mesh's ingress gateway. */
    INGRESS("ingress", BudgetClass.PROXY),
    /** A mesh sidecar, A's or B's. */
    SIDECAR("sidecar", BudgetClass.PROXY),
    PEAK_DNS("peak-dns", BudgetClass.DNS),
    /** The load generator: the client side, not the system. */
    GENERATOR("generator", BudgetClass.LOAD);

    private final String id;
    private final BudgetClass role;

    Component(String id, BudgetClass role) {
        this.id = id;
        this.role = role;
    }

    /** Its name in results.json's costs. */
    public String id() {
        return id;
    }

    public BudgetClass role() {
        return role;
    }

    /** The servers' own work, against which the infrastructure tax is counted. */
    public boolean isServer() {
        return role == BudgetClass.SERVER;
    }

    /** Balancing infrastructure: proxies, ingress, sidecars, peak-dns. Not the servers, not the client. */
    public boolean isInfrastructure() {
        return role == BudgetClass.PROXY || role == BudgetClass.DNS;
    }

    public static Component of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown component " + id));
    }
}
