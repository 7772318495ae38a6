package dev.peak.driver.results;

import dev.peak.measurement.Latency;

/** Latency of one kind of request: how many completed and their percentiles, in milliseconds (all 0 when count is 0). */
public record Percentiles(long count, double p50Ms, double p90Ms, double p95Ms, double p99Ms, double maxMs) {

    /** No request recorded. */
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);

    public static Percentiles of(Latency latency) {
        return new Percentiles(latency.count(), latency.p50Ms(), latency.p90Ms(), latency.p95Ms(), latency.p99Ms(),
                latency.maxMs());
    }
}
