package dev.peak.driver.cpu;

import java.time.Duration;

/**
 * How a fractional CPU budget is enforced by the CFS bandwidth controller: each period the group may run for
 * budget × period, and with a burst it may also spend quota it left unused in earlier periods, up to
 * burst × quota. Without a burst, any spike of work longer than the quota (a GC pause, a cluster of arrivals)
 * stops the group for the rest of the period, which shows up in every p99; shorter periods make the quota smaller
 * than those spikes and stop it more often. A 100 ms period with a burst of one quota absorbs them while the
 * average stays within the budget: measured in docs/lab.md (Fairness), and checked again in every run.
 *
 * @param period the CFS period
 * @param burst  the burst allowance as a fraction of the quota (0: none; cpu.cfs_burst_us, cpu.max.burst)
 */
public record CpuEnforcement(Duration period, double burst) {

    /** The kernel's default: a 100 ms period and no burst, what the lab used before; measured against in every run. */
    public static final CpuEnforcement KERNEL_DEFAULT = new CpuEnforcement(Duration.ofMillis(100), 0);

    public CpuEnforcement {
        long micros = period.toNanos() / 1000;
        if (micros < 1000 || micros > 1_000_000) {
            throw new IllegalArgumentException("the CFS period must be between 1 ms and 1 s, not " + micros + " µs");
        }
        if (!(burst >= 0 && burst <= 1)) {
            throw new IllegalArgumentException("the CFS burst must be between 0 and 1 (a fraction of the quota), not " + burst);
        }
    }

    public long periodMicros() {
        return period.toNanos() / 1000;
    }

    /** The quota of a budget of {@code cpus}, per period. */
    public long quotaMicros(double cpus) {
        return Math.max(1000, Math.round(cpus * periodMicros()));
    }

    public long burstMicros(double cpus) {
        return Math.round(burst * quotaMicros(cpus));
    }

    /** "10 ms period, burst 1× quota", for the manifest and the start-up table. */
    public String describe() {
        return periodMicros() / 1000.0 + " ms period" + (burst == 0 ? ", no burst" : ", burst " + burst + "× quota");
    }

}
