package dev.peak.driver.variant;

/** The faults the experiment injects, by the names results.json gives them. */
public final class Faults {

    /** One server instance is killed (SIGKILL, or a pod deleted at once). */
    public static final String KILL_SERVER = "kill-server";
    /** The RI1 proxy or the mesh's ingress is killed. */
    public static final String KILL_PROXY = "kill-proxy";
    /** One of two peak-dns replicas is killed: PEAK's counterpart of killing the proxy. */
    public static final String KILL_DNS_REPLICA = "kill-dns-replica";

    private Faults() {
    }
}
