package dev.peak.driver.results;

/**
 * How one variant's capacity grew with servers at one cost: {@link Metrics#scalingEfficiency} from the smallest to
 * the largest server count it was measured at.
 *
 * @param lowerBound the largest count's capacity is a lower bound, so the efficiency is too
 */
public record Scaling(String variant, int cost, int fromServers, int toServers, double gain, double efficiency,
                      boolean lowerBound) {
}
