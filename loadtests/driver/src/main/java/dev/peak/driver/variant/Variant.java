package dev.peak.driver.variant;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One side of the comparison, with every fact the suite needs about it: what the lab brings up, how clients
 * reach it, which simulation loads it and which call it is judged by, what it is compared with, how the report
 * names and colours it, and where it lives on a cluster. Nothing else switches on a variant's name.
 */
public enum Variant {
    /** RI1 without any balancer: clients are handed the servers' addresses in turn. The physical limit. */
    RI1_DIRECT("ri1-direct", Group.RI1, Entry.DIRECT, "Ri1DirectSimulation", "work",
            "RI1 direct (no balancer)", "RI1 direct (no balancer)", "#7f7f7f", null),
    /** RI1 through PEAK: clients resolve a.peak.test at peak-dns and connect to the server it names. */
    RI1_PEAK("ri1-peak", Group.RI1, Entry.DNS, "Ri1PeakSimulation", "work", "RI1 PEAK", "RI1 PEAK", "#1f6fb4",
            new Cluster("peak", List.of(Cluster.SERVICE_A), "make deploy-peak")),
    /** RI1's traditional side: HAProxy as the reverse proxy. */
    RI1_HAPROXY("ri1-haproxy", Group.RI1, Entry.HAPROXY, "Ri1ProxySimulation", "work", "RI1 HAProxy", "RI1 HAProxy",
            "#d62728", new Cluster("peak-proxy", List.of(Cluster.SERVICE_A), "make deploy-proxy")),
    /** RI1's traditional side: nginx as the reverse proxy. */
    RI1_NGINX("ri1-nginx", Group.RI1, Entry.NGINX, "Ri1ProxySimulation", "work", "RI1 nginx", "RI1 nginx", "#2ca02c",
            new Cluster("peak-proxy", List.of(Cluster.SERVICE_A), "make deploy-proxy PROXY=nginx")),
    /** RI2 through PEAK: a token from A, then calls straight to B, both found through peak-dns. */
    RI2_PEAK("ri2-peak", Group.RI2, Entry.DNS, "Ri2PeakSimulation", "b", "RI2 PEAK", "RI2 PEAK", "#8c4fc4",
            new Cluster("peak", List.of(Cluster.SERVICE_A, Cluster.SERVICE_B), "make deploy-peak")),
    /** RI2's traditional side: ingress → sidecar(A) → A → sidecar(A) → mTLS → sidecar(B) → B. */
    RI2_MESH("ri2-mesh", Group.RI2, Entry.MESH, "Ri2MeshSimulation", "chain", "RI2 mesh (sidecar emulation)",
            "RI2 mesh (Istio)", "#ff7f0e",
            new Cluster("peak-mesh", List.of(Cluster.SERVICE_A, Cluster.SERVICE_B), "make deploy-mesh"));

    /** The reference implementation a variant belongs to: variants are compared within their group only. */
    public enum Group { RI1, RI2 }

    /** What clients talk to first. */
    public enum Entry {
        /** The servers themselves, by address. */
        DIRECT,
        /** peak-dns, then the server it names. */
        DNS,
        HAPROXY,
        NGINX,
        /** The mesh's ingress gateway. */
        MESH
    }

    /**
     * Where the variant lives on a Kubernetes cluster, by the names k8s/ and mesh-variant/ give it.
     *
     * @param namespace  where its servers run
     * @param servers    the Deployments scaled to the experiment's server count
     * @param deployWith the command that deploys it
     */
    public record Cluster(String namespace, List<String> servers, String deployWith) {
        public static final String SERVICE_A = "service-a";
        public static final String SERVICE_B = "service-b";
    }

    private final String id;
    private final Group group;
    private final Entry entry;
    private final String simulation;
    private final String primaryCall;
    private final String label;
    private final String labelOnKubernetes;
    private final String color;
    private final Cluster cluster;

    Variant(String id, Group group, Entry entry, String simulation, String primaryCall, String label,
            String labelOnKubernetes, String color, Cluster cluster) {
        this.id = id;
        this.group = group;
        this.entry = entry;
        this.simulation = simulation;
        this.primaryCall = primaryCall;
        this.label = label;
        this.labelOnKubernetes = labelOnKubernetes;
        this.color = color;
        this.cluster = cluster;
    }

    public String id() {
        return id;
    }

    public Group group() {
        return group;
    }

    public Entry entry() {
        return entry;
    }

    /** RI2 variants run service-b beside service-a, one B per A. */
    public boolean withB() {
        return group == Group.RI2;
    }

    /** Clients find the servers through peak-dns. */
    public boolean usesDns() {
        return entry == Entry.DNS;
    }

    /** The Gatling simulation class that loads it. */
    public String simulation() {
        return "dev.peak.simulations." + simulation;
    }

    /** The request whose latency and rate a level is judged by: RI1 /work, RI2 PEAK B's /work, mesh /chain. */
    public String primaryCall() {
        return primaryCall;
    }

    /**
     * The prefix of the instances every primary call reaches, whose balance is measured and one of which the
     * kill-server fault kills: A's in RI1, B's in RI2.
     */
    public String servedBy() {
        return withB() ? "b-" : "a-";
    }

    /** The fault that removes what clients go through besides a server, if any: the proxy, or a peak-dns replica. */
    public Optional<FaultKind> balancerFault() {
        return switch (entry) {
            case DIRECT -> Optional.empty();
            case DNS -> Optional.of(FaultKind.KILL_DNS_REPLICA);
            case HAPROXY, NGINX, MESH -> Optional.of(FaultKind.KILL_PROXY);
        };
    }

    /** The group's variant with no balancer at all, whose capacity the fixed rates are fractions of; RI1 direct. */
    public boolean isBaseline() {
        return this == RI1_DIRECT;
    }

    public boolean isPeak() {
        return entry == Entry.DNS;
    }

    /** The traditional variants a PEAK variant is compared with: its group's proxies or mesh. */
    public List<Variant> counterparts() {
        if (!isPeak()) {
            return List.of();
        }
        return Arrays.stream(values()).filter(v -> v.group == group && !v.isPeak() && !v.isBaseline()).toList();
    }

    /** The reader's name: the mesh is an emulation in the lab and Istio on a cluster. */
    public String label(boolean onKubernetes) {
        return onKubernetes ? labelOnKubernetes : label;
    }

    /** Its colour in every chart of the report. */
    public String color() {
        return color;
    }

    /** Where it lives on a cluster; empty for ri1-direct, which only the lab can run. */
    public Optional<Cluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** The variant named {@code id}, e.g. {@code ri1-haproxy}; the error lists the valid names. */
    public static Variant of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + id + "': use one of "
                        + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", "))));
    }

    /** A known variant by id, or empty (results of a newer suite may name others). */
    public static Optional<Variant> find(String id) {
        return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
