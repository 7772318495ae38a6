package dev.peak.driver.results;

/** Latency of one kind of request: how many completed and their percentiles, in milliseconds (all 0 when count is 0). */
public record Percentiles(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** No request recorded. */
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0);
}
