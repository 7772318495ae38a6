package dev.peak.dns.endpoint;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One address of a service with what peak-dns has learned about it: health from the probes, load from
 * its metrics, how often it was answered. Shared by the query path (reads) and the health checker
 * (writes), hence volatile fields and no locks.
 */
public final class Endpoint {

    private final InetAddress address;
    private final String text;
    private final int weight;
    private final AtomicLong selections = new AtomicLong();
    private final AtomicLong selectionsSinceLoadReading = new AtomicLong();
    private volatile Health health = Health.UNKNOWN;
    private volatile double load;
    private volatile boolean shedding;
    private double shedCount = Double.NaN;
    private int consecutiveSuccesses;
    private int consecutiveFailures;

    /** UNKNOWN until the first probe answers; then rise/fall thresholds move it between UP and DOWN. */
    public enum Health { UNKNOWN, UP, DOWN }

    public Endpoint(InetAddress address, int weight) {
        this.address = address;
        this.text = IpLiterals.text(address);
        this.weight = weight;
    }

    public InetAddress address() {
        return address;
    }

    public String text() {
        return text;
    }

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    public int weight() {
        return weight;
    }

    public Health health() {
        return health;
    }

    public boolean healthy() {
        return health == Health.UP;
    }

    /** Marks the endpoint up without probing (health checks disabled). */
    public void assumeHealthy() {
        health = Health.UP;
    }

    /**
     * Records one probe result; returns true when the endpoint changed state. The first result decides
     * at once (a fresh endpoint should not wait rise probes); after that, rise consecutive successes
     * bring it up and fall consecutive failures take it down. Called by one prober at a time.
     */
    public synchronized boolean recordProbe(boolean success, int rise, int fall) {
        Health before = health;
        if (success) {
            consecutiveSuccesses++;
            consecutiveFailures = 0;
            if (before == Health.UNKNOWN || (before == Health.DOWN && consecutiveSuccesses >= rise)) {
                health = Health.UP;
            }
        } else {
            consecutiveFailures++;
            consecutiveSuccesses = 0;
            if (before == Health.UNKNOWN || (before == Health.UP && consecutiveFailures >= fall)) {
                health = Health.DOWN;
            }
        }
        return health != before;
    }

    /**
     * Added to the load of an endpoint that is shedding: it ranks after every endpoint that is not, and
     * among shedding ones by their load, so that with all of them shedding least-loaded still spreads.
     */
    static final double SHEDDING_LOAD = 1e9;

    /**
     * The load least-loaded compares: the last reading of the endpoint's in-flight gauge plus every
     * answer given since, each being a client on its way; without the second term every query between
     * two readings would herd onto the same endpoint. A shedding endpoint's in-flight gauge says little:
     * it answers its 503s at once, so the gauge stays low exactly when it refuses work, and it would
     * draw the most clients. It ranks last instead ({@link #SHEDDING_LOAD}).
     */
    public double estimatedLoad() {
        return load + selectionsSinceLoadReading.get() + (shedding ? SHEDDING_LOAD : 0);
    }

    /**
     * One reading of the endpoint's metrics: its load gauge, and its count of requests shed (null where
     * it exports none). It is shedding when that count grew since the previous reading.
     */
    public void recordLoad(double reading, Double shedTotal) {
        load = reading;
        shedding = shedTotal != null && !Double.isNaN(shedCount) && shedTotal > shedCount;
        shedCount = shedTotal == null ? Double.NaN : shedTotal;
        selectionsSinceLoadReading.set(0);
    }

    /** Whether its last two readings saw it shed requests in between. */
    public boolean shedding() {
        return shedding;
    }

    public double lastLoadReading() {
        return load;
    }

    public void recordSelection() {
        selections.incrementAndGet();
        selectionsSinceLoadReading.incrementAndGet();
    }

    public long selections() {
        return selections.get();
    }

    @Override
    public String toString() {
        return text;
    }
}
