package dev.peak.driver.results;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One constant-rate level of a staircase, measured in a warm generator after its settling seconds.
 *
 * @param kind          {@code fixed} (a fraction of the baseline's capacity, for latency comparisons), {@code climb},
 *                      {@code confirm} (a failure run again), {@code refine} (a bisection), or {@code check} (the
 *                      enforcement check: the same fixed rate under the kernel's default CFS period)
 * @param fraction      for fixed levels, the fraction of the baseline's capacity this rate is
 * @param rate          offered primary requests per second: RI1 /work, RI2 PEAK B's /work, mesh /chain (sessions
 *                      of k such calls arrive at rate / k per second)
 * @param achievedRps   primary requests that ended in the window, per second
 * @param primary       latency of the primary call; {@code calls} has every kind, {@code transaction} and
 *                      {@code session} included
 * @param verdict       {@link #PASS}, {@link #ERRORS}, {@link #LATENCY}, {@link #THROUGHPUT}, {@link #QUOTA} or
 *                      {@link #GENERATOR_BOUND} (the generator,
 *                      not the system, was the limit: never counted as the system failing); see {@link Metrics#verdict}
 * @param generatorCpu  the generator's CPUs used during the window (CPU-seconds per second)
 * @param throttledShare the largest share of the window for which one instance of the system was stopped by its
 *                      CFS quota ({@code mostThrottled} names it)
 * @param flags         {@link #THROTTLED}: some instance was stopped for more than 1 % of the window, enough to set
 *                      a p99; {@link #COMPILING}: the system's JIT compilers used more than 2 % of a CPU meanwhile
 */
public record Level(int index, String kind, Double fraction, double rate, double achievedRps, long ok, long ko,
                    long sessions, Percentiles primary, String verdict, boolean passed, double generatorCpu,
                    double throttledShare, String mostThrottled, List<String> flags, Map<String, Percentiles> calls,
                    Map<String, Long> perInstance) {

    public static final String PASS = "pass";
    public static final String ERRORS = "errors";
    public static final String LATENCY = "latency";
    /** The sessions started, but their requests ended well below the offered rate: a step outside the primary call
     * (RI2's token) was the bottleneck, or the system queued without timing out. */
    public static final String THROUGHPUT = "throughput";
    /**
     * An instance of the system was stopped by its CPU quota for so much of the window that it ran out of CPU,
     * whatever its p99: under a 100-ms CFS period a stop lasts at most the period less the quota (80 ms at a fifth of
     * a CPU), so a saturated instance still met a 100-ms SLO.
     */
    public static final String QUOTA = "quota";
    public static final String GENERATOR_BOUND = "generator-bound";
    public static final String THROTTLED = "throttled";
    /** The system's JIT compilers were at work during the level: a quota it ran out of may be theirs. */
    public static final String COMPILING = "compiling";

    public static final String FIXED = "fixed";
    public static final String CHECK = "check";

    private static final Set<String> VERDICTS = Set.of(PASS, ERRORS, LATENCY, THROUGHPUT, QUOTA, GENERATOR_BOUND);

    public Level {
        if (!VERDICTS.contains(verdict)) {
            throw new IllegalArgumentException("unknown verdict '" + verdict + "': use one of " + VERDICTS);
        }
        if (passed != verdict.equals(PASS)) {
            throw new IllegalArgumentException("passed=" + passed + " contradicts verdict '" + verdict + "'");
        }
        flags = flags == null ? List.of() : flags;
        calls = calls == null ? Map.of() : calls;
        perInstance = perInstance == null ? Map.of() : perInstance;
        primary = primary == null ? Percentiles.EMPTY : primary;
    }

    public double errorRate() {
        return ok + ko == 0 ? 0 : (double) ko / (ok + ko);
    }

    public boolean throttled() {
        return flags.contains(THROTTLED);
    }

    public boolean compiling() {
        return flags.contains(COMPILING);
    }
}
