package dev.peak.driver.cpu;

/**
 * A group's CPU counters at one moment, as its cgroup keeps them (or, without cgroups, its processes' CPU time):
 * the difference of two samples is what the group used in between.
 *
 * @param usageNanos       CPU time used, every thread and child process included
 * @param periods          CFS enforcement periods that had runnable work (0 without a quota)
 * @param throttledPeriods of which the group ran out of quota and was stopped until the period's end
 * @param throttledNanos   time the group spent stopped that way
 */
public record CpuSample(long usageNanos, long periods, long throttledPeriods, long throttledNanos) {

    public static final CpuSample ZERO = new CpuSample(0, 0, 0, 0);

    /** What was used between {@code earlier} and this sample. */
    public CpuSample minus(CpuSample earlier) {
        return new CpuSample(usageNanos - earlier.usageNanos, periods - earlier.periods,
                throttledPeriods - earlier.throttledPeriods, throttledNanos - earlier.throttledNanos);
    }

    public CpuSample plus(CpuSample other) {
        return new CpuSample(usageNanos + other.usageNanos, periods + other.periods,
                throttledPeriods + other.throttledPeriods, throttledNanos + other.throttledNanos);
    }

    /** The share of its periods in which the group was throttled; 0 with no period counted. */
    public double throttledShare() {
        return periods == 0 ? 0 : (double) throttledPeriods / periods;
    }
}
