package dev.peak.driver.variant;

/** The faults the experiment injects, by the names results.json gives them. */
public enum FaultKind implements Named {
    /** One server instance is killed (SIGKILL, or a pod deleted at once). */
    KILL_SERVER("kill-server"),
    /** The RI1 proxy or the mesh's ingress is killed. */
    KILL_PROXY("kill-proxy"),
    /** One of two peak-dns replicas is killed: PEAK's counterpart of killing the proxy. */
    KILL_DNS_REPLICA("kill-dns-replica");

    private final String id;

    FaultKind(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }
    public static FaultKind of(String id) {
        return Named.byId(FaultKind.class, id, "fault");
    }

    @Override
    public String toString() {
        return id;
    }
}
