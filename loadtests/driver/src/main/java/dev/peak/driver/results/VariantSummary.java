package dev.peak.driver.results;

import java.util.Map;

/**
 * One variant's figures across server counts; each value is the median over repeats, keyed by server count.
 *
 * @param maxRpsByServers       max sustainable throughput: the offered requests/s of the highest passing step
 * @param maxRateByServers      the offered rate of the highest passing step, transactions/s: the figure that
 *                              compares RI2-PEAK (a call to B, plus a token call per session of k) with the mesh
 *                              (one /chain)
 * @param scalingEfficiency     see {@link Metrics#scalingEfficiency}; null with fewer than two server counts
 * @param p99AtMaxMsByServers   p99 of the highest passing step, ms
 * @param jainMin               the lowest Jain index of any run with two or more servers; null if none measured
 * @param maxRpsSpreadByServers (max − min) / median of the repeats' max sustainable throughput; 0 with one repeat
 * @param limitByServers        what ended the staircases: the verdicts of their first non-passing steps
 *                              ({@code errors}, {@code latency}, {@code generator-bound}), comma-separated, or
 *                              {@code none} when the plan's highest rate still passed
 */
public record VariantSummary(Map<String, Double> maxRpsByServers, Map<String, Double> maxRateByServers,
                             Double scalingEfficiency, Map<String, Double> p99AtMaxMsByServers, Double jainMin,
                             Map<String, Double> maxRpsSpreadByServers, Map<String, String> limitByServers) {
}
