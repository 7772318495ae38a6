package dev.peak.model.simulation;

/**
 * What one simulation measured.
 *
 * @param simulatedS      from the first session's arrival to the last request's end
 * @param requests        primary requests that ended, ok or failed
 * @param errors          of which failed
 * @param throughputRps   successful primary requests per simulated second
 * @param meanMs          latency of successful primary requests (DNS resolution not included, as in the lab)
 * @param maxUtilization  the busiest instance's CPU utilisation: the visits it served while the sessions arrived
 *                        steadily (the middle 80 % of their arrivals), at the role's mean CPU time
 * @param busiest         which instance that was ({@code a-3}, {@code proxy}, {@code peak-dns-1}, ...)
 * @param maxRps          the rate at which the busiest instance would be saturated, the shares of the load kept:
 *                        the steady window's successful requests per second over its utilisation (the utilisation
 *                        law). Imbalance lowers it below the capacity model's figure
 * @param jain            Jain's fairness index of the requests each server of the serving service answered
 * @param maxMinShare     the most loaded server's requests over the least loaded's (infinite when one got none)
 * @param dnsQueries      queries peak-dns answered
 * @param dnsQps          per simulated second
 * @param errorWindowS    after the first fault: the last second with a failed request less the first, plus one, in
 *                        whole seconds as the lab counts it (0 without errors)
 * @param errorsAfterFault failed primary requests from the first fault on
 * @param events          events the simulation processed
 * @param wallS           how long it ran on this machine
 */
public record SimulationResult(double simulatedS, long requests, long errors, double throughputRps, double meanMs,
                               double p50Ms,
                               double p90Ms, double p99Ms, double maxUtilization, String busiest, double maxRps,
                               double jain, double maxMinShare, long dnsQueries, double dnsQps, double errorWindowS,
                               long errorsAfterFault, long events, double wallS) {
}
