package dev.peak.driver.results;

/**
 * The baseline at the same fixed rate under two ways of enforcing CPU budgets, in the same run: the one the
 * experiment measures with, and the kernel's default (100 ms CFS period, no burst) it replaced.
 *
 * @param throttledShare the share of the window the baseline's most throttled server was stopped by its quota
 */
public record EnforcementCheck(int servers, int cost, double rate, String enforcement, double p50Ms, double p90Ms,
                               double p99Ms, double throttledShare, boolean passed) {
}
