package dev.peak.driver.lab;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.peak.driver.variant.HealthChecks;

/**
 * What spreads the clients of one variant over the lab's servers: peak-dns, a reverse proxy, the mesh, or nothing.
 * The {@link Lab} runs the servers and calls its balancer at each step; each kind of entry is one implementation, so
 * that what differs between variants lives in one class per variant family.
 */
interface Balancer {

    /** The balancer for {@code lab}'s variant. */
    static Balancer of(Lab lab) {
        return switch (lab.options().variant().entry()) {
            case DNS -> new PeakDnsBalancer(lab);
            case HAPROXY, NGINX -> new ReverseProxyBalancer(lab);
            case MESH -> new MeshBalancer(lab);
            case DIRECT -> new NoBalancer();
        };
    }

    /** Before the first server starts: addresses, certificates. */
    default void prepare() {
    }

    /** What server instance {@code service} at {@code address} must be told because of this balancer. */
    default Map<String, String> serviceProperties(char service, String address) {
        return Map.of();
    }

    /** Server {@code service}-{@code i} has just started. */
    default void serverStarted(char service, int i) {
    }

    /** Server {@code service}-{@code i} is going away; the balancer stops what it ran for it. */
    default void serverStopping(char service, int i) {
    }

    /** Starts the balancer for the servers running now. */
    void start();

    /** Points the balancer at exactly the servers running now; {@code previous} is how many ran before. */
    void reconfigure(int previous);

    /** The instance {@code killProxy} kills, if the variant has one. */
    default Optional<String> proxy() {
        return Optional.empty();
    }

    /** The base URL a client of A uses. */
    String entry();

    /** Where the client of RI2 through PEAK finds B, which it calls itself. */
    default Optional<String> entryB() {
        return Optional.empty();
    }

    /** What must answer 200, besides the servers' own readiness, before the lab is ready: by default, the entry. */
    default List<URI> readinessChecks() {
        return List.of(URI.create(entry() + HealthChecks.PATH));
    }

    /**
     * The servers {@code instance} (one of this balancer's) does not route to yet, as it reports them itself; null if
     * it does not answer; empty if it is not one that keeps such a state.
     */
    default List<String> notInRotation(Instance instance) {
        return List.of();
    }

    /** Removes what the balancer kept outside the lab's work directory. */
    default void close() {
    }
}
