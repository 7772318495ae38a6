package dev.peak.model.capacity;

import java.util.EnumMap;
import java.util.Map;

import dev.peak.model.Architecture;
import dev.peak.model.Role;

/**
 * The bottleneck model: each role can serve (its instances × their CPUs) / (its CPU per request) requests per second,
 * and a variant serves what its scarcest role can,
 *
 * <pre>
 *   X(N) = min over roles r of  n_r(N) · b_r · 10⁶ / c_r
 * </pre>
 *
 * with c_r the CPU µs per primary request the lab measured for r (all instances together, so it does not depend on
 * N), b_r the CPUs of one instance and n_r(N) the instances:
 * <ul>
 *   <li>service A and B: N instances of b_server;</li>
 *   <li>the reverse proxy, or the mesh's ingress: one, of P CPUs;</li>
 *   <li>sidecars: N beside A, N beside B. A request crosses three sidecar passes (into A's, out of A's, into B's),
 *       so A's sidecars do two thirds of c_sidecar and bind first when all sidecars have the same budget;</li>
 *   <li>peak-dns: R replicas, and its cost per request is its cost per query times the queries per request
 *       q = 1 / (requests per client within one TTL): longer sessions and longer TTLs make DNS cheaper, while a
 *       proxy's cost per request never changes.</li>
 * </ul>
 * It assumes a perfectly balanced load and no coherency cost; the simulation relaxes the first, the USL fits measure
 * the second.
 */
public final class CapacityModel {

    /** Of the three sidecar passes of a mesh request, those in A's sidecar. */
    static final double SIDECAR_A_SHARE = 2.0 / 3;

    private CapacityModel() {
    }

    public static CapacityEstimate of(Costs costs, Deployment d) {
        Map<Role, Double> usPerRequest = usPerRequest(costs, d);
        Map<Role, Double> limits = new EnumMap<>(Role.class);
        int n = d.servers();
        limit(limits, Role.SERVICE_A, n * d.serverCpus(), usPerRequest);
        if (d.withB()) {
            limit(limits, Role.SERVICE_B, n * d.serverCpus(), usPerRequest);
        }
        switch (d.architecture()) {
            case PROXY -> limit(limits, Role.PROXY, d.proxyCpus(), usPerRequest);
            case MESH -> {
                limit(limits, Role.INGRESS, d.proxyCpus(), usPerRequest);
                double sidecarUs = usPerRequest.getOrDefault(Role.SIDECAR, 0.0);
                double busiestShare = d.withB() ? SIDECAR_A_SHARE : 1.0;
                if (sidecarUs > 0) {
                    limits.put(Role.SIDECAR, n * d.sidecarCpus() * 1e6 / (sidecarUs * busiestShare));
                }
            }
            case PEAK -> {
                if (d.dnsReplicas() > 0) {
                    limit(limits, Role.PEAK_DNS, d.dnsReplicas() * d.dnsCpus(), usPerRequest);
                }
            }
            case DIRECT -> { }
        }
        Map.Entry<Role, Double> scarcest = limits.entrySet().stream().min(Map.Entry.comparingByValue())
                .orElseThrow(() -> new IllegalArgumentException("no role of " + d.architecture() + " has a cost"));
        double serversUs = 0;
        double infrastructureUs = 0;
        for (Map.Entry<Role, Double> e : usPerRequest.entrySet()) {
            if (e.getKey().infrastructure()) {
                infrastructureUs += e.getValue();
            } else {
                serversUs += e.getValue();
            }
        }
        double maxRps = scarcest.getValue();
        double dnsQps = d.architecture() == Architecture.PEAK ? maxRps * d.dnsQueriesPerRequest() : 0;
        int replicas = d.architecture() == Architecture.PEAK
                ? (int) Math.max(1, Math.ceil(dnsQps * costs.dnsUsPerQuery() / (d.dnsCpus() * 1e6) - 1e-9)) : 0;
        double total = serversUs + infrastructureUs;
        return new CapacityEstimate(maxRps, scarcest.getKey(), serversUs, infrastructureUs,
                total > 0 ? infrastructureUs / total : 0, serversUs > 0 ? infrastructureUs / serversUs : 0, dnsQps,
                replicas);
    }

    /** Each role's CPU µs per primary request in this deployment: as measured, but DNS at this deployment's q. */
    static Map<Role, Double> usPerRequest(Costs costs, Deployment d) {
        Map<Role, Double> us = new EnumMap<>(Role.class);
        us.put(Role.SERVICE_A, costs.us(Role.SERVICE_A));
        if (d.withB()) {
            us.put(Role.SERVICE_B, costs.us(Role.SERVICE_B));
        }
        switch (d.architecture()) {
            case PROXY -> us.put(Role.PROXY, costs.us(Role.PROXY));
            case MESH -> {
                us.put(Role.INGRESS, costs.us(Role.INGRESS));
                us.put(Role.SIDECAR, costs.us(Role.SIDECAR));
            }
            case PEAK -> us.put(Role.PEAK_DNS, costs.dnsUsPerQuery() * d.dnsQueriesPerRequest());
            case DIRECT -> { }
        }
        return us;
    }

    private static void limit(Map<Role, Double> limits, Role role, double cpus, Map<Role, Double> usPerRequest) {
        double us = usPerRequest.getOrDefault(role, 0.0);
        if (us > 0) {
            limits.put(role, cpus * 1e6 / us);
        }
    }
}
