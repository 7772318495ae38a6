package dev.peak.driver.variant;

import java.time.Duration;

/**
 * One active health check for every variant: peak-dns probes servers exactly as HAProxy and the
 * mesh's sidecars do, so that fault runs compare the load balancers, not their timers.
 */
public final class HealthChecks {

    public static final String PATH = "/q/health/ready";
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    public static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Consecutive failures before a server leaves the rotation. */
    public static final int FALL = 2;
    /** Consecutive successes before it comes back. */
    public static final int RISE = 2;

    private HealthChecks() {
    }
}
