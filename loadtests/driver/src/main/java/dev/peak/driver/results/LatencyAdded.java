package dev.peak.driver.results;

/**
 * One variant's latency at one of the fixed rates every variant is run at (fractions of the baseline's capacity at
 * that server count and cost), and what it adds over the baseline at the same rate: Istio's way of stating what a
 * hop costs. Figures are of the transaction, what the client waits for per primary call (RI2 PEAK: the call to B
 * plus its session's token / k; mesh: one /chain).
 *
 * @param passed    whether the variant sustained the rate (a failed rate's latencies are those of an overload)
 * @param addedP50Ms the variant's p50 minus the baseline's; null where the baseline has none
 */
public record LatencyAdded(int servers, int cost, double fraction, double rate, String variant, boolean passed,
                           double p50Ms, double p90Ms, double p99Ms, Double addedP50Ms, Double addedP90Ms,
                           Double addedP99Ms) {
}
