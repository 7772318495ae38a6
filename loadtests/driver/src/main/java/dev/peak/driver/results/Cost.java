package dev.peak.driver.results;

/**
 * What one component cost per primary request in one level: its instances' CPU over the level's window, from
 * their own cgroup counters, divided by the primary requests that ended in the window.
 *
 * @param fraction         for fixed levels, the fraction of the baseline's capacity the rate is
 * @param role             {@code service-a}, {@code service-b}, {@code proxy}, {@code ingress}, {@code sidecar},
 *                         {@code peak-dns} or {@code generator}
 * @param instances        how many instances of the role there were
 * @param cpuUsPerRequest  CPU microseconds per primary request, all its instances together
 * @param throttledPeriods CFS periods in which one of its instances was stopped for having used its quota
 * @param throttledMs      the time its instances spent stopped that way
 */
public record Cost(String variant, int servers, int cost, int repeat, int level, String kind, Double fraction,
                   double offeredRps, double achievedRps, String role, int instances, double cpuUsPerRequest,
                   long throttledPeriods, double throttledMs) {
}
