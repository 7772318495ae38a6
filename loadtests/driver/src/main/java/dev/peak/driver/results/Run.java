package dev.peak.driver.results;

import java.util.List;
import java.util.Map;

/**
 * One staircase: one variant at one server count and one work cost, in one warm generator.
 *
 * @param budgets           the CPUs each server and each proxy-like instance had (miniature mode shrinks them)
 * @param maxSustainableRps offered requests/s of the highest passing level below the confirmed failure; null if
 *                          no level passed
 * @param stop              why the search ended: {@code failed} (the maximum is the system's), {@code generator-bound},
 *                          {@code ceiling} or {@code plan-end} (lower bounds); {@code interrupted}: the run stopped
 *                          during this staircase (its levels so far, no maximum), which a resumed run measures again
 * @param balance           per-instance counts over the passing levels, null if not collected
 * @param calls             latency per request kind at the highest passing level
 * @param gatlingReport     Gatling's HTML report of the staircase, relative to the results folder, or null
 * @param warmUp            how its warm-up ended, or null (a generator that takes its whole plan at once)
 */
public record Run(String variant, int servers, int cost, int repeat, Map<String, Double> budgets, List<Level> levels,
                  Double maxSustainableRps, String stop, Balance balance, Map<String, Percentiles> calls,
                  String gatlingReport, WarmUpOutcome warmUp) {

    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    public Run {
        levels = levels == null ? List.of() : levels;
        calls = calls == null ? Map.of() : calls;
        budgets = budgets == null ? Map.of() : budgets;
    }

    /** This run with {@code gatlingReport}: its generator writes the report once it stops, after the staircase. */
    public Run withGatlingReport(String gatlingReport) {
        return new Run(variant, servers, cost, repeat, budgets, levels, maxSustainableRps, stop, balance, calls,
                gatlingReport, warmUp);
    }

    /** Whether the maximum is only a lower bound: something other than the system ended the search. */
    public boolean lowerBound() {
        return !FAILED.equals(stop);
    }
}
