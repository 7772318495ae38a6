package dev.peak.driver.variant;

/**
 * The budget class of an instance: each has one CPU budget, the same in every variant, so that the proxy and the
 * DNS server it replaces compete on equal terms.
 */
public enum BudgetClass {
    /** A service-a or service-b instance. */
    SERVER,
    /** HAProxy or nginx in RI1, the ingress and every sidecar in the mesh. */
    PROXY,
    /** A peak-dns replica: the budget of the proxy it replaces. */
    DNS,
    /** The load generator (the command the lab runs). */
    LOAD
}
