package dev.peak.driver.results;

import java.util.Map;

/**
 * How evenly one run spread its requests over the instances.
 *
 * @param jain        Jain's fairness index of the per-instance counts (1 = even, 1/n = one instance took all)
 * @param cv          their coefficient of variation (0 = even)
 * @param perInstance requests served per instance id ({@code a-1}, {@code b-2}, …)
 */
public record BalanceIndex(double jain, double cv, Map<String, Long> perInstance) {

    /** The balance of these per-instance counts. */
    public static BalanceIndex of(Map<String, Long> perInstance) {
        return new BalanceIndex(Metrics.jain(perInstance.values()), Metrics.coefficientOfVariation(perInstance.values()),
                perInstance);
    }
}
