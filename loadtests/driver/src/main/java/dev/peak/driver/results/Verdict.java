package dev.peak.driver.results;

import dev.peak.driver.variant.Named;

/** How one level of a staircase ended; see {@link Metrics#verdict} for the order they are tested in. */
public enum Verdict implements Named {
    PASS("pass"),
    ERRORS("errors"),
    /**
     * More requests failed than the error limit allows, and at least half of them were shed: the servers refused
     * them at once (503 with {@code Retry-After}) rather than letting them time out. A failure by shedding, told apart
     * from one by timeouts or refused connections.
     */
    SHEDDING("shedding"),
    LATENCY("latency"),
    /**
     * The sessions started, but their requests ended well below the offered rate: a step outside the primary call
     * (RI2's token) was the bottleneck, or the system queued without timing out.
     */
    THROUGHPUT("throughput"),
    /**
     * An instance of the system was stopped by its CPU quota for so much of the window that it ran out of CPU,
     * whatever its p99: under a 100-ms CFS period a stop lasts at most the period less the quota (80 ms at a fifth of
     * a CPU), so a saturated instance still met a 100-ms SLO.
     */
    QUOTA("quota"),
    /** The generator, not the system, was the limit: never counted as the system failing. */
    GENERATOR_BOUND("generator-bound");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /** The name results.json and results.csv give it. */
    @Override
    public String id() {
        return id;
    }
    public static Verdict of(String id) {
        return Named.byId(Verdict.class, id, "a verdict");
    }

    @Override
    public String toString() {
        return id;
    }
}
