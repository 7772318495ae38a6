package dev.peak.driver.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.peak.driver.lab.Variant;

/**
 * A variant as the experiment measures it: the lab it runs in, the simulation that loads it, and
 * the request kind whose latency decides a step. ri1-direct runs in the ri1-peak lab but talks to
 * the servers by address: the physical limit PEAK is measured against.
 */
public enum BenchVariant {
    RI1_DIRECT("ri1-direct", Variant.RI1_PEAK, "Ri1DirectSimulation", "work"),
    RI1_PEAK("ri1-peak", Variant.RI1_PEAK, "Ri1PeakSimulation", "work"),
    RI1_HAPROXY("ri1-haproxy", Variant.RI1_HAPROXY, "Ri1ProxySimulation", "work"),
    RI1_NGINX("ri1-nginx", Variant.RI1_NGINX, "Ri1ProxySimulation", "work"),
    RI2_PEAK("ri2-peak", Variant.RI2_PEAK, "Ri2PeakSimulation", "b"),
    RI2_MESH("ri2-mesh", Variant.RI2_MESH, "Ri2MeshSimulation", "chain");

    private final String id;
    private final Variant lab;
    private final String simulation;
    private final String primaryCall;

    BenchVariant(String id, Variant lab, String simulation, String primaryCall) {
        this.id = id;
        this.lab = lab;
        this.simulation = simulation;
        this.primaryCall = primaryCall;
    }

    public String id() {
        return id;
    }

    public Variant lab() {
        return lab;
    }

    /** The Gatling simulation class. */
    public String simulation() {
        return "dev.peak.simulations." + simulation;
    }

    /** The request whose latency and rate a step is judged by: RI1 /work, RI2-PEAK B's /work, mesh /chain. */
    public String primaryCall() {
        return primaryCall;
    }

    /** The load balancer one can kill besides a server: the proxy or ingress, else a peak-dns replica. */
    public String balancerFault() {
        return lab.usesDns() ? "kill-dns-replica" : "kill-proxy";
    }

    public static BenchVariant of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + id + "': use one of "
                        + Arrays.stream(values()).map(BenchVariant::id).collect(Collectors.joining(", "))));
    }

    public static List<BenchVariant> parse(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(BenchVariant::of).distinct().toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
