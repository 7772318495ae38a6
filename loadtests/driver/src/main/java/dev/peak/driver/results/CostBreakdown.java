package dev.peak.driver.results;

import java.util.Map;

/**
 * What one primary request cost at one fixed rate, by component (median over repeats): the servers' own work, the
 * balancing infrastructure around them, and the client. The infrastructure tax is what a request costs outside the
 * servers and the client, against what it costs in the servers.
 *
 * @param byRole           CPU µs per request of each component ({@code service-a}, {@code proxy}, ...)
 * @param serversUs        the servers' µs per request, A and B together
 * @param infrastructureUs proxy, ingress, sidecars and peak-dns together
 * @param generatorUs      the load generator's
 * @param tax              infrastructureUs / serversUs
 */
public record CostBreakdown(String variant, int servers, int cost, double fraction, double rate,
                            Map<String, Double> byRole, double serversUs, double infrastructureUs, double generatorUs,
                            double tax) {
}
