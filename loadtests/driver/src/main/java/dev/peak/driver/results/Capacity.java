package dev.peak.driver.results;

/**
 * One variant's maximum sustainable throughput at one server count and cost: the median over repeats.
 *
 * @param spread     (max − min) / median of the repeats; 0 with one repeat
 * @param lowerBound whether some repeat's maximum is only a lower bound (the generator or the plan stopped it)
 * @param stoppedBy  what ended the repeats' searches, comma-separated
 * @param p99AtMaxMs median over repeats of the primary call's p99 at the highest passing level; null if none passed
 */
public record Capacity(String variant, int servers, int cost, double maxRps, double spread, int repeats,
                       boolean lowerBound, String stoppedBy, Double p99AtMaxMs) {
}
