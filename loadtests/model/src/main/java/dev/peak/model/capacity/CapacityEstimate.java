package dev.peak.model.capacity;

import dev.peak.model.Role;

/**
 * What {@link CapacityModel} answers for one deployment.
 *
 * @param maxRps            primary requests per second at which the first role runs out of CPU
 * @param bottleneck        that role
 * @param serversUs         CPU µs per request in the servers
 * @param infrastructureUs  CPU µs per request in the balancing infrastructure (proxy, ingress, sidecars, peak-dns)
 * @param infraCpuShare     infrastructureUs / (infrastructureUs + serversUs): the share of the system's CPU work that
 *                          is balancing, not serving
 * @param tax               infrastructureUs / serversUs, as the report's cost breakdown defines it
 * @param dnsQps            queries per second peak-dns carries at maxRps (0 without DNS)
 * @param dnsReplicasNeeded peak-dns replicas that carry dnsQps within their budget (0 without DNS)
 */
public record CapacityEstimate(double maxRps, Role bottleneck, double serversUs, double infrastructureUs, double infraCpuShare,
                       double tax, double dnsQps, int dnsReplicasNeeded) {
}
