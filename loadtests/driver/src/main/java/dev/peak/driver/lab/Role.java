package dev.peak.driver.lab;

/** What an instance does in the lab; each role has one CPU budget, the same in every variant (DESIGN §6). */
public enum Role {
    /** A service-a or service-b instance. */
    SERVER,
    /** HAProxy or nginx in RI1, the ingress and every sidecar in the mesh. */
    PROXY,
    /** A peak-dns replica: the budget of the proxy it replaces. */
    DNS,
    /** The load generator (the command the lab runs). */
    LOAD
}
