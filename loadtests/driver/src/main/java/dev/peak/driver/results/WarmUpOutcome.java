package dev.peak.driver.results;

/**
 * How a staircase's warm-up ended, kept beside its levels: a level measured after a warm-up that did not settle may
 * still carry the JIT compilers' stops.
 *
 * @param tailSeconds        how long it ran at the first measured rate with the budgets back
 * @param settled            whether the system settled there (no instance stopped by its quota, its CPU per request
 *                           steady) before the tail's time ran out
 * @param systemUsPerRequest the system's CPU µs per primary request in the tail's last step
 * @param mostThrottled      the instance its quota stopped most in that step, or null
 * @param throttledShare     the share of that step it was stopped
 */
public record WarmUpOutcome(int tailSeconds, boolean settled, double systemUsPerRequest, String mostThrottled,
                            double throttledShare) {
}
